"""Writes of CP assessments and their options, and the assessment's review workflow: the same
steps as annual reports (`models.workflow.TRANSITIONS`, taken by `review.review_step`), with the
same e-mails, queued on commit (`_notify`): staff hear of a submission, the facility's
representatives of their assessment returned (reopened as returned included) or approved. A
creation form sent twice stores one record (`form_token`, AlreadyCreated).

The checks that read other rows (an option's savings summed with the other options of the
facility's assessments of the same baseline year, capped by that year's use, and with those of
all its assessments under an approved baseline, capped by the largest of those years' use:
models.savings_cap) run again with all the facility's assessments locked (`lock_cap_group`, pk
order), so two requests at once cannot each pass them: a refusal then is a ValidationError for
the form.

Staff entries skip the queue: an assessment staff save is approved at once, unless staff keep a
new one or a draft a draft to enter its options (`keep_draft`), then approve it from its page
(`assessment_approve_by_save`: the same save, with the same checks). Every approval (those two
and the review step) is refused while its options save with nothing to cap them
(Assessment.approval_errors: no baseline year, or no approved report of it). The views decide
access through assessments/access.py; these functions check again who acts (PermissionDenied),
then the state and the comment (WorkflowError).
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.history import entries_from_records, history_entries
from core.locking import save_unless_stale
from facilities.access import can_write_facility
from facilities.models import Facility

from . import tasks
from .access import check_editable
from .models import (
    Assessment,
    Option,
    WorkflowError,
    WorkflowEvent,
    WorkflowState,
    state_after_save,
)
from .models.amounts import support_error
from .models.savings_cap import lock_cap_group
from .review import log_event, review_step

__all__ = [
    "AlreadyCreated",
    "WorkflowError",
    "assessment_approve",
    "assessment_approve_by_save",
    "assessment_reopen",
    "assessment_return",
    "assessment_save",
    "assessment_step",
    "assessment_submit",
    "assessment_history",
    "option_add",
    "option_delete",
    "option_save",
]

# How an option's change reads in its assessment's history (core.history.HISTORY_TYPES kinds).
OPTION_HISTORY_TYPES = {
    "+": _("Thêm giải pháp “%(option)s”"),
    "~": _("Sửa giải pháp “%(option)s”"),
    "-": _("Xóa giải pháp “%(option)s”"),
}


class AlreadyCreated(Exception):
    """A creation form was sent again (back button, double click): `record` (an assessment or
    an option) is the one that form created the first time; nothing new was stored."""

    def __init__(self, record: Assessment | Option):
        super().__init__(record.pk)
        self.record = record


# A staff approval of a draft from its page refused by the checks of a save.
NOT_APPROVED = _("Chưa duyệt được đánh giá: %(errors)s")


def assessment_save(
    *, assessment: Assessment, by, keep_draft: bool = False, comment: str = ""
) -> Assessment:
    """Create or update `assessment` (already validated). Staff saves approve it, unless they
    ask to keep a new assessment or a draft a draft (`keep_draft`: models.workflow
    state_after_save decides); a facility's representative's saves keep it a draft (or
    returned). `comment`: the Department's comment when the save approves it (logged with the
    event). A new assessment whose `form_token` already created one raises AlreadyCreated
    instead of making a duplicate."""
    if not can_write_facility(by, assessment.facility):
        raise PermissionDenied
    with transaction.atomic():
        if assessment.supported_amount_vnd:
            # The facility's 50 million is shared by its assessments (amounts.support_error):
            # checked again with the facility locked, so that two saves of its assessments at
            # once cannot each take what is left.
            list(
                Facility.objects.select_for_update().filter(pk=assessment.facility_id).values("pk")
            )
        from_state = ""
        if assessment.pk:
            # With the assessments sharing its savings cap now and under its new facility.
            from_state = lock_cap_group(assessment.pk, assessment.facility_id).state
        # An option stored since the form was checked may not fit a new baseline year, nor
        # come before a new baseline or start year.
        errors = {**assessment.baseline_year_errors(), **assessment.start_change_errors()}
        if support := support_error(assessment):
            errors["supported_amount_vnd"] = support
        if errors:
            raise ValidationError(errors)
        state = state_after_save(assessment, from_state or None, by, keep_draft=keep_draft)
        if state == WorkflowState.APPROVED and (refused := assessment.approval_errors()):
            raise ValidationError({"baseline_year": refused})  # a draft kept is not refused
        comment = comment.strip() if state == WorkflowState.APPROVED else ""
        if state != from_state:
            assessment.move_to(state, comment)
        if not assessment.pk:
            assessment.created_by = by
        store_once(assessment)
        if assessment.state != from_state:
            log_event(assessment, WorkflowEvent.Action.SAVE, from_state, by=by, comment=comment)
            if state == WorkflowState.APPROVED and _filed_by_facility(assessment, from_state):
                # Staff approved what the facility filed: it hears of it as of "Duyệt".
                transaction.on_commit(lambda: _notify("approve", assessment))
    return assessment


def _filed_by_facility(assessment: Assessment, from_state: str) -> bool:
    """Whether the stored assessment is one the facility knows of as theirs to hear about: not a
    new one, nor a draft staff entered and kept (may_keep_draft) that the facility never sent."""
    if not from_state:
        return False
    creator = assessment.created_by
    return from_state != WorkflowState.DRAFT or not (creator and creator.is_portal_staff)


def assessment_approve_by_save(*, assessment: Assessment, by, comment: str = "") -> Assessment:
    """Staff approve a draft (or returned) assessment from its page, as their save of it as
    stored would (`assessment_save`: its checks, its event and history), `comment` kept as the
    Department's comment. Refused (WorkflowError) in another state (a submitted one takes the
    "approve" step) or when the stored assessment fails the checks of a save, their messages
    named."""
    if not by.is_portal_staff:
        raise PermissionDenied
    with transaction.atomic():
        current = lock_cap_group(assessment.pk)
        if not current.may_approve_by_save(by):
            texts = current.workflow_texts
            raise WorkflowError(texts.wrong_state % {"state": current.get_state_display()})
        if refused := current.approval_errors():  # said as is, not as a save's refusal
            raise WorkflowError(refused)
        try:
            current.full_clean(validate_unique=False, validate_constraints=False)
            assessment_save(assessment=current, by=by, comment=comment)
        except WorkflowError:
            raise
        except ValidationError as error:
            raise WorkflowError(NOT_APPROVED % {"errors": " ".join(error.messages)}) from error
    assessment.refresh_from_db()
    return assessment


def store_once(record) -> None:
    """Save `record` (an assessment, option or activity: a model with `form_token`); a new one
    whose `form_token` already stored a record of its model raises AlreadyCreated with that
    record instead (call inside a transaction)."""
    model = type(record)
    token = None if record.pk else record.form_token
    if token is None:
        record.save()
        return
    earlier = model.objects.filter(form_token=token).first()
    if earlier is None:
        try:
            with transaction.atomic():
                record.save()
            return
        except IntegrityError:  # the same form, sent at the same moment, was stored first
            earlier = model.objects.filter(form_token=token).first()
            if earlier is None:
                raise
    raise AlreadyCreated(earlier)


def option_add(*, option: Option, by) -> Option:
    """Store a new option (already validated) of an assessment `by` may change now, checked
    again with the assessment locked (`_lock_for_option`). The same "add option" form sent
    again raises AlreadyCreated with the option it stored first."""
    with transaction.atomic():
        _lock_for_option(option, by)
        if option.form_token:  # the same form sent at once, stored by the sending locked first
            earlier = Option.objects.filter(form_token=option.form_token).first()
            if earlier is not None:
                raise AlreadyCreated(earlier)
        option.full_clean(validate_unique=False, validate_constraints=False)
        store_once(option)
    return option


def option_save(*, form, by) -> bool:
    """Store the edit `form` of an option (already validated) unless the option was saved by
    someone else since it was loaded (core.locking.save_unless_stale: False, nothing saved);
    checked again with its assessment locked first (`_lock_for_option`)."""
    option = form.instance
    with transaction.atomic():
        _lock_for_option(option, by)

        def save():
            option.full_clean(validate_unique=False, validate_constraints=False)
            form.save()

        return save_unless_stale(form, save)


def option_delete(*, option: Option, by) -> None:
    """Delete `option` (its history record naming `by`), checked again with its assessment
    locked first (`_lock_for_option`), so an assessment approved or submitted meanwhile keeps
    all its options. An option deleted meanwhile stays deleted, with one history record."""
    with transaction.atomic():
        _lock_for_option(option, by)
        if Option.objects.filter(pk=option.pk).exists():
            option._history_user = by
            option.delete()


def _lock_for_option(option: Option, by) -> None:
    """Lock the rows of the option's assessment and of the facility's other assessments until
    the transaction ends (the writes of the options under one savings cap queue up there:
    `lock_cap_group`), check `by` may still change it (as the views do,
    access.check_editable: `Locked` when it was approved or submitted meanwhile by someone else,
    PermissionDenied for a user who may not change it at all) and give the option the
    assessment as it is now; the caller then validates the option against the options stored
    now."""
    assessment = lock_cap_group(option.assessment.pk)
    check_editable(assessment, by)
    option.assessment = assessment


def assessment_history(assessment: Assessment, limit: int = 10) -> list[dict]:
    """The latest `limit` changes of the assessment and of its options (added, edited, deleted
    ones included), newest first, as core.history.history_entries; an option's entries name it
    (as it is, or was when deleted). The options' histories take one query."""
    entries = history_entries(assessment, limit) if assessment.history.exists() else []
    records = Option.history.filter(assessment_id=assessment.pk).select_related("history_user")
    by_option: dict[int, list] = {}
    for record in records.order_by("-history_id"):
        by_option.setdefault(record.id, []).append(record)
    for option_records in by_option.values():
        name = option_records[0].description
        for entry in entries_from_records(option_records, Option, limit):
            what = OPTION_HISTORY_TYPES.get(entry["kind"], OPTION_HISTORY_TYPES["~"])
            entry["type"] = what % {"option": name}
            entries.append(entry)
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries[:limit]


