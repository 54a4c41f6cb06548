"""Numbers as the report files write them."""

from decimal import Decimal

from core.numbers import PCT_PLACES, format_number
from reports.models.indicator import PERCENT_UNIT, unit_key

# The report files' text goes through core.numbers (half up, Vietnamese separators), with a dash
# for a missing value; XLSX cells keep the numbers themselves (rounded by `round_half_up`).
NO_VALUE = "–"


def fmt_int(value) -> str:
    """1234567 -> "1.234.567"; None -> ""."""
    return format_number(value, 0)


def fmt_decimal(value, places: int = 1) -> str:
    """45.45 -> "45,5"; 1234.5 -> "1.234,5"; None -> "–"."""
    return format_number(value, places, empty=NO_VALUE)


def is_pct(unit: str | None) -> bool:
    """Whether an indicator's `unit` is a percentage, compared as its rules compare it
    (reports.models.indicator.unit_key)."""
    return unit_key(unit) == PERCENT_UNIT


def value_places(value, unit: str | None) -> int:
    """The decimals an indicator's value in `unit` is written with, the one rule of the pages,
    the documents and the workbooks: a percentage one (DESIGN §4); any other value (a manual one,
    two decimals at most) none when whole, else two (1234.56 stays 1234.56, 1234 is 1234)."""
    if is_pct(unit):
        return PCT_PLACES
    if value is None or Decimal(str(value)) == Decimal(str(value)).to_integral():
        return 0
    return 2


def fmt_number_in(value, unit: str | None, empty: str = NO_VALUE) -> str:
    """An indicator's value in `unit` without the unit (`value_places`): 12.35 in % -> "12,4",
    1234.56 in tỷ đồng -> "1.234,56", 1234 in người -> "1.234"; None -> `empty`."""
    if value is None:
        return empty
    return format_number(value, value_places(value, unit))


def fmt_value(value, unit: str) -> str:
    """An indicator's value as the documents write it: `fmt_number_in`, with " %" after a
    percentage; None -> "–"."""
    text = fmt_number_in(value, unit)
    return f"{text} %" if value is not None and is_pct(unit) else text


def fmt_pct(value) -> str:
    """45.45 -> "45,5 %" (DESIGN §5: "60,7 %", as the portal's pages write it)."""
    return f"{fmt_decimal(value)} %"


def fmt_ratio(numerator, denominator) -> str:
    if numerator is None or denominator is None:
        return ""
    return f"{fmt_int(numerator)}/{fmt_int(denominator)}"
