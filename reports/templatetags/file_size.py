"""A file's size in Vietnamese notation whatever the page's language (DESIGN §5: 124,4 KB):
Django's `filesizeformat` follows the active locale and writes 124.4 KB on an English page."""

from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from core.numbers import format_number

register = template.Library()

_UNITS = ("KB", "MB", "GB", "TB")


@register.filter
def vn_filesize(value) -> str:
    """127400 -> '124,4 KB'; 512 -> '512 byte'; empty -> '—'."""
    if value is None or value == "":
        return "—"
    size = int(value)
    if size < 1024:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    amount, unit = Decimal(size) / 1024, _UNITS[0]
    for larger in _UNITS[1:]:
        if amount < 1024:
            break
        amount, unit = amount / 1024, larger
    return f"{format_number(amount, 1)} {unit}"
