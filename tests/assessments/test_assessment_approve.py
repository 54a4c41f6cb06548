import pytest
from django.urls import reverse

from assessments.models import WorkflowEvent


def _url(assessment):
    return reverse("assessments:assessment_approve", args=[assessment.pk])


def test_it_works(client, staff, submitted):
    client.force_login(staff)
    assert client.get(_url(submitted)).status_code == 200
    response = client.post(_url(submitted), {"text": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "approved"
    event = WorkflowEvent.objects.get(assessment=submitted)
    assert (event.action, event.by) == ("approve", staff)


def test_approved_is_locked(client, staff, facility_user, submitted):
    client.force_login(staff)
    client.post(_url(submitted))
    client.force_login(facility_user)
    edit = reverse("assessments:assessment_edit", args=[submitted.pk])
    # Back to the assessment with the locked message (as a locked annual report), not a 403.
    assert client.get(edit).url == submitted.get_absolute_url()
    option = reverse("assessments:option_create", args=[submitted.pk])
    response = client.post(option, {"category": "1", "description": "x"})
    assert response.url == submitted.get_absolute_url()
    assert not submitted.options.exists()


def test_it_requires_login(client, submitted):
    assert client.post(_url(submitted)).status_code == 302


def test_it_hides_other_facilities(client, outsider, submitted):
    client.force_login(outsider)
    assert client.post(_url(submitted)).status_code == 404


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, submitted, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(submitted)).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_it_rejects_bad_input(client, staff, draft):
    client.force_login(staff)
    response = client.post(_url(draft), follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    draft.refresh_from_db()
    assert draft.state == "draft"
