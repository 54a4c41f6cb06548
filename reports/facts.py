"""The counts behind every computed indicator (DESIGN §4), from the per-facility facts.

The facts — one row of 0/1 facts per (year, operating facility), from approved data only, with
the facility's group keys — are the rules of `reports.fact_sql`, read from the table that
`reports.fact_table` keeps (or computed on the spot while that table is being rebuilt). One
grouped query over those rows gives every count (`group_counts`); the same rows, filtered, are
the facilities behind each number, of the whole or of one group (`indicator_facilities`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef
from django.db.models.expressions import RawSQL

from core.data_version import cached
from facilities.models import Facility

from . import fact_table
from .fact_table import flags_sql
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

# The counts of each year, province-wide ("total").
TOTAL = "total"
_SUMS = """COUNT(*) AS n, SUM(aware) AS aware, SUM(applies) AS applies, SUM(big) AS big,
       SUM(big * has_unit) AS has_unit, SUM(saving_ok) AS saving_n,
       SUM(CASE WHEN saving_ok = 1 THEN saving_pct ELSE 0 END) AS saving_sum,
       SUM(CASE WHEN saving_ok = 1 AND saving_pct >= %s THEN 1 ELSE 0 END) AS reaching,
       SUM(trained) AS trained, SUM(water_ok) AS water_n,
       SUM(CASE WHEN water_ok = 1 THEN water_pct ELSE 0 END) AS water_sum,
       SUM(reported) AS reported"""
# Constants only (TOTAL, _SUMS): no input. `flags` is the CTE of `fact_table.flags_sql`.
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
       SUM(saving_sum), SUM(reaching), SUM(trained), SUM(water_n), SUM(water_sum),
       SUM(reported)
FROM fine CROSS JOIN ({names}) AS g
GROUP BY 1, 2, 3
"""


# PostgreSQL: the same rows in one pass over `flags`, one grouping set per grouping (and `y`
# alone: the total); GROUPING() tells which set a row belongs to (a key column that is NULL
# because its facilities have no unit is still grouped).
GROUPING_SETS_SQL = """
SELECT CASE GROUPING({columns}) {names} END, y, CASE GROUPING({columns}) {keys} END, {sums}
FROM flags
GROUP BY GROUPING SETS ({sets})
"""


def _grouped_sql(groupings, vendor: str | None = None) -> tuple[str, list]:
    """The counts of `groupings` (names of GROUPINGS) and the total, with its parameters."""
    if (vendor or connection.vendor) == "postgresql":
        return _grouping_sets_sql(groupings)
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


def group_counts(
    years, factors: dict[str, Decimal] | None = None, groupings=(), province: str | None = None
) -> dict:
    """{year: {TOTAL: {None: Counts}, grouping: {key: Counts}}} over the facilities operating
    each year (of the 2025 `province` when given), for each of `groupings` (none: the totals
    only, the cheapest query). A key is as in the API: a GSO code, a division, "true"/"false",
    or NONE_KEY. One query."""
    sql, params = flags_sql(years, province, factors)
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
        trained, water_n, water_sum, reported = numbers[8:]
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
            int(reported or 0),
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
    the database when the page is fetched (an EXISTS over the stored facts, so that a page in
    name order walks the name index; the rules on the spot while the facts are stale)."""
    condition, params = _condition(code, part, grouping, key, division)
    if fact_table.use_stored([year]):
        rows = fact_table.stored_rows(year, province).filter(facility_id=OuterRef("pk"))
        facilities = Facility.objects.filter(Exists(rows.filter(_where(condition, params))))
    else:
        sql, flag_params = flags_sql([year], province)
        # Fixed SQL (FACTS_SQL, FACILITY_CONDITIONS, GROUP_COLUMNS); every value is a parameter.
        query = f"{sql} SELECT facility_id FROM flags WHERE {condition}"  # nosec B608
        ids = RawSQL(query, [*flag_params, *params])  # nosec B611
        facilities = Facility.objects.filter(pk__in=ids)
    if district is not None:
        facilities = facilities.filter(commune__parent_id=district)
    return facilities


def indicator_facility_count(
    code: str,
    year: int,
    part: str,
    *,
    grouping: str | None = None,
    key: str | None = None,
    division: str | None = None,
    province: str | None = None,
) -> int | None:
    """How many facilities `indicator_facilities` lists (without `district`), counted over the
    stored facts alone (one row per facility); None while they are stale."""
    if not fact_table.use_stored([year]):
        return None
    condition, params = _condition(code, part, grouping, key, division)
    rows = fact_table.stored_rows(year, province).filter(_where(condition, params))
    name = f"drill-count:{code}:{year}:{part}:{grouping}:{key}:{division}:{province}"
    return cached(name, rows.count)


def _condition(code, part, grouping, key, division) -> tuple[str, list]:
    """The SQL condition over the facts' columns that selects the facilities behind a number."""
    condition, params = FACILITY_CONDITIONS[(code, part)], []
    if "%s" in condition:
        params.append(SAVING_REACH_PCT)
    if grouping is not None:
        extra, extra_params = group_condition(grouping, key)
        condition += f" AND {extra}"
        params.extend(extra_params)
    if division:
        condition += " AND division = %s"
        params.append(division)
    return condition, params


def _where(condition: str, params: list) -> RawSQL:
    # Fixed SQL (FACILITY_CONDITIONS, GROUP_COLUMNS) over the facts' own columns; every value is
    # a parameter.
    return RawSQL(condition, params, output_field=BooleanField())  # nosec B611


def _grouping_sets_sql(groupings) -> tuple[str, list]:
    columns = [GROUP_COLUMNS[grouping] for grouping in groupings]
    every = (1 << len(columns)) - 1  # GROUPING(...) of the set (y): no column grouped

    def mask(column: str) -> int:  # GROUPING(...) of the set (y, column)
        return every & ~(1 << (len(columns) - 1 - columns.index(column)))

    names = [f"WHEN {every} THEN '{TOTAL}'"]
    keys = []
    for grouping, column in zip(groupings, columns, strict=True):
        key = _FLAG_KEY.format(column=column) if grouping in FLAG_GROUPINGS else column
        names.append(f"WHEN {mask(column)} THEN '{grouping}'")
        keys.append(f"WHEN {mask(column)} THEN {key}")
    sql = GROUPING_SETS_SQL.format(
        columns=", ".join(columns),
        names=" ".join(names),
        keys=" ".join(keys),
        sums=_SUMS,
        sets=", ".join(["(y)", *(f"(y, {column})" for column in columns)]),
    )
    return sql, [SAVING_REACH_PCT]
