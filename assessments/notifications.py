"""E-mails of the annual-report workflow. Celery tasks (assessments.tasks) call these."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .deadlines import (
    deadline_for,
    deadline_provinces,
    facilities_without_report,
    reminder_years,
)
from .models import AnnualReport, WorkflowState

SIGNATURE = "\n\n-- \nCổng thông tin Sản xuất sạch hơn · Sở Công Thương"


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users if user.email})


def _active_with_email(queryset):
    return queryset.filter(is_active=True).exclude(email="")


def report_submitted(report: AnnualReport) -> int:
    """Tell the Department's staff that a report waits for review (in a national installation
    the staff of the facility's province only)."""
    staff = User.objects.mailed_for(Role.STAFF, report.facility.province)
    recipients = _addresses(staff)
    if not recipients:
        return 0
    subject = _("[SXSH] %(facility)s đã gửi báo cáo năm %(year)s") % _names(report)
    body = _(
        "%(facility)s (mã số thuế %(tax_code)s) đã gửi báo cáo năm %(year)s và đang chờ duyệt."
        "\nVui lòng đăng nhập Cổng SXSH, mục “Báo cáo năm” → “Chờ duyệt” để xem và xử lý."
    ) % _names(report)
    return send_mass_mail([(subject, body + SIGNATURE, None, recipients)])


def report_reviewed(report: AnnualReport) -> int:
    """Tell the facility's representatives that their report was returned or approved."""
    recipients = _addresses(_active_with_email(report.facility.users.all()))
    if not recipients or report.state not in (WorkflowState.RETURNED, WorkflowState.APPROVED):
        return 0
    names = _names(report)
    if report.state == WorkflowState.RETURNED:
        subject = _("[SXSH] Báo cáo năm %(year)s của %(facility)s bị trả lại để sửa") % names
        body = _("Sở Công Thương đã trả lại báo cáo năm %(year)s của %(facility)s.") % names
        body += "\n" + _("Ý kiến của Sở: %(comment)s") % {"comment": report.review_comment}
        body += "\n" + _("Vui lòng đăng nhập Cổng SXSH, sửa báo cáo và gửi lại.")
    else:
        subject = _("[SXSH] Báo cáo năm %(year)s của %(facility)s đã được duyệt") % names
        body = _("Sở Công Thương đã duyệt báo cáo năm %(year)s của %(facility)s.") % names
        if report.review_comment:
            body += "\n" + _("Ý kiến của Sở: %(comment)s") % {"comment": report.review_comment}
    return send_mass_mail([(subject, body + SIGNATURE, None, recipients)])


def deadline_reminders(today: date, days_before: int) -> int:
    """Remind the representatives of facilities that have not handed in the report of a year
    whose deadline is `days_before` days away. Returns the number of e-mails sent."""
    messages = []
    for province in deadline_provinces():
        for year in reminder_years(today, days_before, province):
            deadline = date_format(deadline_for(year, province), "d/m/Y")
            for facility in _late_facilities(year, province):
                recipients = _addresses(facility.users.all())
                if recipients:
                    messages.append(_reminder(facility, year, deadline, recipients))
    return send_mass_mail(messages) if messages else 0


def _late_facilities(year: int, province: str):
    """The year's late facilities bound by `province`'s deadlines (deadlines.province_of)."""
    users = Prefetch("users", queryset=_active_with_email(User.objects.filter(role=Role.FACILITY)))
    late = facilities_without_report(year)
    if settings.PORTAL_SCOPE == "national":
        late = late.filter(province=province)
    return late.order_by("pk").prefetch_related(users)


def _reminder(facility, year: int, deadline: str, recipients: list[str]) -> tuple:
    names = {"facility": facility.name, "year": year, "deadline": deadline}
    subject = _("[SXSH] Nhắc nộp báo cáo năm %(year)s trước ngày %(deadline)s") % names
    body = (
        _(
            "Sở Công Thương chưa nhận được báo cáo năm %(year)s của %(facility)s.\n"
            "Hạn nộp là ngày %(deadline)s. Vui lòng đăng nhập Cổng SXSH, mục “Báo cáo năm”, "
            "để lập và gửi báo cáo."
        )
        % names
    )
    return (subject, body + SIGNATURE, None, recipients)


def _names(report: AnnualReport) -> dict:
    facility = report.facility
    return {"facility": facility.name, "tax_code": facility.tax_code, "year": report.year}
