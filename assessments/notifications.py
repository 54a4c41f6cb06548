"""E-mails of the review workflow of annual reports and CP assessments, and the reports'
deadline reminders. Celery tasks (assessments.tasks) call these.

Each mail is written in the language its recipients picked (`accounts.language.language_of`:
the choice kept on the account, else the portal's Vietnamese): one message per language, and it
links to the page it is about (`core.links.portal_link`, from PORTAL_URL)."""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.language import addresses_by_language
from accounts.models import Role, User
from core.links import portal_link

from .deadlines import (
    deadline_for,
    deadline_provinces,
    facilities_without_report,
    facility_deadline,
    facility_year_deadline,
    reminder_years,
    resubmittable,
    submission_open,
)
from .models import AnnualReport, Assessment, DeadlineException, WorkflowState


def _signature() -> str:
    return "\n\n-- \n" + _("Cổng thông tin Sản xuất sạch hơn · Sở Công Thương")


def _active_with_email(queryset):
    return queryset.filter(is_active=True).exclude(email="")


def _representatives(users=User.objects):
    """Of `users` (a facility's `users`, say), the facility accounts that are mailed about a
    facility's reports: linked accounts of another role (staff, officials) are told nothing."""
    return _active_with_email(users.filter(role=Role.FACILITY))


def representatives(facility):
    """The accounts mailed about `facility`'s reports (`_representatives`)."""
    return _representatives(facility.users)


def _messages(users, write: Callable[[], tuple[str, str]]) -> list[tuple]:
    """One message per language of `users`: `write()` gives its (subject, body) in the language
    active when it is called. The subject is one line whatever a name in it holds (a facility
    name imported with an Excel line break would make the mail unsendable)."""
    messages = []
    for language, recipients in addresses_by_language(users):
        with translation.override(language):
            subject, body = write()
            messages.append((" ".join(subject.split()), body + _signature(), None, recipients))
    return messages


def _send(users, write: Callable[[], tuple[str, str]]) -> int:
    """Send `write`'s mail to `users` (`_messages`); how many were sent."""
    messages = _messages(users, write)
    return send_mass_mail(messages) if messages else 0


def _link_line(link: str) -> str:
    return "\n\n" + _("Mở trên Cổng SXSH (cần đăng nhập):\n%(link)s") % {"link": link}


def report_submitted(report: AnnualReport) -> int:
    """Tell the Department's staff that a report waits for review (in a national installation
    the staff of the facility's province only)."""
    staff = User.objects.mailed_for(Role.STAFF, report.facility.province)
    link = portal_link("assessments:report_detail", report.pk)

    def write():
        subject = _("[SXSH] %(facility)s đã gửi báo cáo năm %(year)s") % _names(report)
        body = _(
            "%(facility)s (mã số thuế %(tax_code)s) đã gửi báo cáo năm %(year)s và đang chờ "
            "duyệt.\nVui lòng đăng nhập Cổng SXSH, mục “Báo cáo năm” → “Chờ duyệt” để xem và "
            "xử lý."
        ) % _names(report)
        return subject, body + _link_line(link)

    return _send(staff, write)


def report_reviewed(report: AnnualReport, state: str, comment: str = "", changed=()) -> int:
    """Tell the facility's representatives that their report was returned or approved. The mail
    says what the step decided, not what the report is when the mail is written (the queue may
    run it after later steps): `state`, the state the step moved the report to; `comment`, the
    Department's comment of that step; `changed`, the data fields staff changed when they
    approved it by saving it. The facility, the year and the recipients are read as stored."""
    if state not in (WorkflowState.RETURNED, WorkflowState.APPROVED):
        return 0
    users = _representatives(report.facility.users)
    link = portal_link("assessments:report_detail", report.pk)

    def write():
        names = _names(report)
        if state == WorkflowState.RETURNED:
            subject = _("[SXSH] Báo cáo năm %(year)s của %(facility)s bị trả lại để sửa") % names
            body = _("Sở Công Thương đã trả lại báo cáo năm %(year)s của %(facility)s.") % names
            body += "\n" + _("Ý kiến của Sở: %(comment)s") % {"comment": comment}
            body += "\n" + _("Vui lòng đăng nhập Cổng SXSH, sửa báo cáo và gửi lại.")
        else:
            subject = _("[SXSH] Báo cáo năm %(year)s của %(facility)s đã được duyệt") % names
            body = _("Sở Công Thương đã duyệt báo cáo năm %(year)s của %(facility)s.") % names
            if changed:
                body += "\n" + _changed_line(changed)
            if comment:
                body += "\n" + _("Ý kiến của Sở: %(comment)s") % {"comment": comment}
        return subject, body + _link_line(link)

    return _send(users, write)


