import pytest
from django.urls import reverse

from assessments.models import WorkflowEvent


def _url(assessment):
    return reverse("assessments:assessment_reopen", args=[assessment.pk])


def test_it_works(client, staff, approved):
    client.force_login(staff)
    assert "Lý do mở lại" in client.get(_url(approved)).text
    data = {"text": "Cơ sở phát hiện nhầm đơn vị tính.", "to_state": "returned"}
    response = client.post(_url(approved), data)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == "returned"
    event = WorkflowEvent.objects.get(assessment=approved)
    assert (event.action, event.comment, event.by) == (
        "reopen",
        "Cơ sở phát hiện nhầm đơn vị tính.",
        staff,
    )
    detail = client.get(approved.get_absolute_url())
    assert "Cơ sở phát hiện nhầm đơn vị tính." in detail.text  # the reason is shown


def test_the_facility_may_edit_again(client, staff, facility_user, approved):
    client.force_login(staff)
    client.post(_url(approved), {"text": "Sửa số liệu", "to_state": "returned"})
    client.force_login(facility_user)
    edit = reverse("assessments:assessment_edit", args=[approved.pk])
    assert client.get(edit).status_code == 200


def test_it_requires_login(client, approved):
    assert client.post(_url(approved), {"text": "x"}).status_code == 302


def test_it_hides_other_facilities(client, outsider, approved):
    client.force_login(outsider)
    assert client.post(_url(approved), {"text": "x"}).status_code == 404


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, approved, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(approved), {"text": "x"}).status_code == 403
    approved.refresh_from_db()
    assert approved.state == "approved"


def test_it_rejects_bad_input(client, staff, approved):
    client.force_login(staff)
    response = client.post(_url(approved), {"text": ""}, follow=True)
    assert "Cần ghi lý do mở lại đánh giá đã duyệt." in response.text
    approved.refresh_from_db()
    assert approved.state == "approved"
    assert not WorkflowEvent.objects.exists()


def test_it_refuses_an_unapproved_assessment(client, staff, submitted):
    client.force_login(staff)
    client.post(_url(submitted), {"text": "x"})
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
