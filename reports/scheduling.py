"""The scheduled drafts (beat, daily: reports/tasks.py): last year's annual documents and the
Ministry's table once the self-report deadline plus the review window has passed, this year's
half-year documents from REPORT_HALF_YEAR_DAY; each requested once (reports/generation.py
`report_request`), per province in a national installation, and only for a year the request page
offers (reports.forms.requestable_years: a plan period's, up to this year)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .generation import report_request
from .indicators import plan_years
from .models import Report
from .models.report import ScheduledDraft


def annual_draft_due(year: int, province: str = "") -> date:
    """When the scheduled run builds `year`'s draft: the facilities' self-report deadline
    (assessments' ReportingDeadline, 15 January by default; in a national installation the
    `province`'s own, "" the national default) plus REPORT_REVIEW_DAYS for staff to review the
    self-reports."""
    from assessments.models import ReportingDeadline

    deadline = ReportingDeadline.deadline_for(year, province)
    return deadline + timedelta(days=settings.REPORT_REVIEW_DAYS)


def half_year_draft_due(year: int) -> date:
    """When the scheduled run builds `year`'s half-year draft: REPORT_HALF_YEAR_DAY of the year
    (the first half's data due, 15 July by default) plus REPORT_REVIEW_DAYS."""
    month, day = settings.REPORT_HALF_YEAR_MONTH_DAY
    return date(year, month, day) + timedelta(days=settings.REPORT_REVIEW_DAYS)


def reports_schedule_annual(*, today: date | None = None) -> list[Report]:
    """Last year's progress report as a DRAFT in each of REPORT_AUTO_FORMATS, and the Ministry's
    table (XLSX), once the self-report deadline plus the review window has passed (beat, daily;
    once per year, kind and format; in a national installation for each province with facilities
    and the national document). Staff are told to review and issue it; officials see it once
    issued."""
    today = today or timezone.localdate()
    year = today.year - 1
    jobs = [(Report.Kind.ANNUAL_PROGRESS, fmt) for fmt in settings.REPORT_AUTO_FORMATS]
    jobs.append((Report.Kind.MINISTRY_TABLE, Report.Format.XLSX))
    # Each province's documents wait for its own deadline (a national installation's are per
    # province); the installation's own and the national one for the default deadline.
    return _schedule(year, jobs, due=lambda province: today >= annual_draft_due(year, province))


def reports_schedule_half_year(*, today: date | None = None) -> list[Report]:
    """This year's half-year progress report as a DRAFT in each of REPORT_AUTO_FORMATS, once
    `half_year_draft_due` has passed (beat, daily; once per year and format, per province as
    `reports_schedule_annual`); staff are told."""
    today = today or timezone.localdate()
    if today < half_year_draft_due(today.year):
        return []
    jobs = [(Report.Kind.HALF_YEAR_PROGRESS, fmt) for fmt in settings.REPORT_AUTO_FORMATS]
    return _schedule(today.year, jobs)


def scheduled_provinces() -> list[str]:
    """Whose documents the scheduled runs build (Report.province): the installation's own ("");
    in a national installation each province with a registered facility, then the national one."""
    if settings.PORTAL_SCOPE != "national":
        return [""]
    from facilities.models import Facility

    codes = (
        Facility.objects.exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
    return [*codes, ""]


def _schedule(year: int, jobs: list[tuple[str, str]], due=None) -> list[Report]:
    """Request each (kind, format) of `year` for each of `scheduled_provinces` (those for which
    `due(province)` holds) that was never scheduled (`ScheduledDraft`: a draft staff deleted
    stays deleted), or whose scheduled drafts all failed (tried again). Nothing for a year the
    request page would refuse (reports.forms.requestable_years: outside every plan period; the
    scheduled year is never after `today`'s, which the request page's "up to this year" is)."""
    if year not in plan_years():
        return []
    created = []
    for province in scheduled_provinces():
        if due is not None and not due(province):
            continue
        for kind, fmt in jobs:
            if (report := _schedule_one(kind, year, fmt, province)) is not None:
                created.append(report)
    return created


def _schedule_one(kind: str, year: int, fmt: str, province: str) -> Report | None:
    with transaction.atomic():
        _, first = ScheduledDraft.objects.get_or_create(
            kind=kind, year=year, format=fmt, province=province
        )
        drafts = Report.objects.filter(
            kind=kind, year=year, format=fmt, province=province, scheduled=True
        )
        if drafts.exclude(state=Report.State.FAILED).exists():
            return None
        if not first and not drafts.exists():  # built once, then deleted by staff
            return None
        return report_request(
            kind=kind, year=year, fmt=fmt, by=None, scheduled=True, province=province
        )
