"""The writes of the one review workflow (the table is `models.workflow.TRANSITIONS`).

`review_step` takes one step on any reviewed record: it checks who acts (PermissionDenied), the
text (WorkflowError), then, with the row locked, the stored state and the caller's own `check`;
it moves the state, keeps the Department's comment (clears it on a step to a state without one:
a resubmission), lets the model stamp its own fields, saves with a history reason, logs a
WorkflowEvent in the same transaction and queues `notify` on commit. The per-noun services
(services.py, assessment_services.py) are thin calls to it.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import notes

from .models import (
    TRANSITIONS,
    Actor,
    Reviewed,
    WorkflowError,
    WorkflowEvent,
    actor_of,
)

DENIED = {
    Actor.FACILITY: gettext_lazy("Chỉ người đại diện của cơ sở được thực hiện thao tác này."),
    Actor.STAFF: gettext_lazy("Chỉ cán bộ Sở Công Thương được thực hiện thao tác này."),
}


def review_step(
    record: Reviewed,
    step: str,
    *,
    by,
    text: str = "",
    to_state: str | None = None,
    check: Callable[[Reviewed], list[str] | None] | None = None,
    notify: Callable[[Reviewed], None] | None = None,
):
    transition = TRANSITIONS[step]
    if actor_of(by, record) != transition.actor:
        raise PermissionDenied(DENIED[transition.actor])
    text = (text or "").strip()
    if transition.text_required and not text:
        raise WorkflowError(record.workflow_texts.text_required[step])
    to_state = to_state or transition.targets[0]
    if to_state not in transition.targets:
        raise WorkflowError(_("Không thể chuyển sang trạng thái này."))
    with transaction.atomic():
        current = lock(record)
        if current.state not in transition.sources:
            raise WorkflowError(
                record.workflow_texts.wrong_state % {"state": current.get_state_display()}
            )
        # A check may also correct fields of the record; it names them, and the step saves them.
        corrected = (check(current) or []) if check else []
        _move(current, step, to_state, by, text, corrected)
        if notify:
            transaction.on_commit(lambda: notify(current))
    record.refresh_from_db()
    return record


def lock(record: Reviewed):
    """The record as stored, its row locked until the transaction ends."""
    return type(record).objects.select_for_update().get(pk=record.pk)


def save_with_history(record: Reviewed, *, by, reason: str, update_fields=None) -> None:
    record._history_user = by
    record._change_reason = reason
    record.save(update_fields=update_fields)


def log_event(record: Reviewed, action, from_state, *, by, comment="") -> WorkflowEvent:
    return record.events.create(
        action=action, from_state=from_state, to_state=record.state, comment=comment, by=by
    )


def _move(record, step, to_state, by, text, corrected=()) -> None:
    action = WorkflowEvent.Action(step)
    from_state = record.state
    fields = [*record.move_to(to_state, text), "updated_at", *record.stamp(step, by), *corrected]
    # The history's reason column is short (100 characters): a longer comment is cut there
    # (with "…"); the whole of it is the workflow event's and the review comment's.
    length = record.history.model._meta.get_field("history_change_reason").max_length
    reason = Truncator(text).chars(length) if text else notes.stored(action.label)
    save_with_history(record, by=by, reason=reason, update_fields=fields)
    log_event(record, action, from_state, by=by, comment=text)
