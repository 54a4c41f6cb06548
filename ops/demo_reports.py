"""Demo annual reports 2016–2025, consistent with the demo facilities.

`seed_demo_reports(rng, facilities)` is called by `ops.demo.seed_demo` after the
facilities and users exist. Every value is drawn from `rng` before the database is touched, so a
seed always gives the same reports; running it again adds nothing (reports are keyed on facility
and year, and existing ones are left as users changed them).

- Reports only for the years a facility operates (established ≤ year ≤ closed year); a few
  facilities skip a year, so that "who has not reported" has something to show.
- Output grows with the years; energy and water per unit follow the sector's usual figures.
- Awareness and application of cleaner production rise over the years; facilities that apply
  it see their energy intensity fall by 3–7% a year.
- Mostly approved; in the latest year (2025) a few are submitted, returned or still drafts (the
  demo queue). The first facility (represented by `coso`) has its 2025 report returned with a
  comment, and an exception to resubmit it after the deadline.
- Each report's history is the one the workflow would have left: sent in early January after
  its year (by the facility's demo representative, where it has one), returned or approved a
  week later by the demo staff member (`canbo`), with the matching dates on the report.

Reports are filed for plan years only: `ensure_report_periods` adds the 2021–2030 period of the
successor programme (QĐ 889/QĐ-TTg; the 2016–2020 indicators with the demo's targets) when no
plan period covers those years; new data goes there.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments import history_notes
from assessments.models import (
    AnnualReport,
    DeadlineException,
    PlanPeriod,
    WorkflowEvent,
    WorkflowState,
)
from core import notes
from core.data_version import data_changed
from reports.models import Indicator
from reports.plan_seed import (
    BASELINE_2021_2030,
    INDICATORS_2016_2020,
    PERIOD_2016_2020,
    PERIOD_2021_2030,
)

from .demo_workflow import demo_reviewer, log_steps, representatives

YEARS = range(2016, 2026)
# Demo targets for 2021–2030 (staff edit them to the approved plan); others as in 2016–2020.
TARGETS_2021_2030 = {"AWARE_PCT": 95, "APPLY_PCT": 60, "ENT_UNIT_PCT": 90}
REASON = history_notes.DEMO_DATA_NOTE  # stored in Vietnamese, shown in the reader's language
RETURN_COMMENT = (
    "Đề nghị bổ sung lượng nước tiêu thụ và kiểm tra lại sản lượng (chênh lệch lớn so với "
    "năm trước)."
)
State = WorkflowState


@dataclass(frozen=True)
class Profile:
    """Usual figures of a sector: unit of product, output per employee and year, and use per
    unit of product of electricity (kWh), coal (t), diesel (L), LPG (t) and water (m³)."""

    unit: str
    per_employee: float
    kwh: float
    coal: float = 0
    diesel: float = 0
    lpg: float = 0
    water: float = 0


PROFILES = {
    "10": Profile("tấn", 30, 250, coal=0.08, diesel=3, water=8),
    "11": Profile("nghìn lít", 200, 90, coal=0.015, water=6),
    "13": Profile("nghìn mét vải", 30, 1500, coal=0.4, water=80),
    "14": Profile("nghìn sản phẩm", 10, 800, water=5),
    "15": Profile("nghìn đôi", 2, 1500, lpg=0.02, water=30),
    "17": Profile("tấn", 40, 600, coal=0.35, water=30),
    "20": Profile("tấn", 40, 200, coal=0.05, diesel=2, water=4),
    "22": Profile("tấn", 25, 900, water=2),
    "23": Profile("tấn", 200, 40, coal=0.12, water=0.5),
    "24": Profile("tấn", 150, 500, coal=0.05, diesel=1, water=5),
    "25": Profile("tấn", 20, 800, diesel=5, lpg=0.01, water=8),
    "26": Profile("nghìn sản phẩm", 50, 300, water=2),
    "31": Profile("bộ", 60, 30, water=0.1),
}
DEFAULT_PROFILE = Profile("tấn", 30, 300, water=5)
# Year from which a facility is aware of cleaner production (None: never, in 2016–2025).
AWARE_FROM = (2016, 2016, 2016, 2017, 2017, 2017, 2017, 2018, 2018, 2018, 2019, 2019, 2020)
AWARE_FROM += (2021, 2021, 2022, 2023, 2024, None, None)


@dataclass
class ReportPlan:
    facility: object
    year: int
    state: str
    fields: dict = field(default_factory=dict)


def seed_demo_reports(rng: random.Random, facilities: list) -> dict:
    """Create the demo reports that are missing; returns {"reports": n, "reports_created": m}.
    Only for plan years (call `ensure_report_periods` first)."""
    years = set(YEARS) & PlanPeriod.objects.years()
    plans = [plan for index, f in enumerate(facilities) for plan in _plan(rng, index, f, years)]
    _assign_demo_states(rng, plans)
    with transaction.atomic():
        data_changed()  # bulk writes send no signals
        created = _save(plans)
        if facilities:
            _allow_resubmission(facilities[0])
    return {"reports": len(plans), "reports_created": created}


def ensure_report_periods() -> int:
    """Add the 2021–2030 plan period when no period covers those years; returns 0 or 1."""
    wanted = range(PERIOD_2021_2030["start_year"], PERIOD_2021_2030["end_year"] + 1)
    if (
        set(wanted) & PlanPeriod.objects.years()
        or PlanPeriod.objects.filter(code=PERIOD_2021_2030["code"]).exists()
    ):
        return 0
    period = PlanPeriod.objects.create(**PERIOD_2021_2030)
    earlier = PlanPeriod.objects.filter(code=PERIOD_2016_2020["code"]).first()
    sources = list(earlier.indicators.all()) if earlier else []
    if sources:
        rows = [
            (i.code, i.name_vi, i.name_en, i.unit, i.target_min, i.target_max, i.method, i.order)
            for i in sources
        ]
    else:
        rows = [
            (code, vi, en, unit, low, high, method, order)
            for order, (code, vi, en, unit, low, high, _, method) in enumerate(
                INDICATORS_2016_2020, start=1
            )
        ]
    for code, vi, en, unit, low, high, method, order in rows:
        if code in TARGETS_2021_2030:
            low, high = TARGETS_2021_2030[code], None
        Indicator.objects.create(  # one save each (a handful), so each has its history entry
            period=period,
            code=code,
            name_vi=vi,
            name_en=en,
            unit=unit,
            target_min=low,
            target_max=high,
            baseline_note=BASELINE_2021_2030 if low is not None else "",
            method=method,
            order=order,
        )
    return 1


# --- planning ---------------------------------------------------------------------------------


def _operating_years(facility, years: set[int]) -> list[int]:
    first = max(YEARS.start, facility.established_year or YEARS.start)
    last = min(YEARS.stop - 1, facility.closed_year or YEARS.stop - 1)
    return [year for year in range(first, last + 1) if year in years]


def _plan(rng, index: int, facility, years: set[int]) -> list[ReportPlan]:
    profile = PROFILES.get(facility.industry.code[:2], DEFAULT_PROFILE)
    aware_from = rng.choice(AWARE_FROM)
    applies_from = _applies_from(rng, aware_from)
    efficiency = rng.uniform(0.8, 1.25)  # this facility against its sector's usual figures
    scale = (facility.employees or 50) * profile.per_employee * rng.uniform(0.7, 1.3)
    plans = []
    for year in _operating_years(facility, years):
        if index and rng.random() < 0.12:
            continue  # did not report that year
        if applies_from and year > applies_from:
            # Savings of 3–7% a year at first, smaller once the easy options are done.
            efficiency *= 1 - rng.uniform(0.03, 0.07) * (1 if year - applies_from <= 4 else 0.4)
        else:
            efficiency *= rng.uniform(0.98, 1.03)
        output = scale * (1 + 0.05 * (year - YEARS.start)) * rng.uniform(0.92, 1.08)
        fields = _amounts(rng, profile, output, efficiency)
        fields.update(_status(rng, facility, year, aware_from, applies_from))
        fields.update(_economics(rng, facility, year))
        plans.append(ReportPlan(facility, year, State.APPROVED, fields))
    return plans


def _applies_from(rng, aware_from: int | None) -> int | None:
    if aware_from is None or rng.random() < 0.4:
        return None
    year = aware_from + rng.choice((0, 1, 1, 2, 3))
    return year if year in YEARS else None


def _amount(value: float, places: int = 1) -> Decimal | None:
    return Decimal(f"{value:.{places}f}") if value > 0 else None


def _amounts(rng, profile: Profile, output: float, efficiency: float) -> dict:
    def use(per_unit: float) -> float:
        return output * per_unit * efficiency * rng.uniform(0.95, 1.05)

    return {
        "product_unit": profile.unit,
        "output": _amount(output),
        "electricity_kwh": _amount(use(profile.kwh), 0),
        "coal_t": _amount(use(profile.coal), 2),
        "diesel_l": _amount(use(profile.diesel), 0),
        "lpg_t": _amount(use(profile.lpg), 2),
        "water_m3": _amount(output * profile.water * rng.uniform(0.9, 1.1), 0),
    }


def _status(rng, facility, year: int, aware_from, applies_from) -> dict:
    aware = aware_from is not None and year >= aware_from
    applies = applies_from is not None and year >= applies_from
    big = facility.size_class() in ("medium", "large")
    return {
        "product": (facility.main_products or "Sản phẩm chính").split(",")[0].strip(),
        "aware": aware,
        "applies_cp": applies,
        "has_cp_unit": applies and big and year > applies_from and rng.random() < 0.7,
        "trained_staff": rng.randint(1, 2 + year - aware_from) if aware else 0,
    }


def _economics(rng, facility, year: int) -> dict:
    drift = 0.85 + 0.04 * (year - YEARS.start)
    return {
        "employees": max(1, round((facility.employees or 50) * drift * rng.uniform(0.95, 1.05))),
        "revenue_bn_vnd": _amount(float(facility.revenue_bn_vnd or 10) * drift, 1),
        "capital_bn_vnd": _amount(float(facility.capital_bn_vnd or 5), 1),
    }


def _assign_demo_states(rng, plans: list[ReportPlan]) -> None:
    """A few reports of the latest year wait in the queue, one is returned, two are drafts; the
    first facility's report of that year is returned with a comment."""
    latest = [p for p in plans if p.year == YEARS.stop - 1]
    if not latest:
        return
    first, others = latest[0], latest[1:]
    for plan, state in zip(
        rng.sample(others, min(len(others), 7)),
        (State.SUBMITTED,) * 4 + (State.RETURNED, State.DRAFT, State.DRAFT),
        strict=False,
    ):
        plan.state = state
    if plans[0].facility == first.facility:
        first.state = State.RETURNED


