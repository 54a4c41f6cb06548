"""Writes of the annual self-report workflow (DESIGN §3; the steps are those of
`models.workflow.TRANSITIONS`, taken by `review.review_step`).

Reports that staff enter on a facility's behalf are approved when saved. An approved report is
locked: only `annual_report_reopen` unlocks it. Every step logs a WorkflowEvent with the comment
in the same transaction and queues its e-mail with `transaction.on_commit`.
"""

from copy import copy
from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import notes
from facilities.access import can_write_facility

from . import quality, tasks
from .deadlines import facility_deadline, report_submission_open
from .history_notes import STAFF_ENTRY_NOTE
from .models import AnnualReport, WorkflowError, WorkflowEvent, WorkflowState, state_after_save
from .review import lock, log_event, review_step, save_with_history

__all__ = [
    "WorkflowError",
    "annual_report_approve",
    "annual_report_reopen",
    "annual_report_return",
    "annual_report_save",
    "annual_report_save_check",
    "annual_report_step",
    "annual_report_submit",
    "missing_justification",
]

State = WorkflowState
Action = WorkflowEvent.Action

JUSTIFICATION_REQUIRED = gettext_lazy(
    "Báo cáo có cảnh báo về số liệu; cần ghi giải trình về các cảnh báo trước khi gửi Sở duyệt."
)


def annual_report_save(*, report: AnnualReport, by: User, findings=None) -> AnnualReport:
    """Create or update `report` (already validated). A staff save approves it; a facility
    representative's save keeps it a draft (or returned, until it is resubmitted). `findings`:
    `quality.check_report(report)` as the caller ran it inside the same transaction (the report
    form shows them before saving); else the rules are run here."""
    if not can_write_facility(by, report.facility):
        raise PermissionDenied
    with transaction.atomic():
        before = lock(report) if report.pk else None
        stored = before.state if before else None
        findings = _checked(report, stored, by, findings)
        if stored is None:
            report.created_by = by
        if by.is_portal_staff:
            report.reviewed_by, report.reviewed_at = by, timezone.now()
        comment = notes.stored(STAFF_ENTRY_NOTE) if by.is_portal_staff else ""
        _store(
            report,
            by=by,
            reason=comment or notes.stored(Action.SAVE.label),
            new=stored is None,
        )
        log_event(report, Action.SAVE, stored or "", by=by, comment=comment)
        quality.refresh_report(report, findings)
        if before is not None and report.state == State.APPROVED:
            # Staff approved a report the facility had filed: it hears of it as of "Duyệt",
            # with the figures staff changed on the way.
            changed = _changed_figures(before, report)
            transaction.on_commit(lambda: _notify("approve", report, changed))
    report.checked_findings = findings
    return report


def annual_report_save_check(report: AnnualReport, *, by: User) -> list:
    """Check `report` as `annual_report_save` by `by` would, leaving it unchanged: the state the
    save leads to, the model's validation in that state and the data-quality rules (errors
    refuse a save that approves it), a ValidationError each. For a form's validation before it
    saves (the Django admin's); returns the findings to hand to the save, in the same
    transaction."""
    stored = None
    if report.pk:
        stored = AnnualReport.objects.filter(pk=report.pk).values_list("state", flat=True).first()
    return _checked(copy(report), stored, by)


def _checked(report: AnnualReport, stored: str | None, by: User, findings=None) -> list:
    """Move `report` to the state `by`'s save leads to from `stored` (its state in the database,
    None when new), validate it and run the data-quality rules (unless `findings` are given).
    Returns the findings."""
    state = state_after_save(report, stored, by)
    if state != stored:
        report.move_to(state)
    report.full_clean()
    if findings is None:
        findings = quality.check_report(report)
    if report.state == State.APPROVED:
        # Errors block approval (a staff entry) and submission; a facility's draft keeps
        # them until it is submitted (annual_report_submit refuses it then).
        _refuse_errors(findings)
    return findings


def _changed_figures(before: AnnualReport, after: AnnualReport) -> list[str]:
    """The names of the data fields whose value differs between the two versions."""
    return [
        name for name in AnnualReport.DATA_FIELDS if getattr(before, name) != getattr(after, name)
    ]


def _store(report: AnnualReport, *, by: User, reason: str, new: bool) -> None:
    """Save with history. A new report can still lose a race on (facility, year) after
    `full_clean` passed (the same form sent twice at once): the loser gets the form's message
    on the year, not a server error."""
    try:
        with transaction.atomic():
            save_with_history(report, by=by, reason=reason)
    except IntegrityError as error:
        filed = AnnualReport.objects.filter(facility=report.facility_id, year=report.year)
        if not new or not filed.exists():
            raise
        message = _("Cơ sở đã có báo cáo năm %(year)s; hãy mở báo cáo đó để sửa.")
        raise ValidationError({"year": message % {"year": report.year}}) from error


