"""Reporting deadlines: after a year's deadline a facility may submit only with an exception,
or resend a report staff returned after receiving it (resubmittable)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.collation import vietnamese
from facilities.models import Facility
from facilities.territory import TERRITORY_CHANGE_YEAR, unit_label

from .models import (
    AnnualReport,
    DeadlineException,
    ReportingDeadline,
    WorkflowEvent,
    WorkflowState,
    default_deadline,
)


def deadline_for(year: int, province: str = "") -> date:
    """`year`'s deadline in `province` (ReportingDeadline.province; "" the installation's)."""
    return ReportingDeadline.deadline_for(year, province)


def province_of(facility: Facility) -> str:
    """The province whose deadlines bind `facility`: its own in a national installation (DESIGN
    §2), "" (the installation's) in a one-province one."""
    return facility.province if settings.PORTAL_SCOPE == "national" else ""


def deadline_provinces() -> list[str]:
    """The provinces whose deadlines bind some facility (province_of): [""] (the installation's)
    in a one-province installation; every province with facilities in a national one (each with
    its own deadline, else the national default; "" for facilities not yet placed)."""
    if settings.PORTAL_SCOPE != "national":
        return [""]
    return list(Facility.objects.order_by("province").values_list("province", flat=True).distinct())


def deadline_province(user) -> str | None:
    """The province whose deadlines `user` (staff) reads and sets: "" (the installation's) in a
    one-province installation, and for a national installation's superusers (the default of every
    province that sets none); a national installation's province staff their own province; None
    (nothing) for the Ministry and for a staff account without a province."""
    if settings.PORTAL_SCOPE != "national" or user.is_superuser:
        return ""
    return user.scoped_province or None


def facility_year_deadline(facility: Facility, year: int) -> date:
    """`year`'s deadline for `facility`'s province, before any extension of its own."""
    return deadline_for(year, province_of(facility))


def facility_deadline(facility: Facility, year: int) -> date:
    """The last day `facility` may submit its report for `year`: its province's deadline of the
    year, or the later day staff extended it to for this facility."""
    deadline = facility_year_deadline(facility, year)
    extensions = DeadlineException.objects.filter(facility=facility, year=year)
    until = extensions.aggregate(until=Max("until"))["until"]
    return max(deadline, until) if until else deadline


def extension_problem(facility: Facility, year: int, until: date) -> str | None:
    """Why `until` cannot extend `facility`'s deadline for `year`: it is not after the year's
    deadline of its province (facility_deadline takes the later day, so the facility would not
    get one day more while the page said it had been given until then)."""
    deadline = facility_year_deadline(facility, year)
    if until > deadline:
        return None
    return _(
        "Ngày gia hạn phải sau hạn nộp báo cáo năm %(year)s của cơ sở (%(deadline)s); đến hạn "
        "đó cơ sở vẫn nộp được mà không cần gia hạn."
    ) % {"year": year, "deadline": date_format(deadline, "d/m/Y")}


def submission_open(facility: Facility, year: int, today: date | None = None) -> bool:
    """Whether `facility`'s representatives may still submit their report for `year`."""
    return (today or timezone.localdate()) <= facility_deadline(facility, year)


def resubmittable(reports):
    """Those of `reports` (AnnualReports) their facility may send again whatever the deadline:
    returned to be corrected (by staff's "return", or a reopen to "returned" or to "draft") after
    the Department had received them (a step left them submitted or approved: the facility
    submitted them while submission was open, or staff approved them, their own entry or import
    included). The deadline binds the first submission only; a report never handed in stays
    bound by it."""
    received = WorkflowEvent.objects.filter(
        report=OuterRef("pk"), to_state__in=(WorkflowState.SUBMITTED, WorkflowState.APPROVED)
    )
    again = (WorkflowState.RETURNED, WorkflowState.DRAFT)
    return reports.filter(state__in=again).filter(Exists(received))


def resubmission_allowed(report: AnnualReport) -> bool:
    """Whether `report`, as stored, is one its facility may resubmit after the deadline
    (resubmittable)."""
    return bool(report.pk) and resubmittable(AnnualReport.objects.filter(pk=report.pk)).exists()


def report_submission_open(report: AnnualReport, today: date | None = None) -> bool:
    """Whether the deadline lets `report` be submitted now: its facility's deadline of the year
    has not passed (submission_open), or it is a resubmission (resubmission_allowed)."""
    return submission_open(report.facility, report.year, today) or resubmission_allowed(report)


def facilities_without_report(year: int, facilities=None):
    """Facilities operating in `year` that have not handed in (submitted or approved) its report;
    among `facilities` (a Facility queryset, e.g. those visible to a user) when given."""
    # An anti-join per facility (the (facility, year) index), not NOT IN over the year's every
    # report: a province's staff would read the whole country's reports of the year.
    reported = AnnualReport.objects.filter(facility=OuterRef("pk"), year=year).reported()
    facilities = Facility.objects.all() if facilities is None else facilities
    return facilities.operating_in(year).exclude(Exists(reported))


def facilities_without_approved_report(year: int, facilities=None):
    """Facilities operating in `year` without an approved report of it (those that have not
    handed it in, and those whose report awaits review): the reporting rate's denominator less
    its numerator (reports.reporting counts approved reports only)."""
    approved = AnnualReport.objects.filter(facility=OuterRef("pk"), year=year).approved()
    facilities = Facility.objects.all() if facilities is None else facilities
    return facilities.operating_in(year).exclude(Exists(approved))


def with_open_extension(facilities, year: int, today: date):
    """Those of `facilities` whose deadline for `year` staff extended to `today` or later: not
    overdue yet, whatever the province's deadline."""
    extension = DeadlineException.objects.filter(
        facility=OuterRef("pk"), year=year, until__gte=today
    )
    return facilities.filter(Exists(extension))


def place_field(year: int) -> str:
    """The facility field the reports of `year` are counted by: "ward" or "commune__parent"."""
    return "ward" if year >= TERRITORY_CHANGE_YEAR else "commune__parent"


def missing_by_place(year: int, facilities=None, *, approved: bool = False):
    """Per place (place_field): facilities operating in `year` (among `facilities` when given),
    and how many have not handed in its report (`approved`: have no approved report, the
    reporting rate's basis, as facilities_without_approved_report). Each row: place_id,
    place_name (None for facilities without such a place), total, reported, missing."""
    reports = AnnualReport.objects.filter(facility=OuterRef("pk"), year=year)
    reported = reports.approved() if approved else reports.reported()
    field = place_field(year)
    facilities = Facility.objects.all() if facilities is None else facilities
    return (
        facilities.operating_in(year)
        .values(place_id=F(field), place_name=unit_label(field))
        .annotate(
            total=Count("pk"),
            reported=Count("pk", filter=Exists(reported)),
            missing=Count("pk", filter=~Exists(reported)),
        )
        .order_by(vietnamese("place_name", nulls_last=True))
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


def years_due_on(day: date, province: str = "") -> list[int]:
    """Reporting years whose deadline in `province` ("" the installation's) falls on `day` (the
    default one or one set by staff)."""
    stored = dict(ReportingDeadline.objects.filter(province="").values_list("year", "deadline"))
    if province:
        stored.update(
            ReportingDeadline.objects.filter(province=province).values_list("year", "deadline")
        )
    years = {year for year, deadline in stored.items() if deadline == day}
    default_year = day.year - 1
    if default_year not in stored and default_deadline(default_year) == day:
        years.add(default_year)
    return sorted(years)


def reminder_years(today: date, days_before: int, province: str = "") -> list[int]:
    """Years whose deadline (in `province`) is exactly `days_before` days after `today` (one
    reminder each)."""
    return years_due_on(today + timedelta(days=days_before), province)
