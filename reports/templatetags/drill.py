"""The drill-down link of a figure (reports:indicator_facilities), reversed once per template
render: a breakdown table links two figures in each of its cells, over a hundred rows for a
province's wards, and reversing each costs more than the rest of the cell."""

from django import template
from django.urls import reverse

register = template.Library()

_MEMO = "reports.drill_urls"


@register.simple_tag(takes_context=True)
def drill_url(context, code, year, part):
    memo = context.render_context.get(_MEMO)
    if memo is None:
        memo = context.render_context[_MEMO] = {}
    key = (code, year, part)
    if key not in memo:
        memo[key] = reverse("reports:indicator_facilities", args=key)
    return memo[key]
