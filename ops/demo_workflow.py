"""Workflow steps of the demo's reports and assessments, dated and attributed as the review
workflow would have left them (assessments/models/workflow.py): the facility's steps by its demo
representative (when it has one), the Department's by the demo staff member `canbo`.

`WorkflowEvent.at` is stamped when a row is inserted (auto_now_add), so `log_steps` writes the
events in bulk and then sets their own times in one more statement.
"""

from datetime import datetime

from accounts.models import Role, User
from assessments.models import WorkflowEvent

STAFF_USERNAME = "canbo"


def demo_reviewer() -> User | None:
    """The demo staff member who reviews the demo's reports and assessments, if present."""
    return User.objects.filter(role=Role.STAFF, username=STAFF_USERNAME).first()


def representatives(facility_ids) -> dict[int, User]:
    """Facility id → its facility user (the first by username), for those that have one."""
    links = (
        User.facilities.through.objects.filter(
            facility_id__in=set(facility_ids), user__role=Role.FACILITY
        )
        .select_related("user")
        .order_by("facility_id", "user__username")
    )
    found: dict[int, User] = {}
    for link in links:
        found.setdefault(link.facility_id, link.user)
    return found


def log_steps(steps: list[tuple[WorkflowEvent, datetime]]) -> None:
    """Save unsaved events, each with its own time."""
    if not steps:
        return
    events = WorkflowEvent.objects.bulk_create([event for event, _at in steps])
    for event, at in steps:
        event.at = at
    WorkflowEvent.objects.bulk_update(events, ["at"], batch_size=500)
