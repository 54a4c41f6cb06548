"""A plan period's wording in the reader's language (DESIGN: Vietnamese first, English when the
user picks it): the shipped periods' names and bases (reports.plan_seed.SHIPPED_PERIODS) are
translated while they are still as shipped; what staff wrote shows as written. PlanPeriod lives in
assessments, below the shipped wording of reports."""

from django.utils.translation import gettext

from .plan_seed import SHIPPED_PERIODS


def period_name(period) -> str:
    """A PlanPeriod's name in the reader's language while it is still the shipped wording
    (reports.plan_seed.SHIPPED_PERIODS), else as staff wrote it."""
    return _shipped_period(period, "name")


def period_basis(period) -> str:
    return _shipped_period(period, "basis")


def period_label(period) -> str:
    """PlanPeriod.__str__ in the reader's language: the name, with its years unless it has them."""
    name = period_name(period)
    if str(period.start_year) in name and str(period.end_year) in name:
        return name
    return f"{name} ({period.start_year}–{period.end_year})"


def _shipped_period(period, field: str) -> str:
    stored = getattr(period, field)
    shipped = SHIPPED_PERIODS.get(period.code, {}).get(field)
    return gettext(shipped) if shipped and stored == shipped else stored
