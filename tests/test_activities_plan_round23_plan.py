"""Round 23: a plan period is not shortened past years that hold its indicators' milestones or
manual values (PlanPeriod.clean): they would stay hidden and come back unseen when the period is
lengthened again. The edit page says which indicators and years; nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import PlanPeriod
from reports.models import Indicator, IndicatorMilestone, IndicatorValue

pytestmark = pytest.mark.django_db

REFUSED_2026 = (
    "Không thể rút ngắn giai đoạn kế hoạch: năm 2026 còn mốc chỉ tiêu của AWARE_PCT và số liệu "
    "của DOIT_STAFF; hãy xóa chúng trước."
)


@pytest.fixture
def decade(db):
    """2021–2030 with a 2026 milestone of AWARE_PCT and a 2026 value of DOIT_STAFF."""
    period = PlanPeriod.objects.create(
        code="2021-2030", name="Kế hoạch SXSH 2021–2030", start_year=2021, end_year=2030
    )
    aware = Indicator.objects.create(
        period=period, code="AWARE_PCT", name_vi="Tỷ lệ nhận thức", method="computed", order=1
    )
    staff = Indicator.objects.create(
        period=period, code="DOIT_STAFF", name_vi="Cán bộ Sở Công Thương", method="manual", order=2
    )
    IndicatorMilestone.objects.create(indicator=aware, year=2026, target_min=Decimal("93.5"))
    IndicatorValue.objects.create(indicator=staff, year=2026, value=Decimal("1.234"))
    return period


def _post(client, period, **years):
    data = {
        "code": period.code,
        "name": period.name,
        "start_year": period.start_year,
        "end_year": period.end_year,
        "basis": period.basis,
        "version": period.version,
        **years,
    }
    return client.post(reverse("reports:period_edit", args=[period.pk]), data)


def test_shortening_past_held_years_is_refused(client, staff, decade):
    client.force_login(staff)
    response = _post(client, decade, end_year=2025)
    assert response.status_code == 200
    assert response.context["form"].errors["end_year"] == [REFUSED_2026]
    assert REFUSED_2026 in response.text
    assert "Đã lưu" not in response.text
    decade.refresh_from_db()
    assert (decade.start_year, decade.end_year) == (2021, 2030)


def test_each_year_says_what_it_holds(client, staff, decade):
    aware = decade.indicators.get(code="AWARE_PCT")
    IndicatorMilestone.objects.create(indicator=aware, year=2028, target_min=Decimal(95))
    IndicatorMilestone.objects.create(indicator=aware, year=2021, target_min=Decimal(80))
    client.force_login(staff)
    response = _post(client, decade, start_year=2022, end_year=2027)
    errors = response.context["form"].errors
    assert errors["start_year"] == [
        "Không thể rút ngắn giai đoạn kế hoạch: năm 2021 còn mốc chỉ tiêu của AWARE_PCT; hãy "
        "xóa chúng trước."
    ]
    assert errors["end_year"] == [
        "Không thể rút ngắn giai đoạn kế hoạch: năm 2028 còn mốc chỉ tiêu của AWARE_PCT; hãy "
        "xóa chúng trước."
    ]


def test_a_year_with_only_a_value(client, staff, decade):
    IndicatorMilestone.objects.filter(indicator__period=decade).delete()
    client.force_login(staff)
    response = _post(client, decade, end_year=2025)
    assert response.context["form"].errors["end_year"] == [
        "Không thể rút ngắn giai đoạn kế hoạch: năm 2026 còn số liệu của DOIT_STAFF; hãy xóa "
        "chúng trước."
    ]


def test_shortening_past_empty_years_is_saved(client, staff, decade):
    client.force_login(staff)
    response = _post(client, decade, end_year=2026)
    assert response.status_code == 302
    decade.refresh_from_db()
    assert decade.end_year == 2026


def test_once_they_are_deleted_it_may_be_shortened(client, staff, decade):
    IndicatorMilestone.objects.filter(indicator__period=decade).delete()
    IndicatorValue.objects.filter(indicator__period=decade).delete()
    client.force_login(staff)
    assert _post(client, decade, end_year=2025).status_code == 302
    decade.refresh_from_db()
    assert decade.end_year == 2025
