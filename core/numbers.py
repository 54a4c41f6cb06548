"""Numbers for people: rounding and Vietnamese notation ('.' groups thousands, ',' marks decimals).

The one home of both rules, used by the pages, the template filters and the report files:

- rounding is half up on Decimal (45.45 -> 45.5), never float `round()` or Decimal's default
  half-even context, so a value reads the same on a page, in a workbook cell and in a PDF;
- text uses Vietnamese separators: 1234567.5 -> '1.234.567,5'.

Workbook cells keep real numbers (`round_half_up`); text output uses `format_number` & co.
"""

from decimal import ROUND_HALF_UP, Context, Decimal

PCT_PLACES = 1  # DESIGN §4: percentages are rounded half up to one decimal


def _decimal(value) -> Decimal:
    # str() first: a float such as 45.45 is 45.4500000000000028… in binary.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_half_up(value, places: int = 0) -> Decimal | None:
    """`value` rounded half up to `places` decimals (45.45, 1 -> 45.5); None or '' -> None."""
    if value is None or value == "":
        return None
    number = _decimal(value)
    # Enough precision for every digit kept: the default context's 28 digits make quantize()
    # fail on a 29-digit number someone typed (the form then tells its limit, not a 500).
    precision = max(28, number.adjusted() + places + 2)
    return number.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )


def round_pct(value) -> Decimal | None:
    """A percentage as the plan reports write it: one decimal, half up."""
    return round_half_up(value, PCT_PLACES)


def format_number(value, places: int = 0, *, empty: str = "") -> str:
    """1234567.891 -> '1.234.567,89' with places=2 (half up); None or '' -> `empty`."""
    number = round_half_up(value, places)
    if number is None:
        return empty
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_vnd(value) -> str:
    """Whole đồng: 1234567 -> '1.234.567'."""
    return format_number(value, 0)


def format_million(value, places: int = 1) -> str:
    """Đồng shown in triệu (millions): 12345678 -> '12,3'."""
    if value is None or value == "":
        return ""
    return format_number(_decimal(value) / Decimal(1_000_000), places)


def format_decimal(value) -> str:
    """As many decimals as the value needs: Decimal('0.000154300') -> '0,0001543'."""
    if value is None or value == "":
        return ""
    exponent = _decimal(value).normalize().as_tuple().exponent
    return format_number(value, max(0, -exponent))


def format_amount(value, max_places: int = 3) -> str:
    """A reported quantity with the decimals it has, up to `max_places` (half up):
    1250.500 -> '1.250,5'; 600000.000 -> '600.000'; 0.0963614 -> '0,096'."""
    number = round_half_up(value, max_places)
    if number is None:
        return ""
    number = number.normalize()
    return format_number(number, max(0, -number.as_tuple().exponent))
