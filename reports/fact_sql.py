"""The facts behind every computed indicator, in SQL (DESIGN §4): the rules.

FACTS_SQL gives one row of 0/1 facts per (year, operating facility) — aware, applies, medium or
large, has a CP unit, saving — from approved data only, with the facility's group keys (the CTE
`flags`, columns FLAG_COLUMNS). `reports.fact_table` keeps those rows in a table, refreshed per
facility when data changes; `reports.facts` counts them. Portable SQL: PostgreSQL in production,
SQLite in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, F, IntegerField, Min, Q, Value, When
from django.db.models.functions import NullIf, Substr

from assessments.energy import BASELINE_INTENSITY_SQL, FALL_PCT_SQL, toe_sql, unit_key_sql
from assessments.factors import toe_factors
from assessments.models import Activity, AnnualReport, Option, Participation, WorkflowState
from facilities.models import Facility
from facilities.size import YEAR_PREFIX, SizeClass, size_at_least_q, year_figures_annotations

# --- per-facility facts, in SQL ---------------------------------------------------------------
#
# The rules of DESIGN §4 are written once, in FACTS_SQL: one row per (year, operating facility)
# with 0/1 facts. Counting those rows gives every indicator (`group_counts`); filtering them
# gives the facilities behind a number (`indicator_facilities`). The CTEs read each table once
# (set-based, no per-facility sub-query), so the cost grows with the data, not the query count.
# Two rules come from their homes below, in their SQL form: the energy saving (TOE and the % fall
# in intensity: assessments.energy, tests/reports/test_saving_rule.py) and the size class
# (facilities.size.SIZE_LIMITS, tests/reports/test_size_rule.py).


def _bit(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def is_medium_or_large(prefix: str = "") -> Q:
    """ENT_UNIT_PCT's size condition, from the one size table (facilities.size.SIZE_LIMITS)."""
    return size_at_least_q(SizeClass.MEDIUM, prefix=prefix)


@dataclass(frozen=True)
class Scope:
    """Which facilities the facts are of: every one, those of a 2025 `province` (a province's
    figures read only its own reports, not the whole country's), or the `facilities` (ids) whose
    stored facts are being refreshed."""

    province: str | None = None
    facilities: tuple[int, ...] | None = None


EVERY_FACILITY = Scope()


def _in_scope(queryset, path: str, scope: Scope):
    """`queryset` limited to the facilities (reached by `path`, "" for Facility) of `scope`."""
    prefix = f"{path}__" if path else ""
    if scope.province is not None:
        queryset = queryset.filter(**{f"{prefix}province": scope.province})
    if scope.facilities is not None:
        key = f"{path}_id__in" if path else "pk__in"
        queryset = queryset.filter(**{key: scope.facilities})
    return queryset


def _firsts_sql(scope: Scope):
    """Per facility: the year of its earliest approved report (the SAVING baseline) and the first
    years its approved reports said `aware` and `applies_cp`."""
    return (
        _in_scope(AnnualReport.objects.approved(), "facility", scope)
        .order_by()
        .values(first_facility=F("facility_id"))
        .annotate(
            base_year=Min("year"),
            aware_year=Min("year", filter=Q(aware=True)),
            apply_year=Min("year", filter=Q(applies_cp=True)),
        )
    )


def _baseline_reports_sql(factors, scope: Scope):
    """Approved reports with output and TOE (FACTS_SQL joins each facility's earliest one)."""
    return (
        _in_scope(AnnualReport.objects.approved(), "facility", scope)
        .order_by()
        .annotate(rf_facility=F("facility_id"), rf_year=F("year"), rf_output=F("output"))
        .annotate(rf_toe=toe_sql(factors), rf_unit=unit_key_sql(), rf_water=F("water_m3"))
        .values("rf_facility", "rf_year", "rf_output", "rf_toe", "rf_unit", "rf_water")
    )


