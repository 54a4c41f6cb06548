"""The review log (WorkflowEvent: who returned or approved a report, which the deadlines trust,
`deadlines.resubmittable`) is read only in the Django admin: no entry is added, changed or
deleted by hand, one at a time or with the list's "delete selected" action."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from assessments.models import WorkflowEvent

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(facility, staff):
    report = AnnualReportFactory(facility=facility, state="returned")
    return WorkflowEvent.objects.create(
        report=report,
        action="return",
        from_state="submitted",
        to_state="returned",
        comment="Thiếu số liệu than.",
        by=staff,
    )


def _unchanged(event):
    stored = WorkflowEvent.objects.get(pk=event.pk)
    return (stored.action, stored.comment, stored.by_id) == (
        event.action,
        event.comment,
        event.by_id,
    )


def test_an_event_is_shown_but_not_changed(admin_client, event, official):
    url = reverse("admin:assessments_workflowevent_change", args=[event.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    data = {
        "report": str(event.report_id),
        "action": "approve",
        "from_state": "submitted",
        "to_state": "approved",
        "comment": "Đã duyệt",
        "by": str(official.pk),
    }

    assert admin_client.post(url, data).status_code == 403
    assert _unchanged(event)


def test_no_event_is_added(admin_client, event, staff):
    data = {
        "report": str(event.report_id),
        "action": "submit",
        "from_state": "draft",
        "to_state": "submitted",
        "by": str(staff.pk),
    }
    response = admin_client.post(reverse("admin:assessments_workflowevent_add"), data)
    assert response.status_code == 403
    assert WorkflowEvent.objects.count() == 1


def test_no_event_is_deleted(admin_client, event):
    url = reverse("admin:assessments_workflowevent_delete", args=[event.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert WorkflowEvent.objects.filter(pk=event.pk).exists()


def test_the_list_offers_no_delete_action(admin_client, event):
    url = reverse("admin:assessments_workflowevent_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["action_form"] is None or "delete_selected" not in [
        name for name, _label in response.context["action_form"].fields["action"].choices
    ]
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(event.pk)], "post": "yes"}

    admin_client.post(url, data)

    assert WorkflowEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "name", ["workflowevent", "annualreport", "conversionfactor", "gridemissionfactor"]
)
def test_the_admin_lists_are_shown(admin_client, event, name):
    assert admin_client.get(reverse(f"admin:assessments_{name}_changelist")).status_code == 200