# --- saving -----------------------------------------------------------------------------------


def _save(plans: list[ReportPlan]) -> int:
    existing = set(
        AnnualReport.objects.filter(facility__in={p.facility for p in plans}).values_list(
            "facility_id", "year"
        )
    )
    new = [p for p in plans if (p.facility.pk, p.year) not in existing]
    if not new:
        return 0
    staff = demo_reviewer()
    reports = bulk_create_with_history(
        [_report(p, staff) for p in new],
        AnnualReport,
        default_change_reason=notes.stored(REASON),
        default_user=None,
    )
    people = representatives(p.facility.pk for p in new)
    log_steps([s for r in reports for s in _events(r, people.get(r.facility_id), staff)])
    return len(reports)


def _deadline_time(year: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year + 1, 1, day, 9, 0))


def _submitted_time(report: AnnualReport) -> datetime:
    """When a demo report was sent (or last saved, for a draft): early January after its year."""
    return _deadline_time(report.year, 5 + report.facility.pk % 9)


def _review_time(report: AnnualReport) -> datetime:
    return _submitted_time(report) + timedelta(days=7)


def _report(plan: ReportPlan, staff) -> AnnualReport:
    """The report with the dates and reviewer of the steps it went through (as `stamp` sets
    them): a return sets only `returned_at`, an approval `reviewed_at`."""
    report = AnnualReport(facility=plan.facility, year=plan.year, state=plan.state, **plan.fields)
    if plan.state != State.DRAFT:
        report.submitted_at = _submitted_time(report)
    if plan.state == State.APPROVED:
        report.reviewed_by, report.reviewed_at = staff, _review_time(report)
    elif plan.state == State.RETURNED:
        report.reviewed_by, report.returned_at = staff, _review_time(report)
        report.review_comment = RETURN_COMMENT
    return report


