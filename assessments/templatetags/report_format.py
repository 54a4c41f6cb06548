"""Template filter for reported quantities: as many decimals as the value has, up to a limit."""

from django import template

from core.numbers import format_amount

register = template.Library()


@register.filter
def vn_amount(value, max_places=3):
    """1250.500 -> '1.250,5'; 600000.000 -> '600.000'; 0.0963614 -> '0,096' (3 places at most);
    empty -> '—'."""
    if value is None or value == "":
        return "—"
    return format_amount(value, int(max_places))