def assessment_step(
    assessment: Assessment, step: str, *, by, text: str = "", to_state: str | None = None
) -> Assessment:
    """Take `step` of the review workflow and queue its e-mail (`_notify`); an approval takes
    the assessment's rule (Assessment.approval_errors), checked with its row locked
    (review_step), which every write of its options locks too (`_lock_for_option`)."""
    check = _check_approvable if step == "approve" else None
    notify = partial(_notify, step)
    return review_step(
        assessment, step, by=by, text=text, to_state=to_state, check=check, notify=notify
    )


def _notify(step: str, assessment: Assessment) -> None:
    """As annual reports' (services._notify): staff hear of a submission; the facility of an
    assessment returned or approved (one reopened as a draft is not news to them). Called on
    commit with the assessment as the step left it; the task gets the step's state and
    comment, since the assessment may have moved on by the time the worker writes the mail."""
    if step == "submit":
        tasks.notify_assessment_submitted.delay(assessment.pk)
    elif assessment.state in (WorkflowState.RETURNED, WorkflowState.APPROVED):
        tasks.notify_assessment_reviewed.delay(
            assessment.pk, state=str(assessment.state), comment=assessment.review_comment
        )


def _check_approvable(current: Assessment) -> None:
    if refused := current.approval_errors():
        raise WorkflowError(refused)


def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """The facility's representative sends it to the Department for review."""
    return assessment_step(assessment, "submit", by=by)


def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    return assessment_step(assessment, "return", by=by, text=comment)


def assessment_approve(*, assessment: Assessment, by, comment: str = "") -> Assessment:
    return assessment_step(assessment, "approve", by=by, text=comment)


def assessment_reopen(
    *, assessment: Assessment, by, reason: str, to_state: str = WorkflowState.RETURNED
) -> Assessment:
    """Unlock an approved assessment so it can be corrected; the reason is logged (and, when it
    goes back as returned, shown to the facility as the Department's comment)."""
    return assessment_step(assessment, "reopen", by=by, text=reason, to_state=to_state)
