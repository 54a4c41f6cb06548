"""An indicator's value on a page as the report files write it (reports.files.numbers)."""

from django import template

from reports.files.numbers import fmt_number_in

register = template.Library()


@register.filter
def indicator_value(value, unit) -> str:
    """The value in `unit`, without the unit, which pages show beside it (`value_places`): a
    percentage with one decimal, any other value whole or with two decimals. 12.35 in % ->
    '12,4'; 1234.56 in tỷ đồng -> '1.234,56'; 1234 in người -> '1.234'; empty -> '—'."""
    return fmt_number_in(None if value == "" else value, unit, empty="—")
