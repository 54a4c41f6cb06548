"""Numbers as the report files write them."""

from decimal import Decimal

from core.numbers import format_number

# The report files' text goes through core.numbers (half up, Vietnamese separators), with a dash
# for a missing value; XLSX cells keep the numbers themselves (rounded by `round_half_up`).
NO_VALUE = "–"


def fmt_int(value) -> str:
    """1234567 -> "1.234.567"; None -> ""."""
    return format_number(value, 0)


def fmt_decimal(value, places: int = 1) -> str:
    """45.45 -> "45,5"; 1234.5 -> "1.234,5"; None -> "–"."""
    return format_number(value, places, empty=NO_VALUE)


def fmt_value(value, unit: str) -> str:
    if value is None:
        return NO_VALUE
    if unit == "%":
        return fmt_pct(value)
    value = Decimal(value)
    return fmt_int(value) if value == value.to_integral() else fmt_decimal(value, 2)


def fmt_pct(value) -> str:
    """45.45 -> "45,5 %" (DESIGN §5: "60,7 %", as the portal's pages write it)."""
    return f"{fmt_decimal(value)} %"


def fmt_ratio(numerator, denominator) -> str:
    if numerator is None or denominator is None:
        return ""
    return f"{fmt_int(numerator)}/{fmt_int(denominator)}"
