"""Computed plan indicators (DESIGN §4): one service for a year (or the years of a period),
province-wide and broken down by district and by VSIC division, in a fixed number of queries
whatever the number of facilities.

FACTS_SQL gives one row of 0/1 facts per (year, operating facility) — aware, applies, medium or
large, has a CP unit, saving — from approved data only. One grouped query over those rows gives
every count (`group_counts`); the same rows, filtered, are the facilities behind each number
(`indicator_facilities`). Portable SQL: PostgreSQL in production, SQLite in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, models
from django.db.models import (
    Case,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from assessments.energy import BASELINE_INTENSITY_SQL, FALL_PCT_SQL, toe_sql, unit_key_sql
from assessments.factors import toe_factors
from assessments.models import (
    Activity,
    AnnualReport,
    Option,
    Participation,
    PlanPeriod,
    WorkflowState,
)
from core.data_version import cached_counts
from core.numbers import round_pct
from facilities.models import AdminUnit, Facility, IndustryCode, SizeClass, size_at_least_q

from .models import Indicator, IndicatorValue

AWARE = "AWARE_PCT"
APPLY = "APPLY_PCT"
SAVING = "SAVING_PCT"
ENT_UNIT = "ENT_UNIT_PCT"
COMPUTED_CODES = (AWARE, APPLY, SAVING, ENT_UNIT)
# DESIGN §4: "also report how many of them reach 8%" (the low end of the 2020 target).
SAVING_REACH_PCT = 8  # an int: SQLite compares a Decimal parameter as text
PARTS = ("numerator", "denominator")


class Status(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu")
    NO_TARGET = "no_target", _("Chưa đặt chỉ tiêu")


def share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return round_pct(Decimal(numerator) * 100 / Decimal(denominator))


@dataclass(frozen=True)
class Figure:
    """One computed (or manual) value. For SAVING_PCT the numerator is the number of facilities
    reaching 8% and the denominator the number of facilities in the mean."""

    actual: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    reaching_8: int | None = None


@dataclass
class Counts:
    """Counts for one group of facilities (the province, a district or a division)."""

    operating: int = 0
    aware: int = 0
    applies: int = 0
    big: int = 0
    has_unit: int = 0
    saving_n: int = 0
    saving_sum: Decimal = Decimal(0)
    reaching_8: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self) -> dict[str, Figure]:
        saving = round_pct(self.saving_sum / self.saving_n) if self.saving_n else None
        return {
            AWARE: Figure(share(self.aware, self.operating), self.aware, self.operating),
            APPLY: Figure(share(self.applies, self.operating), self.applies, self.operating),
            SAVING: Figure(saving, self.reaching_8, self.saving_n, self.reaching_8),
            ENT_UNIT: Figure(share(self.has_unit, self.big), self.has_unit, self.big),
        }


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: Figure
    manual: IndicatorValue | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_computed(self) -> bool:
        return self.indicator.method == Indicator.Method.COMPUTED

    @property
    def status(self) -> str:
        return indicator_status(self.indicator, self.value.actual)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def progress(self) -> int:
        """Actual as a share of the target's low end, 0–100, for the progress bar."""
        target = self.indicator.target_min
        if self.value.actual is None or not target:
            return 0
        return max(0, min(100, int(self.value.actual * 100 / target)))


@dataclass
class Breakdown:
    """The computed indicators of one district or one VSIC division."""

    key: str
    label: str
    operating: int
    values: dict[str, Figure]


@dataclass
class IndicatorResults:
    year: int
    period: PlanPeriod | None
    operating: int
    results: list[IndicatorResult]
    computed: dict[str, Figure] = field(default_factory=dict)
    by_district: list[Breakdown] = field(default_factory=list)
    by_division: list[Breakdown] = field(default_factory=list)

    def get(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.results if r.code == code), None)

    def value(self, code: str) -> Figure | None:
        result = self.get(code)
        return result.value if result else None


def indicator_status(indicator: Indicator, actual) -> str:
    if actual is None:
        return Status.NO_DATA
    met = indicator.is_met(actual)
    if met is None:
        return Status.NO_TARGET
    return Status.MET if met else Status.NOT_MET


# --- per-facility facts, in SQL ---------------------------------------------------------------
#
# The rules of DESIGN §4 are written once, in FACTS_SQL: one row per (year, operating facility)
# with 0/1 facts. Counting those rows gives every indicator (`group_counts`); filtering them
# gives the facilities behind a number (`indicator_facilities`). The CTEs read each table once
# (set-based, no per-facility sub-query), so the cost grows with the data, not the query count.
# Two rules come from their homes below, in their SQL form: the energy saving (TOE and the % fall
# in intensity: assessments.energy, tests/reports/test_saving_rule.py) and the size class
# (facilities.models.SIZE_LIMITS, tests/reports/test_size_rule.py).


