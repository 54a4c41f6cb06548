"""What each role's home page shows: the work waiting for the user (issue 16). One function per
role gathers it in a fixed number of queries, whatever the number of facilities; the rules stay
where they live (deadlines, the missing-reports rule, the indicators) and are only called here.

    facility_home(user) -> FacilityHome   # per represented facility: the reporting year's report
    staff_home(user) -> StaffHome             # review queues, overdue facilities, imports, findings
    official_home(user) -> OfficialHome   # the latest year's figures, chart data, issued documents
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments import deadlines
from assessments.models import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    AnnualReport,
    Assessment,
    DeadlineException,
    QualityFinding,
    WorkflowState,
)
from assessments.report_forms import facility_report_years, report_years
from core.collation import vietnamese
from facilities.models import Facility, ImportJob
from reports import indicators as ind
from reports.dashboard_charts import chart_years, dashboard_chart_data
from reports.figures import APPLY, AWARE
from reports.models import Report
from reports.reporting import Reporting, reporting_for

State = WorkflowState
NOT_STARTED = "not_started"
QUEUE_SIZE = 10  # rows of each list on the staff page (the full lists are a link away)
IMPORT_JOBS = 5
DOCUMENTS = 5


def reporting_year(today: date | None = None) -> int:
    """The year whose annual report is due now: last calendar year (as `default_report_year`
    and the missing-reports page take it)."""
    return (today or timezone.localdate()).year - 1


# --- facility users -------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """The one primary button of a facility's card."""

    label: str
    url: str


@dataclass
class FacilityWork:
    """One represented facility: its report for the reporting year (or None when none is
    filed yet), the deadline and what to do next. `year` is None when the facility does not
    report for the reporting year (not operating then, or no plan period covers it)."""

    facility: Facility
    year: int | None
    report: AnnualReport | None
    deadline: date | None
    extended_until: date | None  # a deadline exception granted by staff
    today: date
    returned_assessments: list[Assessment] = field(default_factory=list)  # to fix, resubmit
    findings: list = field(default_factory=list)  # open findings of an editable report
    missing_years: list[int] = field(default_factory=list)  # earlier years never filed
    unfinished: list[AnnualReport] = field(default_factory=list)  # other drafts, returned
    # Returned after the Department received it: resent whatever the deadline (deadlines).
    resubmittable: bool = False

    @property
    def state(self) -> str:
        return self.report.state if self.report else NOT_STARTED

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else _("Chưa lập báo cáo")

    @property
    def handed_in(self) -> bool:
        return self.state in (State.SUBMITTED, State.APPROVED)

    @property
    def due(self) -> date | None:
        """The deadline, or the later date staff allowed this facility."""
        if self.deadline and self.extended_until:
            return max(self.deadline, self.extended_until)
        return self.deadline

    @property
    def days_left(self) -> int | None:
        """Days until the due date (negative once past); None when handed in, resubmittable (the
        deadline does not bind it) or not due."""
        if self.year is None or self.handed_in or self.resubmittable or self.due is None:
            return None
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def action(self) -> Action:
        facility = self.facility
        if self.year is None:
            if self.missing_years:
                url = reverse("assessments:report_create", args=[facility.pk])
                return Action(_("Lập báo cáo còn thiếu"), url)
            return Action(_("Xem thông tin cơ sở"), facility.get_absolute_url())
        report = self.report
        if report is None:
            url = reverse("assessments:report_create", args=[facility.pk])
            return Action(_("Lập báo cáo năm %(year)s") % {"year": self.year}, url)
        edit = reverse("assessments:report_edit", args=[report.pk])
        if report.state == State.DRAFT:
            return Action(_("Tiếp tục báo cáo nháp"), edit)
        if report.state == State.RETURNED:
            return Action(_("Sửa báo cáo"), edit)
        return Action(_("Xem báo cáo"), report.get_absolute_url())


@dataclass
class FacilityHome:
    year: int
    items: list[FacilityWork]


