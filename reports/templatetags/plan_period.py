"""A plan period's wording in the reader's language (reports.models.period_label and friends):
PlanPeriod lives in assessments, below the shipped wording of reports.plan_seed."""

from django import template

from reports import models

register = template.Library()


@register.filter
def period_label(period) -> str:
    return models.period_label(period) if period else ""


@register.filter
def period_name(period) -> str:
    return models.period_name(period) if period else ""


@register.filter
def period_basis(period) -> str:
    return models.period_basis(period) if period else ""
