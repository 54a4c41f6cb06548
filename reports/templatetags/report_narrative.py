"""The wording of an empty narrative section of a document (reports.narrative.placeholder)."""

from django import template

from reports.narrative import placeholder

register = template.Library()


@register.simple_tag
def narrative_placeholder(national) -> str:
    return placeholder(national=bool(national))
