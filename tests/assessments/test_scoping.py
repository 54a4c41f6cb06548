"""A facility user who asks for any URL of another facility's assessment, option or activity gets
404 — GET or POST, whatever the state — and nothing changes."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from assessments.models import Activity, Assessment, Option, Participation, WorkflowEvent

ASSESSMENT_URLS = [
    "assessment_detail",
    "assessment_edit",
    "assessment_submit",
    "assessment_return",
    "assessment_approve",
    "assessment_approve_draft",
    "assessment_reopen",
    "option_create",
]
OPTION_URLS = ["option_edit", "option_delete"]
ACTIVITY_URLS = ["activity_detail", "activity_edit", "activity_delete"]

POST_DATA = {
    "text": "Giả mạo",
    "kind": "detailed",
    "consultant": "Giả mạo",
    "total_cost_vnd": "1000",
    "supported_amount_vnd": "0",
    "category": "1",
    "description": "Giả mạo",
    "screening": "implement",
    "status": "planned",
    "investment_vnd": "0",
    "annual_saving_vnd": "0",
    "title": "Giả mạo",
    "date": "2018-01-01",
    "budget_province_vnd": "0",
    "budget_national_vnd": "0",
    "budget_enterprise_vnd": "0",
    "budget_other_vnd": "0",
    "participants-TOTAL_FORMS": "0",
    "participants-INITIAL_FORMS": "0",
}


def _snapshot():
    return (
        [model_to_dict(a) for a in Assessment.objects.order_by("pk")],
        [model_to_dict(o) for o in Option.objects.order_by("pk")],
        [model_to_dict(a) for a in Activity.objects.order_by("pk")],
        list(Participation.objects.order_by("pk").values()),
        WorkflowEvent.objects.count(),
    )


def _check(client, outsider, url, method):
    client.force_login(outsider)
    before = _snapshot()
    response = getattr(client, method)(url, POST_DATA) if method == "post" else client.get(url)
    assert response.status_code == 404, url
    assert _snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
@pytest.mark.parametrize("name", ASSESSMENT_URLS)
def test_assessment_urls(client, outsider, draft, option, name, method, state):
    draft.state = state
    draft.save()
    _check(client, outsider, reverse(f"assessments:{name}", args=[draft.pk]), method)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("state", ["draft", "approved"])
@pytest.mark.parametrize("name", OPTION_URLS)
def test_option_urls(client, outsider, option, name, method, state):
    option.assessment.state = state
    option.assessment.save()
    _check(client, outsider, reverse(f"assessments:{name}", args=[option.pk]), method)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ACTIVITY_URLS)
def test_activity_urls(client, outsider, activity, name, method):
    _check(client, outsider, reverse(f"assessments:{name}", args=[activity.pk]), method)


def test_every_url_is_covered():
    from assessments import urls

    names = {p.name for p in urls.urlpatterns}
    with_object = set(ASSESSMENT_URLS + OPTION_URLS + ACTIVITY_URLS)
    without_object = {
        "assessment_list",
        "assessment_create",
        "activity_list",
        "activity_create",
        "factor_list",
        "factor_edit",
        "grid_factor_edit",
        "option_library",  # anonymised sector examples, no facility's record
    }
    ours = {n for n in names if n.startswith(("assessment_", "option_", "activity_", "factor_"))}
    ours |= {n for n in names if n == "grid_factor_edit"}
    assert ours == with_object | without_object


def test_lists_leave_them_out(client, outsider, draft, activity):
    client.force_login(outsider)
    assert draft.facility.name not in client.get(reverse("assessments:assessment_list")).text
    assert activity.title not in client.get(reverse("assessments:activity_list")).text
