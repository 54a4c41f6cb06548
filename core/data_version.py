"""A data version token, and a cache keyed by it.

Computing the indicators scans every approved report, and the facility list's filters render
hundreds of districts, communes and VSIC divisions; both change rarely. Any change to a model in
`WATCHED` (an annual report: only when it is or was approved) replaces the token in `DataVersion`
once the change commits, and cached values are keyed by the token, so a change is a miss and
stale values are never read. The keys also hold a fingerprint of the code (core.code_version), so
a release starts from an empty cache. Changes made through `save()`/`delete()` are caught by signals
(`connect_signals`); bulk writes (imports, reference loads, the demo seed) call `data_changed()`
themselves, and `migrate` replaces the token.

Inside a transaction that has written data, nothing is read from or written to the cache: that
transaction sees its own uncommitted rows, which no other process may be served.

A restore brings back the token of the backup together with the data it belongs to.

The models are watched by label and looked up in `connect_signals` (called by core's AppConfig),
so this module, at the bottom layer, imports nothing from the apps whose data it watches.
"""

from __future__ import annotations

import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone

from .code_version import code_version
from .models import DataVersion

KEY = "portal-data"
CACHE_PREFIX = "sxsh:data"


def cache_prefix() -> str:
    """Cached values are keyed by the code as well (core.code_version): a release that changes
    how a value is computed or rendered never reads the values of the one before."""
    return f"{CACHE_PREFIX}:{code_version()}"


_DIRTY = "_sxsh_data_changed_in"

# Every model whose rows feed the indicators (`reports.facts.group_counts`) or the cached
# facility list parts (`facilities.filters`, `facilities.views.registry.facility_list`).
WATCHED = (
    "facilities.AdminUnit",
    "facilities.IndustryCode",
    "facilities.IndustrialArea",
    "facilities.Facility",
    "assessments.AnnualReport",
    "assessments.Assessment",
    "assessments.Option",
    "assessments.Activity",
    "assessments.Participation",
    "assessments.ConversionFactor",
)

# Models of WATCHED whose changes count only when the row is or was in a given state: label ->
# (field, value). Only approved reports count (DESIGN §1); facilities save drafts all through the
# reporting season, and those saves leave the token (and so every cached value) alone.
COUNTED_ONLY_IN_STATE = {"assessments.AnnualReport": ("state", "approved")}


def bump(using: str = DEFAULT_DB_ALIAS) -> str:
    """Replace the token now: every cached value becomes unreachable."""
    token = uuid.uuid4().hex
    DataVersion.objects.using(using).update_or_create(
        key=KEY, defaults={"token": token, "changed_at": timezone.now()}
    )
    return token


# Sent inside the writing transaction, after the change, to keep derived data in step
# (reports.fact_table): `instance` is a row of WATCHED saved or deleted through the ORM (for a
# many-to-many change, the row whose relation changed, with `pk_set` and `reverse`; `created`
# when it is a new row); a bulk write
# sends `facilities` (the facility ids it touched) or None (extent unknown).
changed = Signal()


def data_changed(using: str = DEFAULT_DB_ALIAS, *, facilities=None) -> None:
    """A bulk write (which sends no model signals) changed data behind the indicators: replace the
    token once the transaction commits. `facilities`: the ids of the facilities whose data it
    wrote, when known."""
    _replace_token(using)
    changed.send(sender=None, using=using, facilities=facilities)


def _replace_token(using: str) -> None:
    """Replace the token once the transaction commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        bump(using)
        return
    setattr(connection, _DIRTY, connection.atomic_blocks[0])
    # One bump per transaction, however many rows it writes. A callback registered inside a
    # savepoint that was rolled back is gone from the list, so it is registered again.
    if not any(entry[1] is _bump_callbacks(using) for entry in connection.run_on_commit):
        # robust: the data is committed whatever happens here; a failure is logged by Django and
        # leaves cached values until the next change or DATA_CACHE_SECONDS.
        transaction.on_commit(_bump_callbacks(using), using=using, robust=True)


_CALLBACKS: dict = {}


def _bump_callbacks(using: str):
    """The same callable for a database alias, so that it is found in `run_on_commit`."""
    if using not in _CALLBACKS:
        _CALLBACKS[using] = lambda: bump(using)
    return _CALLBACKS[using]


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The token, or None when nothing may be cached: this transaction has written data that is
    not committed yet (or, inside a transaction, there is no token yet)."""
    connection = connections[using]
    if connection.in_atomic_block:
        if getattr(connection, _DIRTY, None) is connection.atomic_blocks[0]:
            return None
        if connection.vendor == "postgresql":
            # Any write at all, even a bulk one that sent no signal, assigns a transaction id.
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(DataVersion._meta.db_table)  # not input
                cursor.execute(
                    f"SELECT (SELECT token FROM {table} WHERE key = %s),"  # nosec B608
                    " pg_current_xact_id_if_assigned() IS NOT NULL",
                    [KEY],
                )
                token, wrote = cursor.fetchone()
            return None if wrote else token
    token = DataVersion.objects.using(using).filter(key=KEY).values_list("token", flat=True).first()
    if token is None and not connection.in_atomic_block:
        # No token yet (a database restored from before tokens, or flushed by a test): values
        # computed from now on are computed from committed data, so a new token is safe.
        token = bump(using)
    return token


