"""A facility whose deadline staff extended is reminded once, however many other facilities
were given the same day (the years of the extensions due that day are counted once each)."""

from datetime import date

from accounts.models import Role
from assessments import tasks
from assessments.models import DeadlineException

from ..factories import AnnualReportFactory, FacilityFactory, UserFactory

UNTIL = date(2020, 3, 31)


def _run_on(day, monkeypatch, settings) -> int:
    settings.REPORT_REMINDER_DAYS = 14
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: day)
    return tasks.send_report_reminders()


def test_one_reminder_when_another_facility_has_the_same_extension(
    facility_user, facility, outsider, other_facility, monkeypatch, mailoutbox, settings
):
    # The other facility handed its report in; both were allowed until the same day.
    AnnualReportFactory(facility=other_facility, year=2019, state="submitted")
    for extended in (facility, other_facility):
        DeadlineException.objects.create(facility=extended, year=2019, until=UNTIL)
    assert _run_on(date(2020, 3, 17), monkeypatch, settings) == 1
    [mail] = mailoutbox
    assert mail.to == [facility_user.email]
    assert "trước ngày 31/03/2020" in mail.subject


def test_each_late_facility_with_the_same_extension_is_reminded_once(
    facility_user, facility, monkeypatch, mailoutbox, settings
):
    others = []
    for n in range(2):
        other = FacilityFactory(name=f"Cơ sở gia hạn {n}")
        user = UserFactory(username=f"coso_gia_han_{n}", role=Role.FACILITY)
        user.facilities.add(other)
        others.append(user)
    for extended in (facility, *(user.facilities.get() for user in others)):
        DeadlineException.objects.create(facility=extended, year=2019, until=UNTIL)
    assert _run_on(date(2020, 3, 17), monkeypatch, settings) == 3
    addresses = sorted(address for mail in mailoutbox for address in mail.to)
    assert addresses == sorted([facility_user.email, *(user.email for user in others)])
