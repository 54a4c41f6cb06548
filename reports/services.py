import hashlib

from django.db import IntegrityError, transaction

from assessments.models import PlanPeriod
from core.history import record_seeded_value

from .models import EstablishmentCount, Indicator, IndicatorMilestone, IndicatorValue

COPIED_FIELDS = (
    "code",
    "name_vi",
    "name_en",
    "unit",
    "target_min",
    "target_max",
    "baseline_note",
    "method",
    "order",
)


@transaction.atomic
def plan_period_create(*, form, copy_from: PlanPeriod | None = None) -> PlanPeriod:
    """Save a new plan period; with `copy_from`, start it with a copy of that period's
    indicators (targets included, for staff to edit)."""
    period = form.save()
    if copy_from is not None:
        # One save per indicator (a handful), so each copy gets its history entry.
        for source in copy_from.indicators.all():
            fields = {name: getattr(source, name) for name in COPIED_FIELDS}
            Indicator.objects.create(period=period, **fields)
    return period


@transaction.atomic
def indicator_value_set(*, indicator: Indicator, year: int, value, note: str, author):
    """Enter or correct the manual value of `indicator` for `year`; history keeps the old one.
    The indicator's row is locked meanwhile, so two entries of its values (the same form sent
    twice at once) run one after the other: the second corrects the value the first stored."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk").get()
    entry = IndicatorValue.objects.filter(indicator=indicator, year=year).first()
    entry = entry or IndicatorValue(indicator=indicator, year=year)
    entry.value, entry.note, entry.author = value, note, author
    entry.full_clean()  # the value rules of its unit (IndicatorValue.clean), whoever calls
    entry.save()
    return entry


def milestones_fingerprint(milestones) -> str:
    """A short fingerprint of an indicator's stored milestones ((year, low, high) of each): the
    milestones form carries the one it was loaded with, and a save is refused when the stored
    milestones no longer match (someone saved them in between)."""
    rows = sorted(
        (m.year, _decimal_text(m.target_min), _decimal_text(m.target_max)) for m in milestones
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def _decimal_text(value) -> str:
    return "" if value is None else str(value.normalize())


@transaction.atomic
def milestones_set(
    *, indicator: Indicator, milestones: dict[int, tuple], loaded: str | None = None
) -> int | None:
    """Set the indicator's yearly milestones ({year: (low, high)}; low None removes the year's);
    one save or delete per changed year, so history records each change (and, before the first
    change of a milestone seeded without history, the seeded value). Returns the changes,
    or None (nothing saved) when `loaded`, the milestones_fingerprint the form was loaded
    with, no longer matches the stored milestones: another save came in between, and these
    values, every year's as the form showed them, would undo it. The indicator's row is locked
    meanwhile, so two saves of its milestones run one after the other."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk").get()
    stored = list(IndicatorMilestone.objects.filter(indicator_id=indicator.pk))
    if loaded is not None and milestones_fingerprint(stored) != loaded:
        return None
    existing = {m.year: m for m in stored}
    changed = 0
    for year, (low, high) in milestones.items():
        milestone = existing.get(year)
        if low is None:
            if milestone is not None:
                record_seeded_value(milestone)
                milestone.delete()
                changed += 1
            continue
        if milestone is not None and (milestone.target_min, milestone.target_max) == (low, high):
            continue
        if milestone is not None:
            # Seeded by a migration without history: first the value this change replaces.
            record_seeded_value(milestone)
        milestone = milestone or IndicatorMilestone(indicator=indicator, year=year)
        milestone.target_min, milestone.target_max = low, high
        milestone.save()
        changed += 1
    return changed


def establishment_count_set(*, year: int, author, **fields) -> EstablishmentCount:
    """Enter or correct the statistics office's count for `year`; history keeps the old one.
    When another request stored the year's count between this one's read and its insert (the
    same form sent twice at once), the year's unique column refuses the insert and this one
    corrects the count stored meanwhile, as it would have a moment later."""
    try:
        return _establishment_count_store(year, author, fields)
    except IntegrityError:
        if not EstablishmentCount.objects.filter(year=year).exists():
            raise
        return _establishment_count_store(year, author, fields)


def _establishment_count_store(year: int, author, fields: dict) -> EstablishmentCount:
    with transaction.atomic():
        entry = EstablishmentCount.objects.select_for_update().filter(year=year).first()
        entry = entry or EstablishmentCount(year=year)
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.author = author
        # The year's uniqueness is the database's (its unique column, establishment_count_set):
        # checked here, it would refuse a count stored since the read instead of correcting it.
        entry.full_clean(validate_unique=False)
        entry.save()
    return entry
