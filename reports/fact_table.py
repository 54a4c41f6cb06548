"""The per-facility facts behind the indicators, kept in a table (issue 18 point 4).

`FacilityYearFact` holds, per (year, operating facility), the `flags` of
`reports.fact_sql.FACTS_SQL` — the rules of DESIGN §4 evaluated once — so that the indicators of
any scope (the country, a province, a group) aggregate stored rows instead of recomputing the
rules over every report on a cold request (`flags_sql`).

How the table stays equal to the rules:
- A change to data behind the indicators, made through the ORM, marks the facilities it touches
  (`FactsDirty`) in the same transaction (`core.data_version.changed`); a bulk write that names
  its facilities does the same. Before the facts are read, the marked facilities are recomputed
  (`flush`): a reader never aggregates a stored row older than committed data.
- A change whose facilities are not known (a bulk load without ids, a conversion factor, an
  administrative unit or VSIC code, a plan period adding years) marks the whole table stale
  (`FactsState.fresh`): the indicators are computed on the spot from the rules (the old path)
  until `rebuild` — queued on the maintenance queue, or `manage.py rebuild_facts` — has run.
- Rows computed by other rules (a release that changed `reports.fact_sql` or the rules it takes
  from `assessments.energy` and `facilities.size`) are stale too: the table records the rules'
  fingerprint (`rules_version`), and a table of another fingerprint is rebuilt, as above.
- Two refreshes of one facility never interleave: a flush removes the marks it refreshes, and a
  new mark of the same facility (an INSERT … ON CONFLICT on the removed row) waits until that
  flush commits, so the next flush sees the newer data. On PostgreSQL a flush takes a shared
  advisory lock and a rebuild an exclusive one. SQLite serialises writers by itself.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from functools import cache as once
from pathlib import Path

from celery import current_app
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    Activity,
    AnnualReport,
    Assessment,
    Option,
    Participation,
    PlanPeriod,
)
from core import data_version
from facilities.models import Facility

from .fact_models import FacilityYearFact, FactsDirty, FactsState
from .fact_sql import FLAG_COLUMNS, Scope, facts_sql

log = logging.getLogger(__name__)

STATE_KEY = "facts"
# pg_advisory_xact_lock key: "SXSHFACT" read as a number (any constant unique to this use).
LOCK_KEY = 0x5358534846414354
REFRESH_BATCH = 2000
REBUILD_REQUESTED = "sxsh:facts-rebuild-requested"
REBUILD_REQUEST_SECONDS = 600


# The modules whose code is the rules the stored rows were computed by.
RULE_MODULES = ("reports/fact_sql.py", "assessments/energy.py", "facilities/size.py")


@once
def rules_version() -> str:
    """A fingerprint of the rules' code: a release that changes it makes the stored rows stale."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in RULE_MODULES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def _current(state: FactsState | None) -> bool:
    """Complete, and computed by the rules of this code."""
    return state is not None and state.fresh and state.rules == rules_version()


# --- reading --------------------------------------------------------------------------------------


def flags_sql(years, province: str | None = None, factors=None) -> tuple[str, list]:
    """A `WITH … flags AS (…)` clause giving the facts of `years` for the facilities of `province`
    (None: every one), with its parameters: the stored rows when the table is fresh for those
    years (refreshing marked facilities first), else the rules computed on the spot. `factors`
    other than the stored ones (a what-if) always compute on the spot."""
    years = sorted(set(years))
    if factors is not None or not use_stored(years):
        return facts_sql(years, factors, province)
    columns = ", ".join(FLAG_COLUMNS)
    table = FacilityYearFact._meta.db_table
    where = "y IN ({})".format(", ".join("%s" for _ in years))
    params: list = list(years)
    if province == "":
        where += " AND province IS NULL"
    elif province is not None:
        where += " AND province = %s"
        params.append(province)
    # Fixed column and table names; every value is a parameter.
    return f"WITH flags AS (SELECT {columns} FROM {table} WHERE {where})", params  # nosec B608


def use_stored(years) -> bool:
    """Whether the stored facts of `years` may be read (after refreshing the marked facilities);
    when the table is stale, a rebuild is requested and the caller computes on the spot."""
    state = FactsState.objects.filter(key=STATE_KEY).first()
    if not _current(state):
        request_rebuild()
        return False
    if not set(years) <= set(state.years):
        return False
    flush(state)
    return True


