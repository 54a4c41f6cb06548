"""A plan period's wording in the reader's language (reports.plan_wording) for templates."""

from django import template

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
