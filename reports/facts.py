"""The facts behind every computed indicator, in SQL (DESIGN §4).

FACTS_SQL gives one row of 0/1 facts per (year, operating facility) — aware, applies, medium or
large, has a CP unit, saving — from approved data only, with the facility's group keys. One
grouped query over those rows gives every count (`group_counts`); the same rows, filtered, are
the facilities behind each number, of the whole or of one group (`indicator_facilities`).
Portable SQL: PostgreSQL in production, SQLite in the demo.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, F, IntegerField, Min, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import NullIf, Substr

from assessments.energy import BASELINE_INTENSITY_SQL, FALL_PCT_SQL, toe_sql, unit_key_sql
from assessments.factors import toe_factors
from assessments.models import Activity, AnnualReport, Option, Participation, WorkflowState
from facilities.models import Facility
from facilities.size import SizeClass, size_at_least_q

from .figures import (
    APPLY,
    AWARE,
    ENT_UNIT,
    SAVING,
    SAVING_REACH_PCT,
    TRAINED,
    WATER_SAVING,
    Counts,
)
from .groupings import FLAG_GROUPINGS, GROUP_COLUMNS, NONE_KEY, group_condition

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


def is_medium_or_large() -> Q:
    """ENT_UNIT_PCT's size condition, from the one size table (facilities.size.SIZE_LIMITS)."""
    return size_at_least_q(SizeClass.MEDIUM)


def _in_province(queryset, path: str, province: str | None):
    """`queryset` limited to the facilities (reached by `path`) of the 2025 `province`: a
    province's figures read only its own reports, not the whole country's."""
    return queryset if province is None else queryset.filter(**{f"{path}__province": province})


def _firsts_sql(province: str | None = None):
    """Per facility: the year of its earliest approved report (the SAVING baseline) and the first
    years its approved reports said `aware` and `applies_cp`."""
    return (
        _in_province(AnnualReport.objects.approved(), "facility", province)
        .order_by()
        .values(first_facility=F("facility_id"))
        .annotate(
            base_year=Min("year"),
            aware_year=Min("year", filter=Q(aware=True)),
            apply_year=Min("year", filter=Q(applies_cp=True)),
        )
    )


def _baseline_reports_sql(factors, province: str | None = None):
    """Approved reports with output and TOE (FACTS_SQL joins each facility's earliest one)."""
    return (
        _in_province(AnnualReport.objects.approved(), "facility", province)
        .order_by()
        .annotate(rf_facility=F("facility_id"), rf_year=F("year"), rf_output=F("output"))
        .annotate(rf_toe=toe_sql(factors), rf_unit=unit_key_sql(), rf_water=F("water_m3"))
        .values("rf_facility", "rf_year", "rf_output", "rf_toe", "rf_unit", "rf_water")
    )


def _year_reports_sql(factors, years, province: str | None = None):
    """Approved reports of `years`: output, TOE, size medium/large, CP unit."""
    reports = AnnualReport.objects.approved().order_by().filter(year__in=years)
    reports = _in_province(reports, "facility", province)
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


def _facilities_sql(province: str | None = None):
    """Every facility (of the 2025 `province` when given: a national installation's scope) with
    the years it operated, its registry size and its group keys: the GSO codes of its old
    province and district (through its pre-2025 commune) and of its 2025 commune/ward, its VSIC
    division and its registry flags (0/1)."""
    facilities = Facility.objects.order_by()
    if province is not None:
        facilities = facilities.filter(province=province)
    return facilities.annotate(
        fac_id=F("id"),
        fac_established=F("established_year"),
        fac_closed=F("closed_year"),
        fac_province=F("commune__parent__parent__code"),
        fac_province_2025=NullIf(F("province"), Value("")),
        fac_district=F("commune__parent__code"),
        fac_ward=F("ward__code"),
        fac_division=Substr("industry__code", 1, 2),
        fac_high_risk=_bit(Q(high_pollution_risk=True)),
        fac_key_energy=_bit(Q(key_energy_user=True)),
        fac_big=_bit(is_medium_or_large()),
    ).values(
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


def _activities_sql(province: str | None = None):
    """Each facility's first awareness or training activity."""
    participations = Participation.objects.filter(activity__kind__in=Activity.AWARENESS_KINDS)
    return (
        _in_province(participations, "facility", province)
        .order_by()
        .values(act_facility=F("facility_id"))
        .annotate(act_date=Min("activity__date"))
    )


def _options_sql(province: str | None = None):
    """Each facility's first year with a done option of an approved assessment."""
    options = Option.objects.filter(
        status=Option.Status.DONE,
        assessment__state=WorkflowState.APPROVED,
        implementation_year__isnull=False,
    )
    return (
        _in_province(options, "assessment__facility", province)
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
    SELECT y, facility_id, province, old_province, old_district, ward, division, high_risk,
           key_energy,
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


def facts_sql(
    years, factors: dict[str, Decimal] | None = None, province: str | None = None
) -> tuple[str, list]:
    """FACTS_SQL for `years` (over the facilities of `province`, or all), with its parameters."""
    factors = toe_factors() if factors is None else factors
    parts = {
        "firsts": _firsts_sql(province),
        "all_reports": _baseline_reports_sql(factors, province),
        "year_reports": _year_reports_sql(factors, years, province),
        "facilities": _facilities_sql(province),
        "activities": _activities_sql(province),
        "options": _options_sql(province),
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


def group_counts(
    years, factors: dict[str, Decimal] | None = None, groupings=(), province: str | None = None
) -> dict:
    """{year: {TOTAL: {None: Counts}, grouping: {key: Counts}}} over the facilities operating
    each year (of the 2025 `province` when given), for each of `groupings` (none: the totals
    only, the cheapest query). A key is as in the API: a GSO code, a division, "true"/"false",
    or NONE_KEY. One query."""
    sql, params = facts_sql(years, factors, province)
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


def indicator_facilities(
    code: str,
    year: int,
    part: str,
    *,
    grouping: str | None = None,
    key: str | None = None,
    district: int | None = None,
    division: str | None = None,
    province: str | None = None,
):
    """The facilities counted in the numerator or denominator of a computed indicator, of the
    whole or of the group `key` of `grouping` (as in `IndicatorResults.groups`); `district`
    (an old district's id) and `division` narrow further. A lazy queryset: the rule runs inside
    the database when the page is fetched."""
    sql, params = facts_sql([year], province=province)
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