def _changed_line(changed) -> str:
    """The data fields (names) staff changed before approving, by their labels."""
    fields = [str(AnnualReport._meta.get_field(name).verbose_name) for name in changed]
    return _(
        "Cán bộ Sở đã sửa số liệu của báo cáo khi duyệt: %(fields)s. Xem lịch sử thay đổi trên "
        "trang báo cáo."
    ) % {"fields": ", ".join(fields)}


def assessment_submitted(assessment: Assessment) -> int:
    """Tell the staff who hear of the facility's submitted reports (`report_submitted`) that a
    CP assessment waits for review."""
    staff = User.objects.mailed_for(Role.STAFF, assessment.facility.province)
    link = portal_link("assessments:assessment_detail", assessment.pk)

    def write():
        names = _assessment_names(assessment)
        subject = _("[SXSH] %(facility)s đã gửi đánh giá SXSH (%(kind)s) chờ duyệt") % names
        body = (
            _(
                "%(facility)s (mã số thuế %(tax_code)s) đã gửi đánh giá SXSH (%(kind)s) và "
                "đang chờ duyệt.\nVui lòng đăng nhập Cổng SXSH, mục “Đánh giá SXSH”, để xem và "
                "xử lý."
            )
            % names
        )
        return subject, body + _link_line(link)

    return _send(staff, write)


def assessment_reviewed(assessment: Assessment, state: str, comment: str = "") -> int:
    """Tell the facility's representatives that their CP assessment was returned (also when
    staff reopen it as returned: `comment` is then their reason) or approved; as
    `report_reviewed`, from what the step decided (`state`, `comment`)."""
    if state not in (WorkflowState.RETURNED, WorkflowState.APPROVED):
        return 0
    users = _representatives(assessment.facility.users)
    link = portal_link("assessments:assessment_detail", assessment.pk)

    def write():
        names = _assessment_names(assessment)
        if state == WorkflowState.RETURNED:
            subject = _("[SXSH] Đánh giá SXSH (%(kind)s) của %(facility)s bị trả lại để sửa")
            body = _("Sở Công Thương đã trả lại đánh giá SXSH (%(kind)s) của %(facility)s.")
        else:
            subject = _("[SXSH] Đánh giá SXSH (%(kind)s) của %(facility)s đã được duyệt")
            body = _("Sở Công Thương đã duyệt đánh giá SXSH (%(kind)s) của %(facility)s.")
        body %= names
        if comment:
            body += "\n" + _("Ý kiến của Sở: %(comment)s") % {"comment": comment}
        if state == WorkflowState.RETURNED:
            body += "\n" + _("Vui lòng đăng nhập Cổng SXSH, sửa đánh giá và gửi lại.")
        return subject % names, body + _link_line(link)

    return _send(users, write)


def _assessment_names(assessment: Assessment) -> dict:
    facility = assessment.facility
    kind = assessment.get_kind_display()  # in the language active when the mail is written
    return {"facility": facility.name, "tax_code": facility.tax_code, "kind": kind}


def deadline_reminders(today: date, days_before: int) -> int:
    """Remind the representatives of facilities that have not handed in the report of a year
    whose deadline is `days_before` days away. Returns the number of e-mails sent."""
    messages = []
    link = portal_link("assessments:report_list")
    for province in deadline_provinces():
        for year in reminder_years(today, days_before, province):
            day = deadline_for(year, province)
            # A facility whose deadline staff extended is reminded before its own day (below).
            late = _late_facilities(year, province).exclude(_extended_past(year, day))
            for facility in late:
                messages += _reminders(facility, year, date_format(day, "d/m/Y"), link)
    messages += _extension_reminders(today + timedelta(days=days_before), link)
    return send_mass_mail(messages) if messages else 0


def _extended_past(year: int, day: date) -> Exists:
    """Facilities that staff let submit `year`'s report later than `day` (deadline_exceptions)."""
    later = DeadlineException.objects.filter(facility=OuterRef("pk"), year=year, until__gt=day)
    return Exists(later)


