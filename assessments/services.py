"""Writes of the annual self-report workflow (DESIGN §3):

    draft ─submit→ submitted ─return→ returned ─submit→ submitted ─approve→ approved
    approved ─reopen (staff, with a reason)→ returned | draft

Reports that staff enter on a facility's behalf are approved when saved. An approved report is
locked: only `annual_report_reopen` unlocks it. Every function locks the row, checks who acts
and the stored state, logs a WorkflowEvent with the comment in the same transaction, and queues
its e-mail with `transaction.on_commit`.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.access import can_write_facility, is_representative

from . import tasks
from .deadlines import deadline_for, submission_open
from .models import AnnualReport, WorkflowEvent, WorkflowState

State = WorkflowState
Action = WorkflowEvent.Action
REOPEN_TARGETS = (State.RETURNED, State.DRAFT)


class WorkflowError(ValidationError):
    """A step the report's current state does not allow, or a missing comment or reason."""


def annual_report_save(*, report: AnnualReport, by: User) -> AnnualReport:
    """Create or update `report` (already validated). A staff save approves it; a facility
    representative's save keeps it a draft (or returned, until it is resubmitted)."""
    if not can_write_facility(by, report.facility):
        raise PermissionDenied
    with transaction.atomic():
        stored = _stored_state(report)
        _check_editable(stored, by)
        if stored is None:
            report.created_by = by
        if by.is_portal_staff:
            report.state, report.review_comment = State.APPROVED, ""
            report.reviewed_by, report.reviewed_at = by, timezone.now()
        else:
            report.state = stored or State.DRAFT
        comment = _("Cán bộ Sở nhập thay cơ sở; duyệt khi lưu.") if by.is_portal_staff else ""
        report.full_clean()
        _save(report, by, comment or str(Action.SAVE.label))
        _log(report, Action.SAVE, stored or "", by, comment)
    return report


def annual_report_submit(
    *, report: AnnualReport, by: User, today: date | None = None
) -> AnnualReport:
    """A facility's representative hands in a draft or returned report, before the deadline
    (or within an exception staff granted)."""
    _require_representative(by, report)
    with transaction.atomic():
        current = _locked(report, allowed_from=(State.DRAFT, State.RETURNED))
        _check_submittable(current, today)
        current.submitted_at = timezone.now()
        _move(current, Action.SUBMIT, State.SUBMITTED, by, "", ["submitted_at"])
        transaction.on_commit(lambda: tasks.notify_report_submitted.delay(current.pk))
    report.refresh_from_db()
    return report


def annual_report_return(*, report: AnnualReport, by: User, comment: str) -> AnnualReport:
    """Staff send a submitted report back to the facility; the comment says what to fix."""
    _require_staff(by)
    comment = _required_text(comment, _("Cần ghi ý kiến khi trả lại báo cáo."))
    return _review(report, by, Action.RETURN, State.RETURNED, comment)


def annual_report_approve(*, report: AnnualReport, by: User, comment: str = "") -> AnnualReport:
    _require_staff(by)
    return _review(report, by, Action.APPROVE, State.APPROVED, (comment or "").strip())


def annual_report_reopen(
    *, report: AnnualReport, by: User, reason: str, to_state: str = State.RETURNED
) -> AnnualReport:
    """Staff unlock an approved report so that it can be corrected; the reason is logged (and,
    when it goes back as returned, shown to the facility as the Department's comment)."""
    _require_staff(by)
    reason = _required_text(reason, _("Cần ghi lý do mở lại báo cáo đã duyệt."))
    if to_state not in REOPEN_TARGETS:
        raise WorkflowError(_("Báo cáo chỉ có thể mở lại về trạng thái nháp hoặc trả lại."))
    with transaction.atomic():
        current = _locked(report, allowed_from=(State.APPROVED,))
        current.review_comment = reason if to_state == State.RETURNED else current.review_comment
        _move(current, Action.REOPEN, to_state, by, reason, ["review_comment"])
        if to_state == State.RETURNED:
            transaction.on_commit(lambda: tasks.notify_report_reviewed.delay(current.pk))
    report.refresh_from_db()
    return report


# --- helpers ---------------------------------------------------------------------------------


def _review(report, by, action, to_state, comment) -> AnnualReport:
    with transaction.atomic():
        current = _locked(report, allowed_from=(State.SUBMITTED,))
        current.review_comment = comment
        current.reviewed_by, current.reviewed_at = by, timezone.now()
        fields = ["review_comment", "reviewed_by", "reviewed_at"]
        _move(current, action, to_state, by, comment, fields)
        transaction.on_commit(lambda: tasks.notify_report_reviewed.delay(current.pk))
    report.refresh_from_db()
    return report


def _move(report, action, to_state, by, comment, fields) -> None:
    from_state = report.state
    report.state = to_state
    _save(report, by, comment or str(action.label), ["state", "updated_at", *fields])
    _log(report, action, from_state, by, comment)


def _save(report, by, reason, update_fields=None) -> None:
    report._history_user = by
    report._change_reason = reason
    report.save(update_fields=update_fields)


def _log(report, action, from_state, by, comment="") -> WorkflowEvent:
    return WorkflowEvent.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.state,
        comment=comment,
        by=by,
    )


def _stored_state(report: AnnualReport) -> str | None:
    """The state in the database (row locked for the transaction); None for a new report."""
    if report.pk is None:
        return None
    rows = AnnualReport.objects.select_for_update().filter(pk=report.pk)
    return rows.values_list("state", flat=True).get()


def _locked(report: AnnualReport, *, allowed_from) -> AnnualReport:
    current = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if current.state not in allowed_from:
        raise WorkflowError(
            _("Không thể thực hiện thao tác này khi báo cáo ở trạng thái “%(state)s”.")
            % {"state": current.get_state_display()}
        )
    return current


def _check_editable(stored: str | None, by: User) -> None:
    if stored == State.APPROVED:
        raise WorkflowError(
            _("Báo cáo đã được duyệt và bị khóa; cán bộ Sở cần mở lại trước khi sửa.")
        )
    if stored == State.SUBMITTED and not by.is_portal_staff:
        raise WorkflowError(_("Báo cáo đang chờ Sở duyệt nên không sửa được."))


def _check_submittable(report: AnnualReport, today: date | None) -> None:
    if report.output is None:
        raise WorkflowError(_("Cần nhập sản lượng trước khi gửi báo cáo."))
    if not submission_open(report.facility, report.year, today):
        deadline = date_format(deadline_for(report.year), "d/m/Y")
        raise WorkflowError(
            _(
                "Đã quá hạn nộp báo cáo năm %(year)s (%(deadline)s). Vui lòng liên hệ "
                "Sở Công Thương để được gia hạn."
            )
            % {"year": report.year, "deadline": deadline}
        )


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message)
    return text


def _require_staff(user: User) -> None:
    if not user.is_portal_staff:
        raise PermissionDenied(_("Chỉ cán bộ Sở Công Thương được thực hiện thao tác này."))


def _require_representative(user: User, report: AnnualReport) -> None:
    if not is_representative(user, report.facility):
        raise PermissionDenied(_("Chỉ người đại diện của cơ sở được gửi báo cáo."))
