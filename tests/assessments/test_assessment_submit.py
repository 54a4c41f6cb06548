import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import WorkflowEvent

from ..factories import AssessmentFactory


def _url(assessment):
    return reverse("assessments:assessment_submit", args=[assessment.pk])


def test_it_works(client, facility_user, draft):
    client.force_login(facility_user)
    assert "Xác nhận" in client.get(_url(draft)).text  # GET only asks
    draft.refresh_from_db()
    assert draft.state == "draft"
    response = client.post(_url(draft))
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == "submitted"
    event = WorkflowEvent.objects.get(assessment=draft)
    assert (event.action, event.by) == ("submit", facility_user)


def test_a_returned_assessment_can_be_resubmitted(client, facility_user, facility):
    returned = AssessmentFactory(facility=facility, state="returned")
    client.force_login(facility_user)
    client.post(_url(returned))
    returned.refresh_from_db()
    assert returned.state == "submitted"


def test_it_requires_login(client, draft):
    assert client.post(_url(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_it_hides_other_facilities(client, outsider, draft):
    client.force_login(outsider)
    assert client.post(_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


@pytest.mark.parametrize("user", ["staff", "official"])
def test_only_the_facility_submits(client, request, draft, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_it_rejects_a_second_submission(client, facility_user, facility, state):
    assessment = AssessmentFactory(facility=facility, state=state)
    client.force_login(facility_user)
    # A double click or a second tab: back to the assessment with the reason, not a bare 403.
    response = client.post(_url(assessment), follow=True)
    assert response.redirect_chain == [(assessment.get_absolute_url(), 302)]
    texts = assessment.workflow_texts
    assert escape(str(texts.pending if state == "submitted" else texts.locked)) in response.text
    assessment.refresh_from_db()
    assert assessment.state == state
    assert not WorkflowEvent.objects.exists()
