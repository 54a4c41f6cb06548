import pytest
from django.urls import reverse

from assessments.models import Assessment, WorkflowEvent

from ..factories import FacilityFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:assessment_create")


def _form(**changes):
    data = {
        "kind": "detailed",
        "start_date": "2018-03-05",
        "end_date": "2018-04-20",
        "consultant": "Trung tâm Sản xuất sạch Việt Nam (VNCPC)",
        "baseline_year": "2017",
        "funding_source": "Kinh phí khuyến công địa phương",
        "total_cost_vnd": "90000000",
        "supported_amount_vnd": "45000000",
    }
    data.update(changes)
    return data


def test_it_works(client, facility_user, facility):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.facility, assessment.state, assessment.kind) == (
        facility,
        "draft",
        "detailed",
    )
    assert assessment.created_by == facility_user
    assert assessment.supported_amount_vnd == 45_000_000


def test_it_requires_login(client):
    response = client.post(URL, _form())
    assert response.status_code == 302
    assert not Assessment.objects.exists()


def test_it_requires_a_writing_role(client, official, facility):
    client.force_login(official)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(facility=facility.pk)).status_code == 403
    assert not Assessment.objects.exists()


def test_staff_entries_are_approved_on_save(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form(facility=facility.pk))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.facility, assessment.state) == (facility, "approved")
    event = WorkflowEvent.objects.get(assessment=assessment)
    assert (event.action, event.to_state, event.by) == ("save", "approved", staff)


def test_forged_hidden_fields_are_ignored(client, facility_user, facility, other_facility):
    client.force_login(facility_user)
    response = client.post(
        URL, _form(facility=other_facility.pk, state="approved", created_by="1", review_comment="x")
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.facility, assessment.state) == (facility, "draft")
    assert assessment.review_comment == ""
    assert not other_facility.assessments.exists()


def test_a_user_of_several_facilities_picks_only_their_own(
    client, facility_user, facility, other_facility
):
    second = FacilityFactory(name="Công ty TNHH Thép Đa Hội")
    facility_user.facilities.add(second)
    client.force_login(facility_user)
    response = client.post(URL, _form(facility=other_facility.pk))
    assert response.status_code == 200
    assert "facility" in response.context["form"].errors
    assert not Assessment.objects.exists()
    client.post(URL, _form(facility=second.pk))
    assert Assessment.objects.get().facility == second


def test_it_rejects_support_above_half_the_cost(client, facility_user):
    client.force_login(facility_user)
    response = client.post(URL, _form(total_cost_vnd="80000000", supported_amount_vnd="40080000"))
    assert response.status_code == 200
    errors = response.context["form"].errors["supported_amount_vnd"]
    assert "50% tổng chi phí tư vấn" in errors[0]
    assert "Kinh phí hỗ trợ không được vượt quá" in response.text
    assert not Assessment.objects.exists()


def test_it_accepts_exactly_half(client, facility_user):
    client.force_login(facility_user)
    response = client.post(URL, _form(total_cost_vnd="80000000", supported_amount_vnd="40000000"))
    assert response.status_code == 302


def test_it_rejects_support_above_50_million(client, facility_user):
    client.force_login(facility_user)
    response = client.post(URL, _form(total_cost_vnd="150000000", supported_amount_vnd="50000001"))
    assert "50.000.000 đồng" in response.context["form"].errors["supported_amount_vnd"][0]
    assert not Assessment.objects.exists()


def test_it_rejects_bad_input(client, facility_user):
    client.force_login(facility_user)
    response = client.post(
        URL, _form(start_date="2018-05-10", end_date="2018-05-01", total_cost_vnd="-5", kind="")
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"end_date", "total_cost_vnd", "kind"}
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.text
    assert not Assessment.objects.exists()
