"""Money and numbers in Vietnamese notation: '.' groups thousands, ',' marks decimals."""

from decimal import ROUND_HALF_UP, Decimal


def format_number(value, places: int = 0) -> str:
    """1234567.891 -> '1.234.567,89' with places=2; None -> ''."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
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
    return format_number(Decimal(value) / Decimal(1_000_000), places)


def format_decimal(value) -> str:
    """As many decimals as the value needs: Decimal('0.000154300') -> '0,0001543'."""
    if value is None or value == "":
        return ""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return format_number(value, max(0, -exponent))