def _bit(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def is_medium_or_large() -> Q:
    """ENT_UNIT_PCT's size condition, from the one size table (facilities.models.SIZE_LIMITS)."""
    return size_at_least_q(SizeClass.MEDIUM)


def _firsts_sql():
    """Per facility: the year of its earliest approved report (the SAVING baseline) and the first
    years its approved reports said `aware` and `applies_cp`."""
    return (
        AnnualReport.objects.approved()
        .order_by()
        .values(first_facility=F("facility_id"))
        .annotate(
            base_year=Min("year"),
            aware_year=Min("year", filter=Q(aware=True)),
            apply_year=Min("year", filter=Q(applies_cp=True)),
        )
    )


def _baseline_reports_sql(factors):
    """Approved reports with output and TOE (FACTS_SQL joins each facility's earliest one)."""
    return (
        AnnualReport.objects.approved()
        .order_by()
        .annotate(rf_facility=F("facility_id"), rf_year=F("year"), rf_output=F("output"))
        .annotate(rf_toe=toe_sql(factors), rf_unit=unit_key_sql())
        .values("rf_facility", "rf_year", "rf_output", "rf_toe", "rf_unit")
    )


def _year_reports_sql(factors, years):
    """Approved reports of `years`: output, TOE, size medium/large, CP unit."""
    reports = AnnualReport.objects.approved().order_by().filter(year__in=years)
    return reports.annotate(
        rf_facility=F("facility_id"),
        rf_year=F("year"),
        rf_output=F("output"),
        rf_toe=toe_sql(factors),
        rf_unit=unit_key_sql(),
        rf_big=_bit(is_medium_or_large()),
        rf_has_unit=_bit(Q(has_cp_unit=True)),
    ).values("rf_facility", "rf_year", "rf_output", "rf_toe", "rf_unit", "rf_big", "rf_has_unit")


def _facilities_sql():
    """Every facility with the years it operated, its district, VSIC division and registry size."""
    return (
        Facility.objects.order_by()
        .annotate(
            fac_id=F("id"),
            fac_established=F("established_year"),
            fac_closed=F("closed_year"),
            fac_district=F("commune__parent_id"),
            fac_division=Substr("industry__code", 1, 2),
            fac_big=_bit(is_medium_or_large()),
        )
        .values(
            "fac_id", "fac_established", "fac_closed", "fac_district", "fac_division", "fac_big"
        )
    )


def _activities_sql():
    """Each facility's first awareness or training activity."""
    return (
        Participation.objects.filter(activity__kind__in=Activity.AWARENESS_KINDS)
        .order_by()
        .values(act_facility=F("facility_id"))
        .annotate(act_date=Min("activity__date"))
    )


def _options_sql():
    """Each facility's first year with a done option of an approved assessment."""
    return (
        Option.objects.filter(
            status=Option.Status.DONE,
            assessment__state=WorkflowState.APPROVED,
            implementation_year__isnull=False,
        )
        .order_by()
        .values(opt_facility=F("assessment__facility_id"))
        .annotate(opt_year=Min("implementation_year"))
    )


FACTS_SQL = """
WITH firsts AS ({firsts}),
all_reports AS ({all_reports}),
base AS (
    -- The baseline: the earliest approved report (assessments.energy.baseline_intensity).
    SELECT firsts.*,
           {base_intensity} AS base_intensity,
           b.rf_unit AS base_unit
    FROM firsts
    JOIN all_reports AS b ON b.rf_facility = firsts.first_facility
                         AND b.rf_year = firsts.base_year
),
year_reports AS ({year_reports}),
fac AS ({facilities}),
act AS ({activities}),
opt AS ({options}),
years (y, last_day) AS (VALUES {years}),
facts AS (
    SELECT years.y AS y,
           fac.fac_id AS facility_id,
           fac.fac_district AS district,
           fac.fac_division AS division,
           -- A facility that applies SXSH is aware of it (DESIGN §4).
           CASE WHEN base.aware_year <= years.y OR base.apply_year <= years.y
                     OR act.act_date <= years.last_day
                THEN 1 ELSE 0 END AS aware,
           CASE WHEN base.apply_year <= years.y OR opt.opt_year <= years.y
                THEN 1 ELSE 0 END AS applies,
           -- Size from the year's approved report if there is one, else from the registry.
           CASE WHEN ry.rf_facility IS NOT NULL THEN ry.rf_big ELSE fac.fac_big END AS big,
           COALESCE(ry.rf_has_unit, 0) AS has_unit,
           -- assessments.energy.intensity_fall_pct
           {fall_pct} AS fall_pct
    FROM years
    JOIN fac ON (fac.fac_established IS NULL OR fac.fac_established <= years.y)
            AND (fac.fac_closed IS NULL OR fac.fac_closed >= years.y)
    LEFT JOIN base ON base.first_facility = fac.fac_id
    LEFT JOIN act ON act.act_facility = fac.fac_id
    LEFT JOIN opt ON opt.opt_facility = fac.fac_id
    LEFT JOIN year_reports AS ry ON ry.rf_facility = fac.fac_id AND ry.rf_year = years.y
),
flags AS (
    -- SAVING_PCT counts only facilities that apply SXSH (APPLY_PCT's numerator).
    SELECT y, facility_id, district, division, aware, applies, big, has_unit,
           CASE WHEN applies = 1 AND fall_pct IS NOT NULL THEN 1 ELSE 0 END AS saving_ok,
           CASE WHEN applies = 1 THEN fall_pct END AS saving_pct
    FROM facts
)
"""

GROUP_SQL = """
SELECT y, district, division,
       COUNT(*), SUM(aware), SUM(applies), SUM(big), SUM(big * has_unit),
       SUM(saving_ok),
       SUM(CASE WHEN saving_ok = 1 THEN saving_pct ELSE 0 END),
       SUM(CASE WHEN saving_ok = 1 AND saving_pct >= %s THEN 1 ELSE 0 END)
FROM flags
GROUP BY y, district, division
"""


def facts_sql(years, factors: dict[str, Decimal] | None = None) -> tuple[str, list]:
    """FACTS_SQL for `years`, with its parameters."""
    factors = toe_factors() if factors is None else factors
    parts = {
        "firsts": _firsts_sql(),
        "all_reports": _baseline_reports_sql(factors),
        "year_reports": _year_reports_sql(factors, years),
        "facilities": _facilities_sql(),
        "activities": _activities_sql(),
        "options": _options_sql(),
    }
    compiled, params = {}, []
    for name, queryset in parts.items():
        sql, part_params = queryset.query.sql_with_params()
        compiled[name] = sql
        params.extend(part_params)
    compiled["years"] = ", ".join("(%s, %s)" for _ in years)
    compiled["base_intensity"] = BASELINE_INTENSITY_SQL.format(output="b.rf_output", toe="b.rf_toe")
    compiled["fall_pct"] = FALL_PCT_SQL.format(
        base_year="base.base_year",
        year="years.y",
        base="base.base_intensity",
        output="ry.rf_output",
        toe="ry.rf_toe",
        unit="ry.rf_unit",
        base_unit="base.base_unit",
    )
    for year in years:
        params.extend([year, date(year, 12, 31)])
    return FACTS_SQL.format(**compiled), params


def group_counts(years, factors: dict[str, Decimal] | None = None) -> dict:
    """{year: {(district id, division code): Counts}} over the facilities operating each year."""
    sql, params = facts_sql(years, factors)
    with connection.cursor() as cursor:
        cursor.execute(sql + GROUP_SQL, [*params, SAVING_REACH_PCT])
        rows = cursor.fetchall()
    groups: dict = {year: {} for year in years}
    for year, district, division, *numbers in rows:
        operating, aware, applies, big, has_unit, saving_n, saving_sum, reaching = numbers
        groups[year][(district, division)] = Counts(
            int(operating),
            int(aware),
            int(applies),
            int(big),
            int(has_unit),
            int(saving_n),
            Decimal(str(saving_sum or 0)),
            int(reaching),
        )
    return groups


def province_counts(groups: dict) -> Counts:
    total = Counts()
    for counts in groups.values():
        total.add(counts)
    return total


def _breakdowns(groups: dict, position: int, labels: dict) -> list[Breakdown]:
    totals: dict = {}
    for key, counts in groups.items():
        totals.setdefault(key[position], Counts()).add(counts)
    rows = [
        Breakdown(str(key), labels.get(key, str(key)), counts.operating, counts.values())
        for key, counts in totals.items()
    ]
    return sorted(rows, key=lambda row: row.label if position == 0 else row.key)


def _labels(groups_by_year: dict) -> tuple[dict, dict]:
    """Names of the districts and VSIC divisions that occur in the groups (two queries)."""
    keys = {key for groups in groups_by_year.values() for key in groups}
    districts = AdminUnit.objects.filter(pk__in={d for d, _ in keys}).values_list("pk", "name")
    divisions = IndustryCode.objects.filter(level=2, code__in={d for _, d in keys})
    names = divisions.values_list("code", "name")
    return dict(districts), {code: f"{code} – {name}" for code, name in names}


# --- the service --------------------------------------------------------------------------------


def period_for(year: int) -> PlanPeriod | None:
    return PlanPeriod.objects.covering(year).order_by("-start_year").first()


def compute_indicators(year: int, *, period: PlanPeriod | None = None) -> IndicatorResults:
    """Every indicator of the plan period covering `year` (or `period`), with its value.

    Computed indicators come from approved data (DESIGN §4), province-wide and by district and
    VSIC division; manual ones from IndicatorValue. A fixed number of queries.
    """
    period = period or period_for(year)
    return compute_years([year], period=period)[year]


def compute_years(years, *, period: PlanPeriod | None) -> dict[int, IndicatorResults]:
    """`compute_indicators` for several years of one period, in the same number of queries."""
    years = sorted(set(years))
    groups_by_year = cached_counts(years, group_counts)
    district_names, division_names = _labels(groups_by_year)
    indicators, manual = [], {}
    if period is not None:
        indicators = list(period.indicators.all())
        entries = IndicatorValue.objects.filter(indicator__period=period, year__in=years)
        manual = {(entry.indicator_id, entry.year): entry for entry in entries}
    outcome = {}
    for year in years:
        groups = groups_by_year[year]
        province = province_counts(groups)
        computed = province.values()
        results = [_result(indicator, year, computed, manual) for indicator in indicators]
        outcome[year] = IndicatorResults(
            year,
            period,
            province.operating,
            results,
            computed,
            by_district=_breakdowns(groups, 0, district_names),
            by_division=_breakdowns(groups, 1, division_names),
        )
    return outcome


def _result(indicator: Indicator, year: int, computed: dict, manual: dict) -> IndicatorResult:
    if indicator.method == Indicator.Method.COMPUTED:
        return IndicatorResult(indicator, computed.get(indicator.code, Figure(None)))
    entry = manual.get((indicator.pk, year))
    return IndicatorResult(indicator, Figure(entry.value if entry else None), manual=entry)


# --- the facilities behind a number -------------------------------------------------------------

FACILITY_CONDITIONS = {
    (AWARE, "numerator"): "aware = 1",
    (AWARE, "denominator"): "1 = 1",
    (APPLY, "numerator"): "applies = 1",
    (APPLY, "denominator"): "1 = 1",
    (SAVING, "numerator"): "saving_ok = 1 AND saving_pct >= %s",
    (SAVING, "denominator"): "saving_ok = 1",
    (ENT_UNIT, "numerator"): "big = 1 AND has_unit = 1",
    (ENT_UNIT, "denominator"): "big = 1",
}


def indicator_facilities(
    code: str, year: int, part: str, *, district: int | None = None, division: str | None = None
):
    """The facilities counted in the numerator or denominator of a computed indicator (a lazy
    queryset: the rule runs inside the database when the page is fetched)."""
    sql, params = facts_sql([year])
    condition = FACILITY_CONDITIONS[(code, part)]
    if "%s" in condition:
        params.append(SAVING_REACH_PCT)
    if district is not None:
        condition += " AND district = %s"
        params.append(district)
    if division:
        condition += " AND division = %s"
        params.append(division)
    # Fixed SQL (FACTS_SQL, FACILITY_CONDITIONS); every value is a parameter.
    query = f"{sql} SELECT facility_id FROM flags WHERE {condition}"  # nosec B608
    ids = RawSQL(query, params)  # nosec B611
    return Facility.objects.filter(pk__in=ids)


def indicator_for(code: str, year: int) -> Indicator | None:
    return Indicator.objects.filter(code=code, period__in=PlanPeriod.objects.covering(year)).first()


def default_year() -> int | None:
    """The latest year with approved reports that a plan period covers, else the latest year of
    the periods up to today."""
    years = [y for period in PlanPeriod.objects.all() for y in period.years]
    if not years:
        return None
    latest = (
        AnnualReport.objects.approved()
        .filter(year__in=years)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if latest:
        return latest
    today = date.today().year
    past = [y for y in years if y <= today]
    return max(past) if past else min(years)


def plan_years() -> list[int]:
    return sorted(PlanPeriod.objects.years())
