"""Computed plan indicators (DESIGN §4): one service for a year (or the years of a period),
province-wide and for every grouping of facilities (GROUPINGS: old province, old district, 2025
commune/ward, VSIC division, high pollution risk, key energy user), in a fixed number of queries
whatever the number of facilities.

FACTS_SQL gives one row of 0/1 facts per (year, operating facility) — aware, applies, medium or
large, has a CP unit, saving — from approved data only, with the facility's group keys. One
grouped query over those rows gives every count (`group_counts`); the same rows, filtered, are
the facilities behind each number, of the whole or of one group (`indicator_facilities`).
Portable SQL: PostgreSQL in production, SQLite in the demo.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce

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

from .models import EstablishmentCount, Indicator, IndicatorValue

AWARE = "AWARE_PCT"
APPLY = "APPLY_PCT"
SAVING = "SAVING_PCT"
ENT_UNIT = "ENT_UNIT_PCT"
# Computed from data the reports already collect (issue 14): staff may add them to a period.
TRAINED = "TRAINED_PCT"
WATER_SAVING = "WATER_SAVING_PCT"
COMPUTED_CODES = (AWARE, APPLY, SAVING, ENT_UNIT, TRAINED, WATER_SAVING)
# The plan's own four, shown in every table of groups (the others are there for the API).
TABLE_CODES = (AWARE, APPLY, SAVING, ENT_UNIT)
# DESIGN §4: "also report how many of them reach 8%" (the low end of the 2020 target).
SAVING_REACH_PCT = 8  # an int: SQLite compares a Decimal parameter as text
PARTS = ("numerator", "denominator")


class Grouping(models.TextChoices):
    """The groupings of facilities every computed indicator is given for (DESIGN §4, §5)."""

    OLD_DISTRICT = "old_district", _("Theo huyện cũ (trước 2025)")
    OLD_PROVINCE = "old_province", _("Theo tỉnh cũ")
    WARD = "ward", _("Theo xã/phường (từ 1/7/2025)")
    SECTOR = "sector", _("Theo ngành")
    HIGH_POLLUTION_RISK = "high_pollution_risk", _("Cơ sở nguy cơ ô nhiễm cao")
    KEY_ENERGY_USER = "key_energy_user", _("Cơ sở sử dụng năng lượng trọng điểm")


GROUPINGS = tuple(Grouping.values)
PLACE_GROUPINGS = (Grouping.OLD_DISTRICT, Grouping.OLD_PROVINCE, Grouping.WARD)
FLAG_GROUPINGS = (Grouping.HIGH_POLLUTION_RISK, Grouping.KEY_ENERGY_USER)
# The key of the group of facilities without a unit of the grouping (no old commune, no ward).
NONE_KEY = "none"
# Since 1 July 2025 communes/wards sit directly under the province (DESIGN §3): a year from
# 2025 on is broken down by 2025 commune/ward, an earlier one by the districts of its time.
TERRITORY_CHANGE_YEAR = 2025
# The column of `flags` (FACTS_SQL) holding each grouping's key.
GROUP_COLUMNS = {
    Grouping.OLD_PROVINCE: "old_province",
    Grouping.OLD_DISTRICT: "old_district",
    Grouping.WARD: "ward",
    Grouping.SECTOR: "division",
    Grouping.HIGH_POLLUTION_RISK: "high_risk",
    Grouping.KEY_ENERGY_USER: "key_energy",
}
NONE_LABELS = {
    Grouping.OLD_PROVINCE: _("Đăng ký sau 1/7/2025 (không có địa bàn cũ)"),
    Grouping.OLD_DISTRICT: _("Đăng ký sau 1/7/2025 (không có địa bàn cũ)"),
    Grouping.WARD: _("Chưa xác định xã/phường mới"),
    Grouping.SECTOR: _("Chưa xác định ngành"),
}
FLAG_LABELS = {
    Grouping.HIGH_POLLUTION_RISK: {
        "true": _("Cơ sở có nguy cơ ô nhiễm cao"),
        "false": _("Cơ sở khác"),
    },
    Grouping.KEY_ENERGY_USER: {
        "true": _("Cơ sở sử dụng năng lượng trọng điểm"),
        "false": _("Cơ sở khác"),
    },
}


def default_grouping(year: int) -> str:
    """The place grouping of a year: old districts before 2025, 2025 communes/wards after."""
    return Grouping.OLD_DISTRICT if year < TERRITORY_CHANGE_YEAR else Grouping.WARD


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
    """Counts for one group of facilities (the province, or one group of a grouping)."""

    operating: int = 0
    aware: int = 0
    applies: int = 0
    big: int = 0
    has_unit: int = 0
    saving_n: int = 0
    saving_sum: Decimal = Decimal(0)
    reaching_8: int = 0
    trained: int = 0
    water_n: int = 0
    water_sum: Decimal = Decimal(0)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self) -> dict[str, Figure]:
        saving = round_pct(self.saving_sum / self.saving_n) if self.saving_n else None
        water = round_pct(self.water_sum / self.water_n) if self.water_n else None
        return {
            AWARE: Figure(share(self.aware, self.operating), self.aware, self.operating),
            APPLY: Figure(share(self.applies, self.operating), self.applies, self.operating),
            SAVING: Figure(saving, self.reaching_8, self.saving_n, self.reaching_8),
            ENT_UNIT: Figure(share(self.has_unit, self.big), self.has_unit, self.big),
            TRAINED: Figure(share(self.trained, self.operating), self.trained, self.operating),
            # As SAVING: the numerator is unused (no threshold), the denominator the mean's n.
            WATER_SAVING: Figure(water, None, self.water_n),
        }


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: Figure
    manual: IndicatorValue | None = None
    year: int | None = None  # the milestone of this year, when there is one, judges the value

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def target(self) -> tuple:
        """(low, high) this year is judged against: its milestone, else the period's target."""
        return self.indicator.target_for(self.year)

    @property
    def milestone(self):
        return self.indicator.milestone_for(self.year)

    @property
    def target_display(self) -> str:
        """The year's target as the files write it (`74`, `6.8-11`)."""
        return self.indicator.target_display_for(self.year)

    @property
    def is_computed(self) -> bool:
        return self.indicator.method == Indicator.Method.COMPUTED

    @property
    def status(self) -> str:
        return indicator_status(self.indicator, self.value.actual, self.year)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def progress(self) -> int:
        """Actual as a share of the target's low end, 0–100, for the progress bar."""
        target = self.target[0]
        if self.value.actual is None or not target:
            return 0
        return max(0, min(100, int(self.value.actual * 100 / target)))