def _year_size_bit():
    """Medium or large (1/0) when the report gives employees, by its figures with the registry's
    revenue and capital where it leaves them blank (facilities.size.year_figures); NULL when it
    does not, and the registry decides (DESIGN §4 ENT_UNIT_PCT). Reads the annotations of
    facilities.size.year_figures_annotations."""
    return Case(
        When(employees__isnull=True, then=Value(None)),
        When(is_medium_or_large(prefix=YEAR_PREFIX), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _year_reports_sql(factors, years, scope: Scope):
    """Approved reports of `years`: output, TOE, size medium/large (NULL: not given), CP unit."""
    reports = AnnualReport.objects.approved().order_by().filter(year__in=years)
    reports = _in_scope(reports, "facility", scope).annotate(**year_figures_annotations())
    return reports.annotate(
        rf_facility=F("facility_id"),
        rf_year=F("year"),
        rf_output=F("output"),
        rf_toe=toe_sql(factors),
        rf_unit=unit_key_sql(),
        rf_big=_year_size_bit(),
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


def _facilities_sql(scope: Scope):
    """Every facility (of the 2025 `province` when given: a national installation's scope) with
    the years it operated, its registry size and its group keys: the GSO codes of its old
    province and district (through its pre-2025 commune) and of its 2025 commune/ward, its VSIC
    division and its registry flags (0/1)."""
    return (
        _in_scope(Facility.objects.order_by(), "", scope)
        .annotate(
            fac_id=F("id"),
            fac_established=F("established_year"),
            fac_closed=F("closed_year"),
            fac_province=F("commune__parent__parent__code"),
            fac_province_2025=NullIf(F("province"), Value("")),
            fac_district=F("commune__parent__code"),
            fac_ward=F("ward__code"),
            # A facility filed under a VSIC section ("C", level 1) has no division: NULL, the
            # sector group NONE_KEY, never a key "C" (DESIGN §5).
            fac_division=Case(
                When(industry__level__gte=2, then=Substr("industry__code", 1, 2)),
                default=Value(None),
                output_field=CharField(),
            ),
            fac_high_risk=_bit(Q(high_pollution_risk=True)),
            fac_key_energy=_bit(Q(key_energy_user=True)),
            fac_big=_bit(is_medium_or_large()),
        )
        .values(
            "fac_id",
            "fac_established",
            "fac_closed",
            "fac_province",
            "fac_province_2025",
            "fac_district",
            "fac_ward",
            "fac_division",
            "fac_high_risk",
            "fac_key_energy",
            "fac_big",
        )
    )


def _activities_sql(scope: Scope):
    """Each facility's first awareness or training activity."""
    participations = Participation.objects.filter(activity__kind__in=Activity.AWARENESS_KINDS)
    return (
        _in_scope(participations, "facility", scope)
        .order_by()
        .values(act_facility=F("facility_id"))
        .annotate(act_date=Min("activity__date"))
    )


def _options_sql(scope: Scope):
    """Each facility's first year with a done option of an approved assessment."""
    options = Option.objects.filter(
        status=Option.Status.DONE,
        assessment__state=WorkflowState.APPROVED,
        implementation_year__isnull=False,
    )
    return (
        _in_scope(options, "assessment__facility", scope)
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
           b.rf_output AS base_output,
           b.rf_toe AS base_toe,
           b.rf_water AS base_water_m3,
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
           fac.fac_province_2025 AS province,
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
           -- Size from the year's approved report when it gives employees (its blank revenue
           -- or capital from the registry), else from the registry (rf_big is NULL without
           -- such a report).
           COALESCE(ry.rf_big, fac.fac_big) AS big,
           COALESCE(ry.rf_has_unit, 0) AS has_unit,
           -- The reporting rate's numerator: an approved report of the year (reports.reporting).
           CASE WHEN ry.rf_facility IS NOT NULL THEN 1 ELSE 0 END AS reported,
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
    SELECT y, facility_id, province, old_province, old_district, ward, division, high_risk,
           key_energy,
           aware, applies, big, has_unit, trained, reported,
           CASE WHEN applies = 1 AND fall_pct IS NOT NULL THEN 1 ELSE 0 END AS saving_ok,
           CASE WHEN applies = 1 THEN fall_pct END AS saving_pct,
           CASE WHEN applies = 1 AND water_fall_pct IS NOT NULL THEN 1 ELSE 0 END AS water_ok,
           CASE WHEN applies = 1 THEN water_fall_pct END AS water_pct
    FROM facts
)
"""
# The columns of `flags`, in order: what `reports.fact_table` stores per facility and year.
FLAG_COLUMNS = (
    "y",
    "facility_id",
    "province",
    "old_province",
    "old_district",
    "ward",
    "division",
    "high_risk",
    "key_energy",
    "aware",
    "applies",
    "big",
    "has_unit",
    "trained",
    "reported",
    "saving_ok",
    "saving_pct",
    "water_ok",
    "water_pct",
)


def facts_sql(
    years,
    factors: dict[str, Decimal] | None = None,
    province: str | None = None,
    *,
    scope: Scope | None = None,
) -> tuple[str, list]:
    """FACTS_SQL for `years` over the facilities of `scope` (default: of `province`, or all),
    with its parameters."""
    factors = toe_factors() if factors is None else factors
    scope = Scope(province=province) if scope is None else scope
    parts = {
        "firsts": _firsts_sql(scope),
        "all_reports": _baseline_reports_sql(factors, scope),
        "year_reports": _year_reports_sql(factors, years, scope),
        "facilities": _facilities_sql(scope),
        "activities": _activities_sql(scope),
        "options": _options_sql(scope),
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
        base_output="base.base_output",
        base_amount="base.base_water_m3",
        output="ry.rf_output",
        toe="ry.rf_water",
        unit="ry.rf_unit",
        base_unit="base.base_unit",
    )
    compiled["fall_pct"] = FALL_PCT_SQL.format(
        base_year="base.base_year",
        year="years.y",
        base="base.base_intensity",
        base_output="base.base_output",
        base_amount="base.base_toe",
        output="ry.rf_output",
        toe="ry.rf_toe",
        unit="ry.rf_unit",
        base_unit="base.base_unit",
    )
    for year in years:
        params.extend([year, date(year, 12, 31)])
    return FACTS_SQL.format(**compiled), params