_UNREAD = object()


def cached(name: str, compute, *, token=_UNREAD, using: str = DEFAULT_DB_ALIAS):
    """`compute()` through the cache under `name`; `token`, when the caller already read it,
    saves a query. Not cached (computed every time) when the token is None."""
    if token is _UNREAD:
        token = current_token(using)
    if token is None:
        return compute()
    key = f"{cache_prefix()}:{token}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.DATA_CACHE_SECONDS)
    return value


def cached_committed(name: str, compute, *, using: str = DEFAULT_DB_ALIAS):
    """`cached` for a value of counted data that a transaction's other writes do not change (a
    draft being saved and checked against its approved peers): looked up and stored under the
    committed token even inside a transaction that wrote; computed afresh, and not stored, inside
    a transaction that changed counted data (its own rows are in what `compute` reads, and may yet
    roll back)."""
    connection = connections[using]
    if (
        connection.in_atomic_block
        and getattr(connection, _DIRTY, None) is connection.atomic_blocks[0]
    ):
        return compute()
    committed = DataVersion.objects.using(using).filter(key=KEY).values_list("token", flat=True)
    return cached(name, compute, token=committed.first(), using=using)


def cached_counts(years, compute, using: str = DEFAULT_DB_ALIAS, *, name: str = "counts") -> dict:
    """`compute(years)` ({year: counts}) through the cache, computing only the missing years;
    `name` tells apart the kinds of counts (with or without groups)."""
    token = current_token(using)
    if token is None:
        return compute(years)
    prefix = cache_prefix()
    keys = {year: f"{prefix}:{token}:indicator-{name}:{year}" for year in years}
    found = cache.get_many(list(keys.values()))
    outcome = {year: found[key] for year, key in keys.items() if key in found}
    missing = [year for year in years if year not in outcome]
    if missing:
        fresh = compute(missing)
        cache.set_many(
            {keys[year]: fresh[year] for year in missing}, timeout=settings.DATA_CACHE_SECONDS
        )
        outcome.update(fresh)
    return outcome


def _on_change(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    _replace_token(using)
    changed.send(sender=sender, using=using, instance=instance, created=kwargs.get("created"))


# A model of COUNTED_ONLY_IN_STATE -> (field, value), filled by connect_signals.
_STATE_GATES: dict = {}
_WAS_IN_STATE = "_sxsh_was_in_counted_state"


def _on_gated_saving(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    field, value = _STATE_GATES[sender]
    stored = None
    if instance.pk is not None:
        rows = sender._base_manager.using(using).filter(pk=instance.pk)
        stored = rows.values_list(field, flat=True).first()
    setattr(instance, _WAS_IN_STATE, stored == value)


def _on_gated_saved(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    field, value = _STATE_GATES[sender]
    if getattr(instance, field) == value or getattr(instance, _WAS_IN_STATE, True):
        _replace_token(using)
        changed.send(sender=sender, using=using, instance=instance)


def _on_m2m_change(sender, instance, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _replace_token(using)
        changed.send(
            sender=type(instance),
            using=using,
            instance=instance,
            pk_set=kwargs.get("pk_set"),
            reverse=kwargs.get("reverse"),
        )


def _on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender.name != "core":  # once per migrate run
        return
    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        bump(using)  # not when migrated back to before the table existed


def connect_signals() -> None:
    """Connect the watchers; called once the models are loaded (core.apps.CoreConfig.ready)."""
    gated = set()
    for label, gate in COUNTED_ONLY_IN_STATE.items():
        model = apps.get_model(label)
        _STATE_GATES[model] = gate
        gated.add(model)
        pre_save.connect(_on_gated_saving, sender=model, dispatch_uid=f"data-version-gate-{label}")
        post_save.connect(_on_gated_saved, sender=model, dispatch_uid=f"data-version-gated-{label}")
    for label in WATCHED:
        model = apps.get_model(label)
        if model not in gated:
            post_save.connect(_on_change, sender=model, dispatch_uid=f"data-version-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"data-version-delete-{label}")
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m_change,
                sender=m2m.remote_field.through,
                dispatch_uid=f"data-version-m2m-{label}-{m2m.name}",
            )
    post_migrate.connect(_on_migrate, dispatch_uid="data-version-migrate")
