"""Writes of an assessment's review workflow (DESIGN §3: the same states as annual reports).

draft ─submit→ submitted ─return→ returned ─submit→ submitted ─approve→ approved ─reopen→ returned

Staff entries skip the queue: an assessment staff save is approved at once. The views decide
access through assessments/access.py; these functions check again who acts (PermissionDenied),
then the state and the comment (TransitionError), lock the row, and log a WorkflowEvent in the
same transaction.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from facilities.access import is_representative

from .models import Assessment, WorkflowEvent, WorkflowState

State = WorkflowState
Action = WorkflowEvent.Action


class TransitionError(Exception):
    """The assessment is not in a state that allows this step, or a required comment is missing."""


def assessment_save(*, assessment: Assessment, by) -> Assessment:
    """Create or update `assessment` (already validated). Staff saves approve it; a facility's
    representative's saves keep it a draft (or returned)."""
    staff = by.is_portal_staff
    if not (staff or is_representative(by, assessment.facility)):
        raise PermissionDenied
    with transaction.atomic():
        from_state = _locked(assessment).state if assessment.pk else ""
        if from_state == State.APPROVED:
            raise TransitionError(_("Đánh giá đã được duyệt; cần mở lại trước khi sửa."))
        if not staff and from_state == State.SUBMITTED:
            raise TransitionError(_("Đánh giá đang chờ Sở duyệt; chưa sửa được."))
        if not assessment.pk:
            assessment.created_by = by
        assessment.state = State.APPROVED if staff else from_state or State.DRAFT
        assessment.save()
        if assessment.state != from_state:
            _log(assessment, Action.SAVE, from_state, by)
    return assessment


def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """The facility's representative sends it to the Department for review."""
    if not is_representative(by, assessment.facility):
        raise PermissionDenied
    return _transition(
        assessment,
        by,
        Action.SUBMIT,
        allowed_from=(State.DRAFT, State.RETURNED),
        to_state=State.SUBMITTED,
    )


def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    _require_staff(by)
    if not (comment or "").strip():
        raise TransitionError(_("Cần ghi ý kiến khi trả lại đánh giá."))
    return _transition(
        assessment,
        by,
        Action.RETURN,
        allowed_from=(State.SUBMITTED,),
        to_state=State.RETURNED,
        comment=comment,
    )


def assessment_approve(*, assessment: Assessment, by, comment: str = "") -> Assessment:
    _require_staff(by)
    return _transition(
        assessment,
        by,
        Action.APPROVE,
        allowed_from=(State.SUBMITTED,),
        to_state=State.APPROVED,
        comment=comment,
    )


def assessment_reopen(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Unlock an approved assessment so it can be corrected; it goes back as returned, with the
    reason as the Department's comment."""
    _require_staff(by)
    if not (reason or "").strip():
        raise TransitionError(_("Cần ghi lý do mở lại đánh giá đã duyệt."))
    return _transition(
        assessment,
        by,
        Action.REOPEN,
        allowed_from=(State.APPROVED,),
        to_state=State.RETURNED,
        comment=reason,
    )


def _transition(assessment, by, action, *, allowed_from, to_state, comment=""):
    comment = (comment or "").strip()
    with transaction.atomic():
        current = _locked(assessment)
        if current.state not in allowed_from:
            raise TransitionError(
                _("Không thể thực hiện thao tác này khi đánh giá ở trạng thái “%(state)s”.")
                % {"state": current.get_state_display()}
            )
        from_state = current.state
        current.state = to_state
        update = ["state", "updated_at"]
        if action != Action.SUBMIT:
            current.review_comment = comment
            update.append("review_comment")
        current._change_reason = comment or str(action.label)
        current.save(update_fields=update)
        _log(current, action, from_state, by, comment)
    assessment.refresh_from_db()
    return assessment


def _require_staff(by) -> None:
    if not by.is_portal_staff:
        raise PermissionDenied


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _log(assessment, action, from_state, by, comment=""):
    WorkflowEvent.objects.create(
        assessment=assessment,
        action=action,
        from_state=from_state,
        to_state=assessment.state,
        comment=comment,
        by=by,
    )