@dataclass
class Breakdown:
    """The computed indicators of one group of a grouping: `key` as in the API (a GSO code, a
    two-digit division, "true"/"false", or NONE_KEY), `label` names the unit as it was."""

    key: str
    label: str
    operating: int
    values: dict[str, Figure]
    grouping: str = ""

    def value(self, code: str) -> Figure | None:
        return self.values.get(code)

    @property
    def table_values(self) -> dict[str, Figure]:
        """The figures of the tables of groups (TABLE_CODES), in order."""
        return {code: self.values[code] for code in TABLE_CODES}


@dataclass
class IndicatorResults:
    year: int
    period: PlanPeriod | None
    operating: int
    results: list[IndicatorResult]
    computed: dict[str, Figure] = field(default_factory=dict)
    # grouping -> its groups; empty when computed without groups (`compute_years(grouped=False)`).
    groups: dict[str, list[Breakdown]] = field(default_factory=dict)

    @property
    def by_district(self) -> list[Breakdown]:
        return self.groups.get(Grouping.OLD_DISTRICT, [])

    @property
    def by_division(self) -> list[Breakdown]:
        return self.groups.get(Grouping.SECTOR, [])

    @property
    def default_grouping(self) -> str:
        return default_grouping(self.year)

    def get(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.results if r.code == code), None)

    def value(self, code: str) -> Figure | None:
        result = self.get(code)
        return result.value if result else None


@dataclass(frozen=True)
class Reporting:
    """The year's reporting rate: approved annual reports of facilities operating in the year ÷
    those facilities (shown beside every figure: a figure with few reports behind it says so)."""

    reports: int
    operating: int

    @property
    def rate(self) -> Decimal | None:
        return share(self.reports, self.operating)


