"""Reporting deadlines: after a year's deadline a facility may submit only with an exception."""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from facilities.models import Facility

from .models import AnnualReport, DeadlineException, ReportingDeadline, default_deadline


def deadline_for(year: int) -> date:
    return ReportingDeadline.deadline_for(year)


def submission_open(facility: Facility, year: int, today: date | None = None) -> bool:
    """Whether `facility`'s representatives may still submit their report for `year`."""
    today = today or timezone.localdate()
    if today <= deadline_for(year):
        return True
    return DeadlineException.objects.filter(facility=facility, year=year, until__gte=today).exists()


def facilities_without_report(year: int):
    """Facilities operating in `year` that have not handed in (submitted or approved) its report."""
    reported = AnnualReport.objects.filter(year=year).reported().values("facility_id")
    return Facility.objects.operating_in(year).exclude(pk__in=reported)


def missing_by_district(year: int):
    """Per district: facilities operating in `year`, and how many have not handed in its report."""
    reported = AnnualReport.objects.filter(facility=OuterRef("pk"), year=year).reported()
    return (
        Facility.objects.operating_in(year)
        .values("commune__parent_id", "commune__parent__name")
        .annotate(
            total=Count("pk"),
            reported=Count("pk", filter=Exists(reported)),
            missing=Count("pk", filter=~Exists(reported)),
        )
        .order_by("commune__parent__name")
    )


def with_report_of(facilities, year: int):
    """Annotate `facilities` with the id and state of their report for `year` (if any) and the
    date staff extended its deadline to (`extended_until`, if they did)."""
    report = AnnualReport.objects.filter(facility=OuterRef("pk"), year=year)
    extension = DeadlineException.objects.filter(facility=OuterRef("pk"), year=year)
    return facilities.annotate(
        report_id=Subquery(report.values("pk")[:1]),
        report_state=Subquery(report.values("state")[:1]),
        extended_until=Subquery(extension.values("until")[:1]),
    )


def years_due_on(day: date) -> list[int]:
    """Reporting years whose deadline falls on `day` (the default one or one set by staff)."""
    stored = dict(ReportingDeadline.objects.values_list("year", "deadline"))
    years = {year for year, deadline in stored.items() if deadline == day}
    default_year = day.year - 1
    if default_year not in stored and default_deadline(default_year) == day:
        years.add(default_year)
    return sorted(years)


def reminder_years(today: date, days_before: int) -> list[int]:
    """Years whose deadline is exactly `days_before` days after `today` (one reminder each)."""
    return years_due_on(today + timedelta(days=days_before))