def facility_home(user, today: date | None = None) -> FacilityHome:
    """The facilities `user` represents, each with its work for the reporting year."""
    today = today or timezone.localdate()
    year = reporting_year(today)
    facilities = list(
        Facility.objects.visible_to(user)
        .select_related("commune__parent", "ward", "industry")
        .order_by(vietnamese("name"), "pk")
    )
    if not facilities:
        return FacilityHome(year, [])
    years = report_years()
    # Each facility's province's deadline (a national installation sets them per province).
    by_province = {
        province: deadlines.deadline_for(year, province)
        for province in {deadlines.province_of(facility) for facility in facilities}
    }
    reports = defaultdict(dict)
    for report in AnnualReport.objects.filter(facility__in=facilities).order_by("-year"):
        reports[report.facility_id][report.year] = report
    # Each facility's latest extension of the year, run out or not (deadlines.facility_deadline:
    # the last allowed day is the later of the deadline and the extension, also once past).
    extended = dict(
        DeadlineException.objects.filter(facility__in=facilities, year=year)
        .values("facility_id")
        .annotate(until=Max("until"))
        .values_list("facility_id", "until")
    )
    items = []
    for facility in facilities:
        filed = reports[facility.pk]
        due_years = facility_report_years(facility, years)
        current = year if year in due_years else None
        items.append(
            FacilityWork(
                facility=facility,
                year=current,
                report=filed.get(current),
                deadline=by_province[deadlines.province_of(facility)] if current else None,
                extended_until=extended.get(facility.pk),
                today=today,
                missing_years=[y for y in due_years if y < year and y not in filed],
                unfinished=[
                    r
                    for y, r in filed.items()
                    if y != current and r.state in (State.DRAFT, State.RETURNED)
                ],
            )
        )
    _attach_returned_assessments(items)
    _attach_findings(items, user)
    _mark_resubmittable(items)
    return FacilityHome(year, items)


def _mark_resubmittable(items: list[FacilityWork]) -> None:
    """Flag the reports of the year (returned, or reopened to draft) their facility may resend
    after the deadline (deadlines.resubmittable), in one query."""
    returned = {
        item.report.pk: item
        for item in items
        if item.report and item.report.state in (State.RETURNED, State.DRAFT)
    }
    if not returned:
        return
    reports = AnnualReport.objects.filter(pk__in=returned)
    for pk in deadlines.resubmittable(reports).values_list("pk", flat=True):
        returned[pk].resubmittable = True


def _attach_findings(items: list[FacilityWork], user) -> None:
    """The open findings `user` may see (no `info`: DESIGN §4) of the reports still to fix
    (drafts and returned), in one query."""
    editable = {
        item.report.pk: item
        for item in items
        if item.report and item.report.state in (State.DRAFT, State.RETURNED)
    }
    if not editable:
        return
    rank = {severity: n for n, severity in enumerate(SEVERITY_ORDER)}
    findings = (
        QualityFinding.objects.open()
        .shown_to(user)
        .filter(report__in=editable)
        .select_related("rule")
    )
    for finding in sorted(findings, key=lambda f: (rank.get(f.severity, 9), f.pk)):
        editable[finding.report_id].findings.append(finding)


def _attach_returned_assessments(items: list[FacilityWork]) -> None:
    """Each facility's CP assessments staff returned (or reopened as returned), with the
    Department's comment, for the facility to fix and send again; in one query."""
    by_facility = {item.facility.pk: item for item in items}
    returned = Assessment.objects.filter(facility__in=by_facility, state=State.RETURNED)
    for assessment in returned.order_by("-updated_at", "-pk"):
        by_facility[assessment.facility_id].returned_assessments.append(assessment)


# --- staff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeverityCount:
    severity: str
    label: str
    count: int