def reporting_for(year: int, operating: int) -> Reporting:
    """`Reporting` of `year`, `operating` being the indicators' count of operating facilities."""
    reports = AnnualReport.objects.approved().filter(
        year=year, facility__in=Facility.objects.operating_in(year)
    )
    return Reporting(reports.count(), operating)


def registry_coverage(year: int, operating: int):
    """(EstablishmentCount of the year or None, coverage % or None): the registry's operating
    facilities against the statistics office's count (DESIGN §4, honest denominators)."""
    count = EstablishmentCount.objects.filter(year=year).first()
    return count, (count.coverage_pct(operating) if count else None)


def indicator_status(indicator: Indicator, actual, year: int | None = None) -> str:
    """Met or not against the year's milestone (else the period's target)."""
    if actual is None:
        return Status.NO_DATA
    met = indicator.is_met(actual, year)
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
        .annotate(rf_toe=toe_sql(factors), rf_unit=unit_key_sql(), rf_water=F("water_m3"))
        .values("rf_facility", "rf_year", "rf_output", "rf_toe", "rf_unit", "rf_water")
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
        rf_trained=_bit(Q(trained_staff__gte=1)),
        rf_water=F("water_m3"),
    ).values(
        "rf_facility",
        "rf_year",
        "rf_output",
        "rf_toe",
        "rf_unit",
        "rf_big",
        "rf_has_unit",
        "rf_trained",
        "rf_water",
    )