def stored_rows(year: int, province: str | None = None):
    """The stored facts of `year` (of the 2025 `province`; "" the facilities without one); read
    after `use_stored`."""
    rows = FacilityYearFact.objects.filter(y=year)
    if province == "":
        return rows.filter(province__isnull=True)
    return rows if province is None else rows.filter(province=province)


def is_fresh() -> bool:
    return _current(FactsState.objects.filter(key=STATE_KEY).first())


# --- keeping the table ----------------------------------------------------------------------------


def flush(state: FactsState | None = None) -> int:
    """Recompute the facts of every marked facility and remove the marks; how many."""
    if not FactsDirty.objects.exists():
        return 0
    with transaction.atomic():
        _lock(shared=True)
        if connection.vendor == "postgresql" or state is None:
            # Read under the lock: a rebuild may have changed the years or the freshness.
            state = FactsState.objects.filter(key=STATE_KEY).first()
        if not _current(state):
            return 0  # the marks stay for after the rebuild, which may not have seen their data
        if connection.vendor == "postgresql":
            # Waits for a concurrent flush of the same marks, then skips what it removed.
            table = FactsDirty._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} RETURNING facility_id")  # nosec B608
                ids = [row[0] for row in cursor.fetchall()]
        else:
            ids = list(FactsDirty.objects.values_list("facility_id", flat=True))
            FactsDirty.objects.filter(facility_id__in=ids).delete()
        _refresh(ids, state.years)
    return len(ids)


def mark(facility_ids) -> None:
    """Mark facilities whose data changed (inside the writing transaction)."""
    ids = {int(pk) for pk in facility_ids if pk is not None}
    if ids:
        FactsDirty.objects.bulk_create(
            [FactsDirty(facility_id=pk) for pk in sorted(ids)], ignore_conflicts=True
        )


def mark_stale() -> None:
    """The stored facts no longer follow the data (a change of unknown extent): compute on the
    spot until the next rebuild, which is queued once the transaction commits."""
    with transaction.atomic():
        _lock(shared=True)
        FactsState.objects.filter(key=STATE_KEY).update(fresh=False)
    request_rebuild()


def request_rebuild() -> None:
    """Queue one rebuild (at most one request per REBUILD_REQUEST_SECONDS) after the commit."""

    def send():
        try:
            if cache.add(REBUILD_REQUESTED, 1, timeout=REBUILD_REQUEST_SECONDS):
                # By name: the task module imports the report files, which import this module.
                current_app.send_task("reports.tasks.rebuild_facts_task")
        except Exception:  # a broker or cache down: the figures are right anyway, only slower
            log.exception("could not queue the rebuild of the stored facts")

    transaction.on_commit(send, robust=True)


def stored_years() -> list[int]:
    """The years the table holds: every plan period's (of every province), every year with an
    approved report, and the current year."""
    years = set(PlanPeriod.objects.years())
    reported = AnnualReport.objects.approved().order_by().values_list("year", flat=True)
    years.update(reported.distinct())
    years.add(date.today().year)
    return sorted(years)


