"""Writes of an assessment's review workflow: the same steps as annual reports
(`models.workflow.TRANSITIONS`, taken by `review.review_step`), without e-mails.

Staff entries skip the queue: an assessment staff save is approved at once. The views decide
access through assessments/access.py; these functions check again who acts (PermissionDenied),
then the state and the comment (WorkflowError).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from facilities.access import can_write_facility

from .models import Assessment, WorkflowError, WorkflowEvent, state_after_save
from .review import lock, log_event, review_step

__all__ = [
    "AlreadyCreated",
    "WorkflowError",
    "assessment_approve",
    "assessment_reopen",
    "assessment_return",
    "assessment_save",
    "assessment_step",
    "assessment_submit",
]


class AlreadyCreated(Exception):
    """The creation form was sent again (back button, double click): `assessment` is the one
    that form created the first time; nothing new was stored."""

    def __init__(self, assessment: Assessment):
        super().__init__(assessment.pk)
        self.assessment = assessment


def assessment_save(*, assessment: Assessment, by) -> Assessment:
    """Create or update `assessment` (already validated). Staff saves approve it; a facility's
    representative's saves keep it a draft (or returned). A new assessment whose `form_token`
    already created one raises AlreadyCreated instead of making a duplicate."""
    if not can_write_facility(by, assessment.facility):
        raise PermissionDenied
    with transaction.atomic():
        from_state = lock(assessment).state if assessment.pk else ""
        assessment.state = state_after_save(assessment, from_state or None, by)
        if not assessment.pk:
            assessment.created_by = by
        _store(assessment)
        if assessment.state != from_state:
            log_event(assessment, WorkflowEvent.Action.SAVE, from_state, by=by)
    return assessment


def _store(assessment: Assessment) -> None:
    token = None if assessment.pk else assessment.form_token
    if token is None:
        assessment.save()
        return
    earlier = Assessment.objects.filter(form_token=token).first()
    if earlier is None:
        try:
            with transaction.atomic():
                assessment.save()
            return
        except IntegrityError:  # the same form, sent at the same moment, was stored first
            earlier = Assessment.objects.filter(form_token=token).first()
            if earlier is None:
                raise
    raise AlreadyCreated(earlier)


def assessment_step(
    assessment: Assessment, step: str, *, by, text: str = "", to_state: str | None = None
) -> Assessment:
    """Take `step` of the review workflow (assessments add no check and send no e-mail)."""
    return review_step(assessment, step, by=by, text=text, to_state=to_state)


def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """The facility's representative sends it to the Department for review."""
    return assessment_step(assessment, "submit", by=by)


def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    return assessment_step(assessment, "return", by=by, text=comment)


def assessment_approve(*, assessment: Assessment, by, comment: str = "") -> Assessment:
    return assessment_step(assessment, "approve", by=by, text=comment)


def assessment_reopen(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Unlock an approved assessment so it can be corrected; it goes back as returned, with the
    reason as the Department's comment."""
    return assessment_step(assessment, "reopen", by=by, text=reason)