def _refuse_errors(findings) -> None:
    """The data-quality errors stop an approving save: a ValidationError on their fields."""
    errors = quality.errors(findings)
    if errors:
        by_field = {}
        for finding in errors:
            by_field.setdefault(finding.field, []).append(finding.message)
        raise ValidationError(by_field)


def annual_report_step(
    report: AnnualReport,
    step: str,
    *,
    by: User,
    text: str = "",
    to_state: str | None = None,
    today: date | None = None,
) -> AnnualReport:
    """Take `step` of the review workflow with the report's own check (output, data-quality
    errors and deadline before a submission; data-quality errors before an approval: DESIGN §4,
    an error blocks approval, even one a rule raised after the report was submitted) and
    e-mails."""
    checks = {
        "submit": lambda current: _check_submittable(current, today),
        "approve": _check_approvable,
    }
    check = checks.get(step)
    notify = partial(_notify, step)
    return review_step(
        report, step, by=by, text=text, to_state=to_state, check=check, notify=notify
    )


def annual_report_submit(
    *, report: AnnualReport, by: User, today: date | None = None
) -> AnnualReport:
    """A facility's representative hands in a draft or returned report, before the deadline
    (or within an exception staff granted); a report returned after the Department received it
    also after the deadline (deadlines.report_submission_open)."""
    return annual_report_step(report, "submit", by=by, today=today)


def annual_report_return(*, report: AnnualReport, by: User, comment: str) -> AnnualReport:
    """Staff send a submitted report back to the facility; the comment says what to fix."""
    return annual_report_step(report, "return", by=by, text=comment)


def annual_report_approve(*, report: AnnualReport, by: User, comment: str = "") -> AnnualReport:
    return annual_report_step(report, "approve", by=by, text=comment)


def annual_report_reopen(
    *, report: AnnualReport, by: User, reason: str, to_state: str = State.RETURNED
) -> AnnualReport:
    """Staff unlock an approved report so that it can be corrected; the reason is logged (and,
    when it goes back as returned, shown to the facility as the Department's comment)."""
    return annual_report_step(report, "reopen", by=by, text=reason, to_state=to_state)


# --- helpers ---------------------------------------------------------------------------------


def _notify(step: str, report: AnnualReport, changed: list[str] | None = None) -> None:
    """Staff hear of a submission; the facility of a report returned or approved (a reopened
    report going back as a draft is not news to them), and of the figures staff `changed` when
    they approved it by saving it. Called on commit with the report as the step left it: the
    task gets the step's state and comment, since the report may have moved on by the time the
    worker writes the mail."""
    if step == "submit":
        tasks.notify_report_submitted.delay(report.pk)
    elif report.state in (State.RETURNED, State.APPROVED):
        tasks.notify_report_reviewed.delay(
            report.pk,
            state=str(report.state),
            comment=report.review_comment,
            changed=list(changed or []),
        )


def missing_justification(report: AnnualReport, findings) -> bool:
    """Whether `report` may not be submitted for want of the facility's justification: it has
    data-quality warnings and no justification (DESIGN §4)."""
    return bool(quality.warnings(findings)) and not (report.quality_justification or "").strip()


def _check_approvable(report: AnnualReport) -> None:
    findings = quality.check_report(report)
    quality.refresh_report(report, findings)
    if errors := quality.errors(findings):
        raise WorkflowError(
            [_("Chưa duyệt được: báo cáo còn lỗi số liệu; trả lại để cơ sở sửa.")]
            + [f.message for f in errors]
        )
    # The approved report becomes the baseline of the facility's assessments of its year.
    if baseline_errors := report.baseline_use_errors():
        raise WorkflowError(
            [_("Chưa duyệt được: số liệu báo cáo thấp hơn mức tiết kiệm của các giải pháp SXSH.")]
            + [message for messages in baseline_errors.values() for message in messages]
        )


def _check_submittable(report: AnnualReport, today: date | None) -> list[str] | None:
    if report.output is None:
        raise WorkflowError(_("Cần nhập sản lượng trước khi gửi báo cáo."))
    findings = quality.check_report(report)
    errors = quality.errors(findings)
    if errors:
        raise WorkflowError([f.message for f in errors])
    if missing_justification(report, findings):
        raise WorkflowError(JUSTIFICATION_REQUIRED)
    quality.refresh_report(report, findings)
    if not report_submission_open(report, today):
        deadline = date_format(facility_deadline(report.facility, report.year), "d/m/Y")
        raise WorkflowError(
            _(
                "Đã quá hạn nộp báo cáo năm %(year)s (%(deadline)s). Vui lòng liên hệ "
                "Sở Công Thương để được gia hạn."
            )
            % {"year": report.year, "deadline": deadline}
        )
    if report.quality_justification and not quality.warnings(findings):
        # The data were corrected: a justification of warnings no longer found would mislead
        # the reviewer. The step's own save (review_step) stores it cleared, with its history.
        report.quality_justification = ""
        return ["quality_justification"]
    return None