def _extension_reminders(due: date, link: str) -> list[tuple]:
    """Reminders to the facilities whose own deadline (deadlines.facility_deadline: an extension
    later than their province's) is `due`."""
    messages = []
    # order_by(): the model's ordering (facility) would make DISTINCT one year per facility,
    # and each late facility would be reminded once for every facility extended to that day.
    years = DeadlineException.objects.filter(until=due).order_by().values_list("year", flat=True)
    for year in years.distinct():
        extended = _late_facilities(year).filter(
            deadline_exceptions__year=year, deadline_exceptions__until=due
        )
        for facility in extended.exclude(_extended_past(year, due)).distinct():
            # Not when the province's own deadline is that day: reminded with the province's.
            if facility_year_deadline(facility, year) < due:
                messages += _reminders(facility, year, date_format(due, "d/m/Y"), link)
    return messages


def _late_facilities(year: int, province: str | None = None):
    """The year's late facilities bound by `province`'s deadlines (deadlines.province_of; None:
    every province's)."""
    users = Prefetch("users", queryset=_representatives())
    late = facilities_without_report(year)
    if settings.PORTAL_SCOPE == "national" and province is not None:
        late = late.filter(province=province)
    return late.order_by("pk").prefetch_related(users)


def report_reminder(facility_id: int, year: int) -> int:
    """Staff's reminder to one facility now (assessments.reminders): the scheduled reminder's
    mail to its representatives, unless it handed the report in meanwhile, in the words of
    `reminder_kind` (a returned report: to correct and resend it; past its deadline: to contact
    the Department, as it can no longer submit)."""
    facility = _late_facilities(year).filter(pk=facility_id).first()
    if facility is None:
        return 0
    day = date_format(facility_deadline(facility, year), "d/m/Y")
    link = portal_link("assessments:report_list")
    messages = _reminders(facility, year, day, link, kind=reminder_kind(facility, year))
    return send_mass_mail(messages) if messages else 0


def reminder_kind(facility, year: int) -> str:
    """What a reminder of `year`'s report asks `facility` now: "returned", to resend the report
    staff returned to it (deadlines.resubmittable: no deadline holds it); "due", to submit it
    by its deadline (deadlines.submission_open); else "overdue": its deadline passed."""
    reports = AnnualReport.objects.filter(facility=facility, year=year)
    if resubmittable(reports).exists():
        return "returned"
    return "due" if submission_open(facility, year) else "overdue"


def reminder_overdue(facility, year: int) -> bool:
    """Whether `facility` can no longer submit `year`'s report itself (`reminder_kind`)."""
    return reminder_kind(facility, year) == "overdue"


def _reminders(facility, year: int, deadline: str, link: str, kind: str = "due") -> list[tuple]:
    """The reminder to `facility`'s representatives (its `users`, prefetched as
    `_late_facilities` does) of the report due by `deadline`, in the words of `kind`
    (`reminder_kind`)."""
    names = {"facility": facility.name, "year": year, "deadline": deadline}

    def write():
        if kind == "returned":
            subject = _("[SXSH] Nhắc gửi lại báo cáo năm %(year)s đã được trả lại để sửa")
            body = _(
                "Sở Công Thương đã trả lại báo cáo năm %(year)s của %(facility)s để sửa và chưa "
                "nhận được bản gửi lại.\nVui lòng đăng nhập Cổng SXSH, mục “Báo cáo năm”, xem ý "
                "kiến của Sở, sửa và gửi lại báo cáo."
            )
        elif kind == "overdue":
            subject = _("[SXSH] Nhắc nộp báo cáo năm %(year)s (đã quá hạn ngày %(deadline)s)")
            body = _(
                "Sở Công Thương chưa nhận được báo cáo năm %(year)s của %(facility)s.\n"
                "Hạn nộp là ngày %(deadline)s và đã qua. Vui lòng liên hệ Sở Công Thương để được "
                "gia hạn, hoặc gửi số liệu để Sở nhập thay cơ sở."
            )
        else:
            subject = _("[SXSH] Nhắc nộp báo cáo năm %(year)s trước ngày %(deadline)s")
            body = _(
                "Sở Công Thương chưa nhận được báo cáo năm %(year)s của %(facility)s.\n"
                "Hạn nộp là ngày %(deadline)s. Vui lòng đăng nhập Cổng SXSH, mục “Báo cáo năm”, "
                "để lập và gửi báo cáo."
            )
        return subject % names, body % names + _link_line(link)

    return _messages(facility.users.all(), write)


def _names(report: AnnualReport) -> dict:
    facility = report.facility
    return {"facility": facility.name, "tax_code": facility.tax_code, "year": report.year}
