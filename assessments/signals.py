"""Keep the stored data-quality findings of a facility's reports in step with what they are
checked against (DESIGN §4 "Data-quality rules"): its other approved reports (the baseline, the
previous and the next year) and the facility itself (the key-energy-user flag, the VSIC division).

A report is checked, and its own findings stored, when it is saved, submitted or imported
(assessments.services, assessments.importing). What that change does to the findings of the
facility's *other* reports is done here, once the change commits, for every facility it touched:

- an annual report that is or was approved, saved or deleted through the ORM (an approval, a
  reopening, a staff correction: `core.data_version.changed` sends only those);
- the facilities a bulk write names (the annual-report import, the facility import);
- a facility whose fields the rules read (`RULE_FIELDS`) changed (the registry's edit form).

The facilities of one transaction are refreshed once, however many of their rows it wrote
(`quality.refresh_facilities`), after it commits: a rolled-back change refreshes nothing, and the
refresh reads the committed rows.
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from facilities.models import Facility

from . import quality
from .models import Activity, AnnualReport

# The facility fields that the rules read (quality._facility_facts): the key-energy-user flag
# (KEY_ENERGY_USER) and the VSIC code, whose division places the reports in a band
# (INTENSITY_OUT_OF_BAND).
RULE_FIELDS = ("key_energy_user", "industry_id")

# connection attribute: (outermost atomic block, {ids of the facilities to refresh})
_PENDING = "_sxsh_quality_pending"
_STORED = "_sxsh_quality_rule_fields"  # instance attribute: RULE_FIELDS as stored before a save


def refresh_on_commit(facility_ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the findings of these facilities' reports once the current transaction commits
    (now, outside one); the facilities of one transaction are refreshed together, once. The
    report whose change this is is checked again too: an approval changes its state after its
    writer checked it, and the sector band it is judged against counts approved reports."""
    ids = {int(pk) for pk in facility_ids if pk is not None}
    if not ids:
        return
    connection = connections[using]
    block = connection.atomic_blocks[0] if connection.in_atomic_block else None
    pending = getattr(connection, _PENDING, None)
    if pending is None or pending[0] is not block:
        pending = (block, set())
        setattr(connection, _PENDING, pending)
    pending[1].update(ids)
    # One callback per call, each taking what is pending when it runs (the first does the work,
    # the others find nothing): a callback registered inside a savepoint that rolls back is
    # dropped, and those of later writes still carry the ids.
    transaction.on_commit(lambda: _refresh_pending(using), using=using, robust=True)


def _refresh_pending(using: str) -> None:
    pending = getattr(connections[using], _PENDING, None)
    if pending is None or not pending[1]:
        return
    facilities = set(pending[1])
    pending[1].clear()
    quality.refresh_facilities(facilities)


def on_data_changed(sender, using=DEFAULT_DB_ALIAS, instance=None, facilities=None, **kwargs):
    """core.data_version.changed: an approved (or formerly approved) report saved or deleted, a
    facility saved, or a bulk write naming its facilities."""
    if instance is None:
        if facilities:  # None: a bulk write of unknown extent (the demo seed checks all itself)
            refresh_on_commit(facilities, using)
    elif isinstance(instance, AnnualReport):
        refresh_on_commit([instance.facility_id], using)
    elif isinstance(instance, Facility) and _rule_fields_changed(instance):
        refresh_on_commit([instance.pk], using)


def on_facility_saving(sender, instance, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    """pre_save of a facility: keep what the rules read as stored, to tell whether it changed."""
    if raw or instance.pk is None:
        return
    rows = Facility._base_manager.using(using).filter(pk=instance.pk)
    setattr(instance, _STORED, rows.values_list(*RULE_FIELDS).first())


def _rule_fields_changed(facility: Facility) -> bool:
    stored = getattr(facility, _STORED, None)
    if stored is None:  # a new facility (no reports yet), or a deleted one
        return False
    delattr(facility, _STORED)
    return stored != tuple(getattr(facility, name) for name in RULE_FIELDS)


def on_units_moved(sender, places, **kwargs):
    """facilities.reference.units_moved: the activities held in a moved unit (or one under it)
    are held by its new province (Activity.province: who manages them, which province's
    document counts them and their budget), as its facilities' province follows it."""
    Activity.objects.filter(Q(ward_id__in=places) | Q(district_id__in=places)).rebuild_province()
