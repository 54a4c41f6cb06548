from django.db import transaction

from assessments.models import PlanPeriod

from .models import Indicator, IndicatorValue

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


def indicator_value_set(*, indicator: Indicator, year: int, value, note: str, author):
    """Enter or correct the manual value of `indicator` for `year`; history keeps the old one."""
    entry = IndicatorValue.objects.filter(indicator=indicator, year=year).first()
    entry = entry or IndicatorValue(indicator=indicator, year=year)
    entry.value, entry.note, entry.author = value, note, author
    entry.save()
    return entry
