"""Template filter for reported quantities: as many decimals as the value has, up to a limit."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from assessments.money import format_number

register = template.Library()


@register.filter
def vn_amount(value, max_places=3):
    """1250.500 -> '1.250,5'; 600000.000 -> '600.000'; 0.0963614 -> '0,096' (3 places at most);
    empty -> '—'."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-int(max_places))
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP).normalize()
    places = max(0, -number.as_tuple().exponent)
    return format_number(number, places)