def _events(report: AnnualReport, representative, staff) -> list[tuple[WorkflowEvent, datetime]]:
    """The report's workflow steps with their times: the facility's (by its demo representative,
    if it has one) when it was saved or sent, the staff member's on the review date."""

    def event(action, from_state, to_state, by, at, comment=""):
        step = WorkflowEvent(
            report=report,
            action=action,
            from_state=from_state,
            to_state=to_state,
            by=by,
            comment=comment,
        )
        return step, at

    Action = WorkflowEvent.Action
    sent, reviewed = _submitted_time(report), _review_time(report)
    if report.state == State.DRAFT:
        return [event(Action.SAVE, "", State.DRAFT, representative, sent)]
    steps = [event(Action.SUBMIT, State.DRAFT, State.SUBMITTED, representative, sent)]
    if report.state == State.APPROVED:
        steps.append(event(Action.APPROVE, State.SUBMITTED, State.APPROVED, staff, reviewed))
    elif report.state == State.RETURNED:
        steps.append(
            event(Action.RETURN, State.SUBMITTED, State.RETURNED, staff, reviewed, RETURN_COMMENT)
        )
    return steps


def _allow_resubmission(facility) -> None:
    """Let `coso` resubmit its returned report of the latest year, long after the deadline."""
    year = YEARS.stop - 1
    if not facility.annual_reports.filter(year=year, state=State.RETURNED).exists():
        return
    note = notes.stored(REASON)
    DeadlineException.objects.get_or_create(
        facility=facility,
        year=year,
        defaults={
            "until": timezone.localdate() + timedelta(days=365),
            "reason": f"{note}: cho phép cơ sở nộp lại báo cáo năm {year} đã bị trả lại.",
        },
    )
