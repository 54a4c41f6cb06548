from django.urls import reverse

from assessments.models import WorkflowEvent

from ..factories import AssessmentFactory


def _url(assessment):
    return reverse("assessments:assessment_edit", args=[assessment.pk])


def _form(assessment, **changes):
    data = {
        "kind": assessment.kind,
        "start_date": "2018-03-05",
        "end_date": "2018-03-07",
        "consultant": assessment.consultant,
        "baseline_year": "2017",
        "funding_source": "",
        "total_cost_vnd": "30000000",
        "supported_amount_vnd": "15000000",
    }
    data.update(changes)
    return data


def test_it_works(client, facility_user, draft):
    client.force_login(facility_user)
    assert client.get(_url(draft)).status_code == 200
    response = client.post(_url(draft), _form(draft, consultant="Viện Môi trường"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.consultant, draft.state, draft.total_cost_vnd) == (
        "Viện Môi trường",
        "draft",
        30_000_000,
    )


def test_returned_can_be_corrected(client, facility_user, facility):
    returned = AssessmentFactory(facility=facility, state="returned")
    client.force_login(facility_user)
    client.post(_url(returned), _form(returned, consultant="Sửa lại"))
    returned.refresh_from_db()
    assert (returned.consultant, returned.state) == ("Sửa lại", "returned")


def test_it_requires_login(client, draft):
    assert client.post(_url(draft), _form(draft, consultant="X")).status_code == 302
    draft.refresh_from_db()
    assert draft.consultant != "X"


def test_it_hides_other_facilities(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(_url(draft)).status_code == 404
    assert client.post(_url(draft), _form(draft, consultant="X")).status_code == 404
    draft.refresh_from_db()
    assert draft.consultant != "X"


def test_officials_may_not_edit(client, official, draft):
    client.force_login(official)
    assert client.post(_url(draft), _form(draft, consultant="X")).status_code == 403


def test_facility_may_not_edit_once_submitted(client, facility_user, submitted):
    client.force_login(facility_user)
    # Back to the assessment, told it waits for the Department (as a submitted report).
    response = client.get(_url(submitted), follow=True)
    assert response.redirect_chain[-1][0] == submitted.get_absolute_url()
    assert "Đánh giá đang chờ Sở duyệt; chưa sửa được." in response.text
    response = client.post(_url(submitted), _form(submitted, consultant="X"))
    assert response.status_code == 302 and response.url == submitted.get_absolute_url()
    submitted.refresh_from_db()
    assert submitted.consultant != "X"


def test_approved_is_locked_even_for_staff(client, staff, approved):
    client.force_login(staff)
    response = client.post(_url(approved), _form(approved, consultant="X"))
    assert response.url == approved.get_absolute_url()  # with the locked message
    approved.refresh_from_db()
    assert approved.consultant != "X"


def test_staff_edit_approves(client, staff, submitted):
    client.force_login(staff)
    client.post(_url(submitted), _form(submitted, consultant="Cán bộ Sở sửa"))
    submitted.refresh_from_db()
    assert (submitted.consultant, submitted.state) == ("Cán bộ Sở sửa", "approved")
    assert WorkflowEvent.objects.filter(assessment=submitted, to_state="approved").exists()


def test_forged_hidden_fields_are_ignored(client, facility_user, draft, other_facility):
    client.force_login(facility_user)
    client.post(_url(draft), _form(draft, facility=other_facility.pk, state="approved"))
    draft.refresh_from_db()
    assert (draft.facility_id, draft.state) == (draft.facility_id, "draft")
    assert draft.facility != other_facility


def test_it_rejects_bad_input(client, facility_user, draft):
    client.force_login(facility_user)
    response = client.post(
        _url(draft), _form(draft, total_cost_vnd="60000000", supported_amount_vnd="30060000")
    )
    assert response.status_code == 200
    assert "supported_amount_vnd" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.total_cost_vnd == 80_000_000