def rebuild(years=None) -> dict:
    """Recompute every stored fact from the rules, for `years` (default `stored_years()`), and
    mark the table fresh."""
    FactsState.objects.update_or_create(key=STATE_KEY, defaults={"fresh": False})
    years = sorted(set(years)) if years is not None else stored_years()
    with transaction.atomic():
        _lock(shared=False)
        FactsDirty.objects.all().delete()
        FacilityYearFact.objects.all().delete()
        rows = _insert(years, Scope())
        FactsState.objects.update_or_create(
            key=STATE_KEY,
            defaults={
                "fresh": True,
                "years": years,
                "built_at": timezone.now(),
                "rules": rules_version(),
            },
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics (the planner reads a year's rows by index, not by guess) and a visibility
        # map (counts read the index alone).
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {FacilityYearFact._meta.db_table}")  # nosec B608
    cache.delete(REBUILD_REQUESTED)
    # A rebuild repairs rows that did not follow the data: the answers cached from them go too.
    data_version.bump()
    log.info("facts rebuilt: %d rows, years %s", rows, years)
    return {"rows": rows, "years": years}


def _refresh(ids, years) -> None:
    ids = sorted(set(ids))
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = tuple(ids[start : start + REFRESH_BATCH])
        FacilityYearFact.objects.filter(facility_id__in=batch).delete()
        _insert(years, Scope(facilities=batch))


def _insert(years, scope: Scope) -> int:
    if not years:
        return 0
    sql, params = facts_sql(years, scope=scope)
    columns = ", ".join(FLAG_COLUMNS)
    table = FacilityYearFact._meta.db_table
    # A year's rows side by side on disk: the indicators of a year read a stretch of the table.
    order = " ORDER BY y, province" if scope == Scope() else ""
    # Fixed column and table names (FLAG_COLUMNS); every value is a parameter.
    insert = f"INSERT INTO {table} ({columns}) {sql} SELECT {columns} FROM flags{order}"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
        return cursor.rowcount


def _lock(*, shared: bool) -> None:
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [LOCK_KEY])  # nosec B608


# --- which facilities a change touches ------------------------------------------------------------


# Set on a row moved to another facility (or an option to another assessment) before it is saved:
# the facility it leaves, whose facts lose the row.
_LEFT_FACILITY = "_sxsh_facts_left_facility"


def on_row_saving(sender, instance, raw=False, **kwargs):
    """pre_save of a row that belongs to a facility: remember the facility it leaves, if any."""
    if raw or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk)
    if isinstance(instance, Option):
        before = stored.values_list("assessment__facility_id", flat=True).first()
        now = _facility_of_option(instance)
    else:
        before = stored.values_list("facility_id", flat=True).first()
        now = instance.facility_id
    setattr(instance, _LEFT_FACILITY, before if before != now else None)


def _facility_of_option(option) -> int | None:
    return (
        Assessment.objects.filter(pk=option.assessment_id)
        .values_list("facility_id", flat=True)
        .first()
    )


def facilities_of(instance) -> list[int] | None:
    """The facilities whose facts a saved or deleted row can change (for a row moved to another
    facility, both); None: unknown (every one)."""
    if isinstance(instance, Facility):
        return [instance.pk]
    left = getattr(instance, _LEFT_FACILITY, None)
    if isinstance(instance, (AnnualReport, Assessment, Participation)):
        return [pk for pk in (instance.facility_id, left) if pk]
    if isinstance(instance, Option):
        return [pk for pk in (_facility_of_option(instance), left) if pk]
    if isinstance(instance, Activity):
        return list(
            Participation.objects.filter(activity_id=instance.pk).values_list(
                "facility_id", flat=True
            )
        )
    return None


def on_data_changed(
    sender, facilities=None, instance=None, pk_set=None, reverse=None, created=None, **kwargs
):
    """core.data_version.changed: mark the facilities touched, or the whole table stale."""
    if instance is None:
        if facilities is None:
            mark_stale()
        else:
            mark(facilities)
        return
    if reverse is not None:  # Activity.participants changed (a many-to-many signal)
        if pk_set is None:  # cleared: which facilities took part is gone
            mark_stale()
        else:
            mark([instance.pk] if reverse else pk_set)
        return
    if isinstance(instance, AnnualReport) and _outside_years(instance.year):
        mark_stale()
        return
    touched = facilities_of(instance)
    if touched is None:
        if _affects_facts(instance, created):
            mark_stale()
        return
    mark(touched)


def _affects_facts(instance, created) -> bool:
    """Reference rows that the facts read: units (keys) and VSIC codes (division) once facilities
    may sit in them (not when new), conversion factors (TOE) always."""
    label = instance._meta.label
    if label in ("facilities.AdminUnit", "facilities.IndustryCode"):
        return not created
    return label == "assessments.ConversionFactor"


def _outside_years(year: int) -> bool:
    state = FactsState.objects.filter(key=STATE_KEY, fresh=True).first()
    return state is not None and year not in state.years


def on_plan_period_saved(sender, instance, **kwargs):
    """A plan period whose years the table does not hold: stale until rebuilt with them."""
    if any(_outside_years(year) for year in instance.years):
        mark_stale()
