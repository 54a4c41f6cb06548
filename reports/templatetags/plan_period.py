"""A plan period's wording in the reader's language (reports.plan_wording) for templates."""

from django import template

from core.numbers import format_decimal
from reports import plan_wording

register = template.Library()


@register.filter
def period_label(period) -> str:
    return plan_wording.period_label(period) if period else ""


@register.filter
def period_name(period) -> str:
    return plan_wording.period_name(period) if period else ""


@register.filter
def period_basis(period) -> str:
    return plan_wording.period_basis(period) if period else ""


@register.filter
def target_range(indicator) -> str:
    """An indicator's period target as pages and documents write it: "6,8–13", "1.500";
    "—" when none is set (the plain `Indicator.target_display` is for XLSX and the API)."""
    low, high = indicator.target_min, indicator.target_max
    if low is None:
        return "—"
    return "–".join(format_decimal(value) for value in (low, high) if value is not None)
