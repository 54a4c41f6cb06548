"""Staff's reminder to one facility now, from the missing-reports page (assessments/reminders.py
holds the rule and the write)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.access import staff_required
from core.numbers import format_number
from facilities.access import get_facility_for_user

from .. import reminders
from ..notifications import reminder_overdue, representatives
from ..report_forms import YearForm


@staff_required
def report_reminder(request, facility_pk):
    """GET: whom the reminder of the page's year goes to, or why it cannot go; POST: send it and
    go back to the missing-reports page with its filters (this page's query string)."""
    facility = get_facility_for_user(request, facility_pk)
    year = _year(request)
    back = reverse("assessments:missing_reports")
    if request.GET:
        back += "?" + request.GET.urlencode()
    if request.method == "POST":
        try:
            count = reminders.report_reminder_send(facility=facility, year=year, by=request.user)
        except reminders.ReminderRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _sent(facility, year, count))
        return redirect(back)
    context = {
        "facility": facility,
        "year": year,
        "back": back,
        "refusal": reminders.reminder_refusal(facility, year),
        "recipients": representatives(facility).order_by("full_name", "pk"),
        "overdue": reminder_overdue(facility, year),
    }
    return render(request, "assessments/report_reminder.html", context)


def _year(request) -> int:
    """The missing-reports page's year (its ?year=, else last year), read as the page reads it."""
    default_year = timezone.localdate().year - 1
    form = YearForm(request.GET if "year" in request.GET else {"year": default_year})
    return form.cleaned_data["year"] if form.is_valid() else default_year


def _sent(facility, year: int, count: int) -> str:
    return ngettext(
        "Đã gửi thư nhắc nộp báo cáo năm %(year)s cho %(facility)s (%(count)s người nhận).",
        "Đã gửi thư nhắc nộp báo cáo năm %(year)s cho %(facility)s (%(count)s người nhận).",
        count,
    ) % {"year": year, "facility": facility.name, "count": format_number(count)}
