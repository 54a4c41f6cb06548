"""A reminder staff send one facility now, from the missing-reports page: the rule (may it be
reminded of a year's report now? why not?) and the write (record who asked, queue the mail).

The scheduled reminders (notifications.deadline_reminders) go out REPORT_REMINDER_DAYS before a
deadline; these when staff ask, at most once per facility and year within REMIND_AGAIN_AFTER.
The audit log (core.audit, action REPORT_REMINDER) is their record: who asked, when, for which
facility and year, to how many recipients. The mail itself is notifications.report_reminder's,
sent by the `notify_report_reminder` task once the entry is committed."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditEvent
from facilities.models import Facility

from . import tasks
from .deadlines import facilities_without_report
from .notifications import representatives

REMIND_AGAIN_AFTER = timedelta(hours=24)


class ReminderRefused(Exception):
    """Why a facility may not be reminded now; the message is for staff."""


def last_reminder(facility: Facility, year: int) -> AuditEvent | None:
    """The latest reminder staff sent `facility` about `year`'s report, if any."""
    entries = AuditEvent.objects.filter(
        action=audit.Action.REPORT_REMINDER, detail__facility_id=facility.pk, detail__year=year
    )
    return entries.select_related("actor").order_by("-at", "-pk").first()


def reminder_refusal(facility: Facility, year: int, now=None) -> str | None:
    """Why `facility` may not be reminded of `year`'s report now (None: it may): it was not
    operating that year, or has handed the report in (submitted or approved); nobody would get
    the mail; or it was reminded within REMIND_AGAIN_AFTER."""
    names = {"facility": facility.name, "year": year}
    if not facilities_without_report(year, Facility.objects.filter(pk=facility.pk)).exists():
        if reason := facility.not_operating_reason(year):
            return _(
                "%(facility)s không hoạt động trong năm %(year)s (%(reason)s), không phải báo "
                "cáo năm này."
            ) % {**names, "reason": reason}
        return (
            _(
                "%(facility)s đã có báo cáo năm %(year)s (đã gửi hoặc đã được duyệt); không cần "
                "nhắc."
            )
            % names
        )
    if not representatives(facility).exists():
        return _no_recipient(facility)
    last = last_reminder(facility, year)
    now = now or timezone.now()
    if last is not None and last.at > now - REMIND_AGAIN_AFTER:
        return _(
            "%(facility)s đã được nhắc nộp báo cáo năm %(year)s lúc %(time)s (%(who)s). Chỉ "
            "nhắc lại được từ %(again)s."
        ) % {
            **names,
            "time": _moment(last.at),
            "who": last.actor or last.actor_username,
            "again": _moment(last.at + REMIND_AGAIN_AFTER),
        }
    return None


def _no_recipient(facility: Facility) -> str:
    text = _(
        "%(facility)s không có tài khoản đại diện nào đang hoạt động có e-mail để nhận thư nhắc. "
        "Hãy gọi điện cho cơ sở."
    ) % {"facility": facility.name}
    if facility.contact_phone:
        text += " " + _("Số điện thoại liên hệ: %(phone)s.") % {"phone": facility.contact_phone}
    return text


def _moment(at) -> str:
    return date_format(timezone.localtime(at), "H:i d/m/Y")


def report_reminder_send(*, facility: Facility, year: int, by) -> int:
    """Remind `facility`'s representatives of `year`'s report now, as `by` (staff) asks: record
    it in the audit log and queue the mail on commit. Returns how many will get it; raises
    ReminderRefused with `reminder_refusal`'s reason."""
    with transaction.atomic():
        # Two clicks at once: the second waits for the first's entry, then is refused.
        facility = Facility.objects.select_for_update().get(pk=facility.pk)
        if refusal := reminder_refusal(facility, year):
            raise ReminderRefused(refusal)
        recipients = representatives(facility).count()
        audit.record(
            audit.current_request(),
            audit.Action.REPORT_REMINDER,
            actor=by,
            target=facility,
            facility_id=facility.pk,
            year=year,
            recipients=recipients,
        )
        transaction.on_commit(lambda: tasks.notify_report_reminder.delay(facility.pk, year))
    return recipients
