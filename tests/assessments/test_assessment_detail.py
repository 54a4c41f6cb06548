from decimal import Decimal

from django.urls import reverse

from assessments.models import WorkflowEvent

from ..factories import OptionFactory


def _url(assessment):
    return reverse("assessments:assessment_detail", args=[assessment.pk])


def test_it_works(client, facility_user, draft):
    OptionFactory(
        assessment=draft,
        category=4,
        description="Lắp biến tần cho máy nén khí",
        investment_vnd=120_000_000,
        annual_saving_vnd=60_000_000,
        electricity_saving_kwh=Decimal(100_000),
        implementation_year=2018,
    )
    client.force_login(facility_user)
    response = client.get(_url(draft))
    assert response.status_code == 200
    text = response.text
    assert "Lắp biến tần cho máy nén khí" in text
    assert "Giảm thiểu tại nguồn" in text  # the group of category 4
    assert "4. Cải tiến thiết bị" in text
    assert "80.000.000 đồng" in text  # total cost
    assert "120,0" in text  # investment in triệu đồng
    assert "2,0" in text  # payback: 120 / 60 = 2 years
    assert "15,43" in text  # TOE: 100,000 kWh × 0.0001543
    assert "91,30" in text  # tCO₂: 100 MWh × 0.9130 (2018)
    assert "Thêm giải pháp" in text  # the draft is editable
    assert "Gửi Sở duyệt" in text


def test_it_requires_login(client, draft):
    assert client.get(_url(draft)).status_code == 302


def test_it_hides_other_facilities(client, facility_user, other_assessment):
    client.force_login(facility_user)
    assert client.get(_url(other_assessment)).status_code == 404


def test_it_hides_missing_assessments(client, staff):
    client.force_login(staff)
    assert client.get(reverse("assessments:assessment_detail", args=[999999])).status_code == 404


def test_officials_read_only(client, official, draft):
    client.force_login(official)
    response = client.get(_url(draft))
    assert response.status_code == 200
    assert "Sửa thông tin" not in response.text
    assert "Thêm giải pháp" not in response.text


def test_approved_is_locked(client, facility_user, staff, approved):
    client.force_login(facility_user)
    response = client.get(_url(approved))
    assert "Sửa thông tin" not in response.text
    assert "Gửi Sở duyệt" not in response.text
    client.force_login(staff)
    response = client.get(_url(approved))
    assert "Sửa thông tin" not in response.text
    assert "Mở lại để sửa" in response.text


def test_facility_sees_the_comment_and_the_steps(client, facility_user, facility, staff):
    from ..factories import AssessmentFactory

    returned = AssessmentFactory(
        facility=facility, state="returned", review_comment="Bổ sung số liệu"
    )
    WorkflowEvent.objects.create(
        assessment=returned,
        action="return",
        from_state="submitted",
        to_state="returned",
        comment="Bổ sung số liệu",
        by=staff,
    )
    client.force_login(facility_user)
    response = client.get(_url(returned))
    assert "Ý kiến của Sở Công Thương" in response.text
    assert response.text.count("Bổ sung số liệu") >= 2
    assert "Trả lại" in response.text


def test_staff_sees_review_buttons_on_submitted(client, staff, submitted):
    client.force_login(staff)
    response = client.get(_url(submitted))
    assert "Duyệt" in response.text
    assert reverse("assessments:assessment_return", args=[submitted.pk]) in response.text


def test_empty_options(client, facility_user, draft):
    client.force_login(facility_user)
    assert "Chưa có giải pháp nào." in client.get(_url(draft)).text


def test_query_count_does_not_grow_with_options(
    client, staff, draft, django_assert_max_num_queries
):
    for _ in range(15):
        OptionFactory(assessment=draft, electricity_saving_kwh=Decimal(1000))
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        assert client.get(_url(draft)).status_code == 200