@dataclass
class StaffHome:
    facility_count: int
    active_count: int
    user_count: int
    review_count: int
    review_queue: list[AnnualReport]  # oldest first
    assessment_count: int
    assessment_queue: list[Assessment]  # oldest first
    year: int
    deadline: date
    today: date
    missing_count: int  # operating in `year` without a submitted or approved report
    missing: list[Facility]  # the first of them, with `report_state`
    extended_count: int  # of those missing, how many have an extension running to today or later
    import_jobs: list[ImportJob]
    findings: list[SeverityCount]

    @property
    def past_deadline(self) -> bool:
        return self.today > self.deadline

    @property
    def overdue_count(self) -> int:
        """Past the deadline: those missing whose own extension has not run out either."""
        return self.missing_count - self.extended_count if self.past_deadline else 0

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def findings_total(self) -> int:
        return sum(row.count for row in self.findings)


def staff_home(user, today: date | None = None) -> StaffHome:
    today = today or timezone.localdate()
    year = reporting_year(today)
    facilities = Facility.objects.visible_to(user)  # a national installation: their province
    waiting = AnnualReport.objects.visible_to(user).awaiting_review()
    assessments = Assessment.objects.visible_to(user).filter(state=State.SUBMITTED)
    # The rule of the missing-reports page (assessments.deadlines), not a second copy of it.
    missing = deadlines.facilities_without_report(year).filter(pk__in=facilities.values("pk"))
    return StaffHome(
        facility_count=facilities.count(),
        active_count=facilities.filter(status=Facility.Status.ACTIVE).count(),
        user_count=User.objects.managed_by(user).filter(is_active=True).count(),  # the list's
        review_count=waiting.count(),
        review_queue=list(
            waiting.select_related("facility").order_by("submitted_at", "pk")[:QUEUE_SIZE]
        ),
        assessment_count=assessments.count(),
        assessment_queue=list(
            assessments.select_related("facility").order_by("updated_at", "pk")[:QUEUE_SIZE]
        ),
        year=year,
        deadline=deadlines.deadline_for(year, deadlines.deadline_province(user) or ""),
        today=today,
        missing_count=missing.count(),
        missing=list(
            deadlines.with_report_of(missing, year)
            .select_related("commune__parent", "ward")
            .order_by(vietnamese("name"), "pk")[:QUEUE_SIZE]
        ),
        extended_count=deadlines.with_open_extension(missing, year, today).count(),
        import_jobs=list(
            ImportJob.objects.visible_to(user).select_related("requested_by")[:IMPORT_JOBS]
        ),
        findings=_findings_by_severity(facilities),
    )


def _findings_by_severity(facilities) -> list[SeverityCount]:
    counts = dict(
        QualityFinding.objects.open()
        .filter(report__facility__in=facilities)
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    return [
        SeverityCount(severity, SEVERITY_LABELS[severity], counts.get(severity, 0))
        for severity in SEVERITY_ORDER
    ]


# --- officials ------------------------------------------------------------------------------


@dataclass
class OfficialHome:
    facility_count: int
    year: int | None  # the latest year with approved data (the dashboard's default year)
    results: ind.IndicatorResults | None
    reporting: Reporting | None
    chart_data: dict | None
    documents: list[Report]  # the latest issued documents the user may download

    @property
    def charted(self) -> list[ind.IndicatorResult]:
        """The indicators whose trend is drawn (the headline two, when in the period)."""
        if self.results is None:
            return []
        return [r for r in map(self.results.get, (AWARE, APPLY)) if r is not None]


def official_home(user) -> OfficialHome:
    documents = list(
        Report.objects.visible_to(user)
        .issued()
        .select_related("issued_by")
        .order_by("-issue_date", "-number", "-pk")[:DOCUMENTS]
    )
    facility_count = Facility.objects.visible_to(user).count()
    year = ind.default_year()
    if year is None:
        return OfficialHome(facility_count, None, None, None, None, documents)
    # As the dashboard computes it (reports/views/dashboard.py): the same cached computation.
    province = user.scoped_province
    period = ind.period_for(year, province)
    by_year = ind.compute_years([year, *chart_years(period)], period=period, province=province)
    results = by_year[year]
    return OfficialHome(
        facility_count=facility_count,
        year=year,
        results=results,
        reporting=reporting_for(results),
        chart_data=dashboard_chart_data(results, by_year),
        documents=documents,
    )
