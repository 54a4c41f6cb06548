"""Template filters for money and quantities in Vietnamese notation (see core.numbers)."""

from django import template
from django.utils.translation import gettext as _

from core.numbers import format_decimal, format_million, format_number, format_vnd

register = template.Library()


@register.filter
def vnd(value):
    """1234567 -> '1.234.567 đồng'; empty -> '—'."""
    if value is None or value == "":
        return "—"
    return _("%(amount)s đồng") % {"amount": format_vnd(value)}


@register.filter
def million_vnd(value):
    """12345678 -> '12,3 triệu đồng'; empty -> '—'."""
    if value is None or value == "":
        return "—"
    return _("%(amount)s triệu đồng") % {"amount": format_million(value)}


@register.filter
def vn_number(value, places=0):
    """A quantity with Vietnamese separators: 1234.5|vn_number:1 -> '1.234,5'; empty -> '—'."""
    if value is None or value == "":
        return "—"
    return format_number(value, int(places))


@register.filter
def million(value, places=1):
    """12345678 -> '12,3' (for columns headed 'triệu đồng'); empty -> '—'."""
    if value is None or value == "":
        return "—"
    return format_million(value, int(places))


@register.filter
def vn_decimal(value):
    """A factor with only the decimals it needs: 0.000154300 -> '0,0001543'; empty -> '—'."""
    if value is None or value == "":
        return "—"
    return format_decimal(value)
