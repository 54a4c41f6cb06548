"""assessments.deadlines: the deadline of a year, exceptions, who is late, reminder days."""

from datetime import date

from assessments.deadlines import (
    deadline_for,
    facilities_without_report,
    reminder_years,
    submission_open,
    years_due_on,
)
from assessments.models import DeadlineException, ReportingDeadline

from ..factories import AnnualReportFactory, FacilityFactory


def test_default_deadline_is_15_january_of_the_next_year(db):
    assert deadline_for(2019) == date(2020, 1, 15)


def test_staff_deadline_wins(db):
    ReportingDeadline.objects.create(year=2019, deadline=date(2020, 2, 1))
    assert deadline_for(2019) == date(2020, 2, 1)
    assert deadline_for(2018) == date(2019, 1, 15)


def test_submission_open_until_the_deadline_day_included(facility):
    assert submission_open(facility, 2019, date(2020, 1, 15))
    assert not submission_open(facility, 2019, date(2020, 1, 16))


def test_an_exception_is_per_facility_and_year(facility, other_facility):
    DeadlineException.objects.create(
        facility=facility, year=2019, until=date(2020, 2, 1), reason="Gia hạn"
    )
    assert submission_open(facility, 2019, date(2020, 2, 1))
    assert not submission_open(facility, 2019, date(2020, 2, 2))
    assert not submission_open(other_facility, 2019, date(2020, 1, 20))
    assert not submission_open(facility, 2018, date(2020, 1, 20))


def test_facilities_without_report(facility, other_facility):
    third = FacilityFactory(established_year=2021)  # not operating in 2019
    AnnualReportFactory(facility=facility, year=2019, state="submitted")
    AnnualReportFactory(facility=other_facility, year=2019, state="returned")
    assert list(facilities_without_report(2019)) == [other_facility]
    assert third not in facilities_without_report(2019)


def test_years_due_on(db):
    assert years_due_on(date(2020, 1, 15)) == [2019]
    assert years_due_on(date(2020, 1, 16)) == []
    ReportingDeadline.objects.create(year=2019, deadline=date(2020, 3, 1))
    assert years_due_on(date(2020, 1, 15)) == []
    assert years_due_on(date(2020, 3, 1)) == [2019]


def test_reminder_years(db):
    # 14 days before 15/01/2020 is 01/01/2020
    assert reminder_years(date(2020, 1, 1), 14) == [2019]
    assert reminder_years(date(2020, 1, 2), 14) == []
