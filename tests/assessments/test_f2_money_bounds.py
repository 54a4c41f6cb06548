"""The money of an activity (its budget, per source) and of an assessment (the consultancy's total
cost, the support) is bounded: 100 tỷ đồng, far above any programme activity or CP assessment of
a province. Beyond it the figure is a typing error (5.000.000.000.000.000.000 đồng), which the
year's document would print; refused on the field, in Vietnamese notation, nothing saved."""

import pytest
from django.urls import reverse

from assessments.models import Activity, Assessment

pytestmark = pytest.mark.django_db

LIMIT = 100_000_000_000  # 100 tỷ đồng
LIMIT_SHOWN = "100.000.000.000"
HUGE = "5000000000000000000"  # 5 tỷ tỷ đồng, as a slip of the keyboard

ACTIVITY_URL = reverse("assessments:activity_create")
ASSESSMENT_URL = reverse("assessments:assessment_create")

BUDGETS = {
    "budget_province_vnd": "Ngân sách tỉnh (đồng)",
    "budget_national_vnd": "Kinh phí khuyến công quốc gia (đồng)",
    "budget_enterprise_vnd": "Doanh nghiệp đóng góp (đồng)",
    "budget_other_vnd": "Nguồn khác (đồng)",
}


def _activity(**changes):
    data = {
        "kind": "training",
        "title": "Khóa đào tạo cán bộ kỹ thuật về SXSH",
        "date": "2018-09-12",
        "district": "",
        "description": "Hai ngày tại Trung tâm Khuyến công",
        "budget_province_vnd": "40000000",
        "budget_national_vnd": "20000000",
        "budget_enterprise_vnd": "5000000",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def _assessment(facility, **changes):
    data = {
        "facility": facility.pk,
        "kind": "detailed",
        "start_date": "2019-06-03",
        "end_date": "2019-07-28",
        "consultant": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "baseline_year": "2018",
        "funding_source": "Kinh phí khuyến công địa phương",
        "total_cost_vnd": "60000000",
        "supported_amount_vnd": "30000000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("field", BUDGETS)
def test_an_activity_budget_beyond_the_limit_is_refused(client, staff, field):
    client.force_login(staff)
    response = client.post(ACTIVITY_URL, _activity(**{field: HUGE}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        f"{BUDGETS[field]} không được vượt quá {LIMIT_SHOWN}."
    ]
    assert not Activity.objects.exists()


def test_an_activity_budget_at_the_limit_is_stored(client, staff):
    client.force_login(staff)
    response = client.post(ACTIVITY_URL, _activity(budget_province_vnd=str(LIMIT)))
    assert response.status_code == 302
    assert Activity.objects.get().budget_province_vnd == LIMIT


def test_an_assessment_cost_beyond_the_limit_is_refused(client, staff, facility):
    client.force_login(staff)
    response = client.post(ASSESSMENT_URL, _assessment(facility, total_cost_vnd=HUGE))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["total_cost_vnd"] == [
        f"Tổng chi phí tư vấn (đồng) không được vượt quá {LIMIT_SHOWN}."
    ]
    assert not Assessment.objects.exists()


def test_an_assessment_cost_at_the_limit_is_stored(client, staff, facility):
    client.force_login(staff)
    response = client.post(ASSESSMENT_URL, _assessment(facility, total_cost_vnd=str(LIMIT)))
    assert response.status_code == 302
    assert Assessment.objects.get().total_cost_vnd == LIMIT


def test_a_support_beyond_the_limit_is_refused_once(client, staff, facility):
    # The support is held to TTLT 221 already (≤ 50% of the cost, ≤ 50 triệu đồng a facility),
    # far below the limit: that rule alone tells it, with the cap that binds.
    client.force_login(staff)
    response = client.post(
        ASSESSMENT_URL, _assessment(facility, total_cost_vnd=HUGE, supported_amount_vnd=HUGE)
    )
    errors = response.context["form"].errors
    assert errors["total_cost_vnd"] == [
        f"Tổng chi phí tư vấn (đồng) không được vượt quá {LIMIT_SHOWN}."
    ]
    assert errors["supported_amount_vnd"] == [
        "Kinh phí hỗ trợ không được vượt quá 50.000.000 đồng cho một cơ sở "
        "theo TTLT 221/2012/TTLT-BTC-BCT."
    ]
    assert not Assessment.objects.exists()


def test_the_admin_refuses_a_budget_beyond_the_limit(db):
    from django.core.exceptions import ValidationError

    activity = Activity(kind="workshop", title="Hội thảo SXSH", date="2018-05-10")
    activity.budget_other_vnd = int(HUGE)
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert refused.value.message_dict["budget_other_vnd"] == [
        f"Nguồn khác (đồng) không được vượt quá {LIMIT_SHOWN}."
    ]