def _facilities_sql():
    """Every facility with the years it operated, its registry size and its group keys: the GSO
    codes of its old province and district (through its pre-2025 commune) and of its 2025
    commune/ward, its VSIC division and its registry flags (0/1)."""
    return (
        Facility.objects.order_by()
        .annotate(
            fac_id=F("id"),
            fac_established=F("established_year"),
            fac_closed=F("closed_year"),
            fac_province=F("commune__parent__parent__code"),
            fac_district=F("commune__parent__code"),
            fac_ward=F("ward__code"),
            fac_division=Substr("industry__code", 1, 2),
            fac_high_risk=_bit(Q(high_pollution_risk=True)),
            fac_key_energy=_bit(Q(key_energy_user=True)),
            fac_big=_bit(is_medium_or_large()),
        )
        .values(
            "fac_id",
            "fac_established",
            "fac_closed",
            "fac_province",
            "fac_district",
            "fac_ward",
            "fac_division",
            "fac_high_risk",
            "fac_key_energy",
            "fac_big",
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
           {base_water} AS base_water,
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
           fac.fac_province AS old_province,
           fac.fac_district AS old_district,
           fac.fac_ward AS ward,
           fac.fac_division AS division,
           fac.fac_high_risk AS high_risk,
           fac.fac_key_energy AS key_energy,
           -- A facility that applies SXSH is aware of it (DESIGN §4).
           CASE WHEN base.aware_year <= years.y OR base.apply_year <= years.y
                     OR act.act_date <= years.last_day
                THEN 1 ELSE 0 END AS aware,
           CASE WHEN base.apply_year <= years.y OR opt.opt_year <= years.y
                THEN 1 ELSE 0 END AS applies,
           -- Size from the year's approved report if there is one, else from the registry.
           CASE WHEN ry.rf_facility IS NOT NULL THEN ry.rf_big ELSE fac.fac_big END AS big,
           COALESCE(ry.rf_has_unit, 0) AS has_unit,
           COALESCE(ry.rf_trained, 0) AS trained,
           -- assessments.energy.intensity_fall_pct
           {fall_pct} AS fall_pct,
           -- assessments.energy.water_fall_pct (the same method, water instead of TOE)
           {water_fall_pct} AS water_fall_pct
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
    SELECT y, facility_id, old_province, old_district, ward, division, high_risk, key_energy,
           aware, applies, big, has_unit, trained,
           CASE WHEN applies = 1 AND fall_pct IS NOT NULL THEN 1 ELSE 0 END AS saving_ok,
           CASE WHEN applies = 1 THEN fall_pct END AS saving_pct,
           CASE WHEN applies = 1 AND water_fall_pct IS NOT NULL THEN 1 ELSE 0 END AS water_ok,
           CASE WHEN applies = 1 THEN water_fall_pct END AS water_pct
    FROM facts
)
"""

# The counts of each year, province-wide ("total").
TOTAL = "total"
_SUMS = """COUNT(*) AS n, SUM(aware) AS aware, SUM(applies) AS applies, SUM(big) AS big,
       SUM(big * has_unit) AS has_unit, SUM(saving_ok) AS saving_n,
       SUM(CASE WHEN saving_ok = 1 THEN saving_pct ELSE 0 END) AS saving_sum,
       SUM(CASE WHEN saving_ok = 1 AND saving_pct >= %s THEN 1 ELSE 0 END) AS reaching,
       SUM(trained) AS trained, SUM(water_ok) AS water_n,
       SUM(CASE WHEN water_ok = 1 THEN water_pct ELSE 0 END) AS water_sum"""
# Constants only (TOTAL, _SUMS): no input.
TOTAL_SQL = f"""
SELECT '{TOTAL}', y, NULL, {_SUMS}
FROM flags
GROUP BY y
"""  # nosec B608
# Every grouping at once: the counts of each combination of group keys (`fine`, at most one row
# per facility and year, far fewer in practice), then each grouping's sums over those rows (one
# copy of `fine` per grouping). A grouping's groups partition the facilities, so they add up to
# the total exactly.
_KEY_COLUMNS = ", ".join(GROUP_COLUMNS.values())
_FLAG_KEY = "CASE WHEN {column} = 1 THEN 'true' ELSE 'false' END"
GROUPED_SQL = """
, fine AS (
    SELECT y, {columns}, {sums}
    FROM flags
    GROUP BY y, {columns}
)
SELECT g.gname, fine.y, CASE g.gname {keys} END,
       SUM(n), SUM(aware), SUM(applies), SUM(big), SUM(has_unit), SUM(saving_n),
       SUM(saving_sum), SUM(reaching), SUM(trained), SUM(water_n), SUM(water_sum)
FROM fine CROSS JOIN ({names}) AS g
GROUP BY 1, 2, 3
"""


def _grouped_sql(groupings) -> tuple[str, list]:
    """GROUPED_SQL for `groupings` (names of GROUPINGS) and the total, with its parameters."""
    keys = []
    for grouping in groupings:
        column = GROUP_COLUMNS[grouping]
        key = _FLAG_KEY.format(column=column) if grouping in FLAG_GROUPINGS else column
        keys.append(f"WHEN '{grouping}' THEN {key}")
    sql = GROUPED_SQL.format(
        columns=_KEY_COLUMNS,
        sums=_SUMS,
        keys=" ".join(keys) + " ELSE NULL",
        # A derived table rather than VALUES with column names, which SQLite lacks.
        names=" UNION ALL ".join(f"SELECT '{name}' AS gname" for name in (TOTAL, *groupings)),
    )
    return sql, [SAVING_REACH_PCT]


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
    compiled["base_water"] = BASELINE_INTENSITY_SQL.format(output="b.rf_output", toe="b.rf_water")
    compiled["water_fall_pct"] = FALL_PCT_SQL.format(
        base_year="base.base_year",
        year="years.y",
        base="base.base_water",
        output="ry.rf_output",
        toe="ry.rf_water",
        unit="ry.rf_unit",
        base_unit="base.base_unit",
    )
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


def group_counts(years, factors: dict[str, Decimal] | None = None, groupings=()) -> dict:
    """{year: {TOTAL: {None: Counts}, grouping: {key: Counts}}} over the facilities operating
    each year, for each of `groupings` (none: the totals only, the cheapest query). A key is as
    in the API: a GSO code, a division, "true"/"false", or NONE_KEY. One query."""
    sql, params = facts_sql(years, factors)
    if groupings:
        tail, tail_params = _grouped_sql(groupings)
    else:
        tail, tail_params = TOTAL_SQL, [SAVING_REACH_PCT]
    with connection.cursor() as cursor:
        cursor.execute(sql + tail, [*params, *tail_params])
        rows = cursor.fetchall()
    counts: dict = {year: {name: {} for name in (TOTAL, *groupings)} for year in years}
    for name, year, key, *numbers in rows:
        (operating, aware, applies, big, has_unit, saving_n, saving_sum, reaching) = numbers[:8]
        trained, water_n, water_sum = numbers[8:]
        if name != TOTAL:
            key = NONE_KEY if key is None else str(key)
        counts[year][name][key] = Counts(
            int(operating),
            int(aware),
            int(applies),
            int(big),
            int(has_unit),
            int(saving_n),
            Decimal(str(saving_sum or 0)),
            int(reaching or 0),
            int(trained or 0),
            int(water_n or 0),
            Decimal(str(water_sum or 0)),
        )
    return counts


def province_counts(counts: dict) -> Counts:
    """The province-wide Counts of one year of `group_counts`."""
    return counts[TOTAL].get(None) or Counts()


def _group_order(grouping: str, row: Breakdown):
    if grouping in FLAG_GROUPINGS:
        return (row.key != "true", "")
    last = row.key == NONE_KEY
    if grouping == Grouping.SECTOR:
        return (last, row.key)
    return (last, row.label)


def _breakdowns(grouping: str, groups: dict, labels: dict) -> list[Breakdown]:
    names = labels.get(grouping, {})
    rows = [
        Breakdown(key, str(names.get(key, key)), counts.operating, counts.values(), grouping)
        for key, counts in groups.items()
    ]
    return sorted(rows, key=lambda row: _group_order(grouping, row))


_UNIT_SCOPES = {
    Grouping.OLD_PROVINCE: (AdminUnit.Scheme.PRE2025, AdminUnit.Level.PROVINCE),
    Grouping.OLD_DISTRICT: (AdminUnit.Scheme.PRE2025, AdminUnit.Level.DISTRICT),
    Grouping.WARD: (AdminUnit.Scheme.V2025, AdminUnit.Level.COMMUNE),
}


def _labels(counts_by_year: dict) -> dict[str, dict]:
    """{grouping: {key: name}} for the keys that occur (two queries): places by their names in
    their scheme (old names for the old groupings), divisions as "10 – name"."""
    keys: dict = {}
    for counts in counts_by_year.values():
        for grouping, groups in counts.items():
            keys.setdefault(grouping, set()).update(groups)
    labels: dict = {
        grouping: {NONE_KEY: NONE_LABELS[grouping]} for grouping in NONE_LABELS if grouping in keys
    }
    labels.update({grouping: FLAG_LABELS[grouping] for grouping in FLAG_GROUPINGS})
    places = [
        Q(scheme=scheme, level=level, code__in=keys[grouping] - {NONE_KEY})
        for grouping, (scheme, level) in _UNIT_SCOPES.items()
        if keys.get(grouping, set()) - {NONE_KEY}
    ]
    if places:
        by_scope = {scope: grouping for grouping, scope in _UNIT_SCOPES.items()}
        units = AdminUnit.objects.filter(reduce(operator.or_, places))
        for scheme, level, code, name in units.values_list("scheme", "level", "code", "name"):
            labels[by_scope[(scheme, level)]][code] = name
    divisions = keys.get(Grouping.SECTOR, set()) - {NONE_KEY}
    if divisions:
        names = IndustryCode.objects.filter(level=2, code__in=divisions).values_list("code", "name")
        labels[Grouping.SECTOR].update({code: f"{code} – {name}" for code, name in names})
    return labels


def group_name(grouping: str, key: str) -> str:
    """The name of one group (as in the tables), at most one query."""
    return str(_labels({None: {grouping: {key: None}}}).get(grouping, {}).get(key, key))


# --- the service --------------------------------------------------------------------------------


def period_for(year: int) -> PlanPeriod | None:
    return PlanPeriod.objects.covering(year).order_by("-start_year").first()


def compute_indicators(
    year: int, *, period: PlanPeriod | None = None, grouped: bool = True
) -> IndicatorResults:
    """Every indicator of the plan period covering `year` (or `period`), with its value.

    Computed indicators come from approved data (DESIGN §4), province-wide and, when `grouped`,
    for every grouping of GROUPINGS (`IndicatorResults.groups`); manual ones from
    IndicatorValue. A fixed number of queries.
    """
    period = period or period_for(year)
    return compute_years([year], period=period, grouped=grouped)[year]


def compute_years(
    years, *, period: PlanPeriod | None, grouped: bool = True
) -> dict[int, IndicatorResults]:
    """`compute_indicators` for several years of one period, in the same number of queries."""
    years = sorted(set(years))
    if grouped:
        counts_by_year = cached_counts(
            years, lambda missing: group_counts(missing, groupings=GROUPINGS), name="groups"
        )
        labels = _labels(counts_by_year)
    else:
        counts_by_year = cached_counts(years, group_counts, name="totals")
        labels = {}
    indicators, manual = [], {}
    if period is not None:
        indicators = list(period.indicators.prefetch_related("milestones"))
        entries = IndicatorValue.objects.filter(indicator__period=period, year__in=years)
        manual = {(entry.indicator_id, entry.year): entry for entry in entries}
    outcome = {}
    for year in years:
        counts = counts_by_year[year]
        province = province_counts(counts)
        computed = province.values()
        results = [_result(indicator, year, computed, manual) for indicator in indicators]
        groups = {
            grouping: _breakdowns(grouping, counts[grouping], labels)
            for grouping in GROUPINGS
            if grouping in counts
        }
        outcome[year] = IndicatorResults(
            year, period, province.operating, results, computed, groups=groups
        )
    return outcome


def _result(indicator: Indicator, year: int, computed: dict, manual: dict) -> IndicatorResult:
    if indicator.method == Indicator.Method.COMPUTED:
        return IndicatorResult(indicator, computed.get(indicator.code, Figure(None)), year=year)
    entry = manual.get((indicator.pk, year))
    value = Figure(entry.value if entry else None)
    return IndicatorResult(indicator, value, manual=entry, year=year)


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
    (TRAINED, "numerator"): "trained = 1",
    (TRAINED, "denominator"): "1 = 1",
    (WATER_SAVING, "denominator"): "water_ok = 1",
}


def group_condition(grouping: str, key: str) -> tuple[str, list]:
    """The SQL condition on `flags` selecting the group `key` of `grouping` (a ValueError for
    an unknown grouping or a flag key other than "true"/"false")."""
    column = GROUP_COLUMNS[Grouping(grouping)]
    if grouping in FLAG_GROUPINGS:
        if key not in ("true", "false"):
            raise ValueError(key)
        return f"{column} = %s", [1 if key == "true" else 0]
    if key == NONE_KEY:
        return f"{column} IS NULL", []
    return f"{column} = %s", [key]


def indicator_facilities(
    code: str,
    year: int,
    part: str,
    *,
    grouping: str | None = None,
    key: str | None = None,
    district: int | None = None,
    division: str | None = None,
):
    """The facilities counted in the numerator or denominator of a computed indicator, of the
    whole or of the group `key` of `grouping` (as in `IndicatorResults.groups`); `district`
    (an old district's id) and `division` narrow further. A lazy queryset: the rule runs inside
    the database when the page is fetched."""
    sql, params = facts_sql([year])
    condition = FACILITY_CONDITIONS[(code, part)]
    if "%s" in condition:
        params.append(SAVING_REACH_PCT)
    if grouping is not None:
        extra, extra_params = group_condition(grouping, key)
        condition += f" AND {extra}"
        params.extend(extra_params)
    if division:
        condition += " AND division = %s"
        params.append(division)
    # Fixed SQL (FACTS_SQL, FACILITY_CONDITIONS, GROUP_COLUMNS); every value is a parameter.
    query = f"{sql} SELECT facility_id FROM flags WHERE {condition}"  # nosec B608
    ids = RawSQL(query, params)  # nosec B611
    facilities = Facility.objects.filter(pk__in=ids)
    if district is not None:
        facilities = facilities.filter(commune__parent_id=district)
    return facilities


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
