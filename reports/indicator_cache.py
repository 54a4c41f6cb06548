"""Cache of the computed indicator counts, so that the dashboard, the API and the report files do
not scan every approved report on each request.

`group_counts(year)` depends only on the tables in `DEPENDENCIES`. Any change to them replaces
the token in `DataVersion` (after the change commits); counts are cached per (token, year), so a
changed token is a miss and stale counts are never read. Changes made through `save()`/`delete()`
are caught by signals (`connect_signals`); bulk writes (imports, reference loads, the demo seed,
migrations, restores) call `data_changed()` themselves.

Inside a transaction that has changed such data, the cache is bypassed: that transaction sees
its own uncommitted rows, which no other process may be served.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

KEY = "indicators"
CACHE_PREFIX = "sxsh:indicator-counts"
_DIRTY = "_sxsh_indicator_data_changed_in"

# Every model whose rows feed `reports.indicators.group_counts`.
DEPENDENCIES = (
    "facilities.AdminUnit",
    "facilities.IndustryCode",
    "facilities.Facility",
    "assessments.AnnualReport",
    "assessments.Assessment",
    "assessments.Option",
    "assessments.Activity",
    "assessments.Participation",
    "assessments.ConversionFactor",
)


def bump(using: str = DEFAULT_DB_ALIAS) -> str:
    """Replace the token now: every cached count becomes unreachable."""
    from .models import DataVersion

    token = uuid.uuid4().hex
    DataVersion.objects.using(using).update_or_create(
        key=KEY, defaults={"token": token, "changed_at": timezone.now()}
    )
    return token


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Data behind the indicators changed: replace the token once the transaction commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        bump(using)
        return
    setattr(connection, _DIRTY, connection.atomic_blocks[0])
    # One bump per transaction, however many rows it writes. A callback registered inside a
    # savepoint that was rolled back is gone from the list, so it is registered again.
    if not any(entry[1] is _bump_callbacks(using) for entry in connection.run_on_commit):
        transaction.on_commit(_bump_callbacks(using), using=using)


_CALLBACKS: dict = {}


def _bump_callbacks(using: str):
    """The same callable for a database alias, so that it is found in `run_on_commit`."""
    if using not in _CALLBACKS:
        _CALLBACKS[using] = lambda: bump(using)
    return _CALLBACKS[using]


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The token, or None when counts must not be cached: no token yet (e.g. a freshly flushed
    database), or this transaction has written data that is not committed yet."""
    from .models import DataVersion

    connection = connections[using]
    if connection.in_atomic_block:
        if getattr(connection, _DIRTY, None) is connection.atomic_blocks[0]:
            return None
        if connection.vendor == "postgresql":
            # Any write at all, even a bulk one that sent no signal, assigns a transaction id.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT (SELECT token FROM {DataVersion._meta.db_table} WHERE key = %s),"
                    " pg_current_xact_id_if_assigned() IS NOT NULL",
                    [KEY],
                )
                token, wrote = cursor.fetchone()
            return None if wrote else token
    return DataVersion.objects.using(using).filter(key=KEY).values_list("token", flat=True).first()


def cached_counts(years, compute, using: str = DEFAULT_DB_ALIAS) -> dict:
    """`compute(years)` ({year: counts}) through the cache, computing only the missing years."""
    token = current_token(using)
    if token is None:
        return compute(years)
    keys = {year: f"{CACHE_PREFIX}:{token}:{year}" for year in years}
    found = cache.get_many(list(keys.values()))
    outcome = {year: found[key] for year, key in keys.items() if key in found}
    missing = [year for year in years if year not in outcome]
    if missing:
        fresh = compute(missing)
        cache.set_many(
            {keys[year]: fresh[year] for year in missing},
            timeout=settings.INDICATOR_CACHE_SECONDS,
        )
        outcome.update(fresh)
    return outcome


def _on_change(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    data_changed(using)


def _on_m2m_change(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        data_changed(using)


def _on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender.name == "reports":  # once per migrate run, after DataVersion exists
        bump(using)


def connect_signals() -> None:
    from django.apps import apps

    for label in DEPENDENCIES:
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"indicator-cache-save-{label}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"indicator-cache-delete-{label}"
        )
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m_change,
                sender=m2m.remote_field.through,
                dispatch_uid=f"indicator-cache-m2m-{label}-{m2m.name}",
            )
    post_migrate.connect(_on_migrate, dispatch_uid="indicator-cache-migrate")
