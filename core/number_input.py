"""Reading a number typed in a web form, the Vietnamese way: `,` marks decimals, `.` or a space
groups thousands (58.300 = 58300; 25,5 = 25.5; 1.234,5 = 1234.5).

The one home of the rule for form input (core/forms.py's fields call it). Import files keep their
own contract (core/cells.py: `,` or `.` as decimal mark, DESIGN §5).

Anything a Vietnamese reader could take two ways is refused with the value shown back rather
than guessed: a single dot followed by other than exactly three digits ("58.3": 58,3 or
58.300?), a first group of zeros ("0.500": 0,5 or 500?), English grouping ("1,234.5"), groups
not of three digits ("1.23.456").

In the English UI one comma or one dot followed by exactly three digits ("2,500", "12,000",
"17.400") is refused too, with both readings offered: to an English reader "2,500" is two
thousand five hundred and "17.400" seventeen point four, the rule says the opposite, and either
slip made a figure 1.000 times too small or too big without a word. The readings are offered in
forms read back the same in English: "2500" (no separator), "2,5" ("2,345" as "2,3450"). A
Vietnamese reader means what the rule says, so in Vietnamese both are read as before; "0,350" is
a decimal in both languages (nobody groups 350 as 0,350), and "1.234.567" and "1.234,5" are
unambiguous. Only web form input comes here (core/forms.py): the API's parameters take ASCII
digits only, the import files keep their own rule.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"\s+")  # any Unicode space: normal, no-break (U+00A0), narrow (U+202F)
_MINUS = ("-", "\u2212")  # hyphen-minus and the minus sign
# 1.234.567 or 1 234 567, one separator kind. The first group starts with 1–9: nobody writes 500
# as "0.500", which can only be 0,5 typed the English way (refused as ambiguous, not read as 500).
_GROUPED = re.compile(r"[1-9]\d{0,2}([. ])\d{3}(?:\1\d{3})*")
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DIGITS = re.compile(r"\d+")
# "2,500": thousands to an English reader, 2,5 the Vietnamese way; "2.500" the other way round
# (both refused in English only).
_ONE_GROUP = re.compile(r"[1-9]\d{0,2}[,.]\d{3}")

EXAMPLE = "1.234,5"


def parse_number(value) -> Decimal | None:
    """`value` typed the Vietnamese way as a Decimal; '' or spaces -> None.

    Raises ValidationError (code 'invalid' or 'ambiguous') with the value shown back."""
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    sign, body = ("-", text[1:].lstrip()) if text.startswith(_MINUS) else ("", text)
    if _ONE_GROUP.fullmatch(body) and _english():
        raise _decimal_or_thousands(text, sign, body)
    whole, comma, fraction = body.partition(",")
    if comma and not _DIGITS.fullmatch(fraction):
        raise _refusal(text, body)
    digits = _whole_digits(whole, text, sign=sign, decimal_comma=bool(comma))
    if digits is None:
        raise _refusal(text, body)
    # Zeros ending the decimals say nothing ("2,4690" is 2,469): no decimal place is counted
    # for them (a field of 3 decimals takes the "2,4690" an English form shows for 2,469).
    fraction = fraction.rstrip("0")
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise _invalid(text) from None


def shown_to_read_back(text: str) -> str:
    """`text`, a number written the Vietnamese way, as a form field shows it so that sending the
    form unchanged reads back the same number: in the English UI "2,469" and "17.400" would be
    asked (2,469 or 2469? 17,4 or 17400?), so they are shown as "2,4690" and "17400"."""
    body = text[1:] if text.startswith(_MINUS) else text
    if _english() and _ONE_GROUP.fullmatch(body):
        return text + "0" if "," in body else text.replace(".", "")
    return text


def _english() -> bool:
    """Whether the reader's language is English (the form is shown in it)."""
    return (get_language() or "").startswith("en")


def _decimal_or_thousands(text: str, sign: str, body: str) -> ValidationError:
    """In English, is "2,500" (or "2.500") 2,5 or 2500? Each reading is written so that it is
    read back as such in English: the decimal one with trailing zeros dropped ("2,345" as
    "2,3450": "2,345" is this refusal again), the thousands one without a separator ("2.500" is
    this refusal again)."""
    whole, fraction = body[:-4], body[-3:]
    decimals = fraction.rstrip("0")
    if len(decimals) == 3:
        decimals += "0"
    decimal = f"{sign}{whole},{decimals}" if decimals else f"{sign}{whole}"
    return ValidationError(
        _(
            "Bạn nhập %(value)s — ý là %(decimal)s hay %(thousands)s? Hãy ghi đúng một trong "
            "hai cách đó (dấu phẩy cho phần thập phân)."
        ),
        code="ambiguous",
        params={"value": text, "decimal": decimal, "thousands": f"{sign}{whole}{fraction}"},
    )


def _ungrouped(whole: str) -> str | None:
    """The digits of `whole` if it is a whole number written without grouping or with valid
    grouping (58300, 58.300, 58 300), else None. The one rule of what grouping is: the reading
    and the hints that offer a grouped reading both ask it."""
    if _DIGITS.fullmatch(whole):
        return whole
    if _GROUPED.fullmatch(whole):
        return whole.replace(".", "").replace(" ", "")
    return None


def _whole_digits(whole: str, text: str, *, sign: str, decimal_comma: bool) -> str | None:
    """The digits of the whole part without its thousands separators, or None if it is not
    a whole number written with or without grouping. A single dot between digits that is no
    valid grouping is ambiguous and raises at once."""
    digits = _ungrouped(whole)
    if digits is not None:
        return digits
    head, dot, tail = whole.partition(".")
    if (
        dot
        and not decimal_comma
        and "." not in tail
        and _DIGITS.fullmatch(head)
        and _DIGITS.fullmatch(tail)
    ):
        raise _ambiguous(text, f"{sign}{head}", tail)
    return None


def _ambiguous(text: str, head: str, tail: str) -> ValidationError:
    """`head.tail` read as decimals, and as thousands too where that reading (the tail padded
    to three digits) is one the parser accepts: 58.3 -> 58,3 or 58.300; 1234.5 -> 1234,5 only
    (1234.500 is no grouping), as 0.5 -> 0,5 and 1.2345 -> 1,2345. In English the thousands
    reading is offered without its dot (58300): "58.300" would be asked again there."""
    decimal = f"{head},{tail}"
    thousands = f"{head}.{tail:0<3}"
    if _ungrouped(thousands.lstrip("-")) is not None:
        if _english():
            thousands = thousands.replace(".", "")
        return ValidationError(
            _(
                "Bạn nhập %(value)s — ý là %(decimal)s hay %(thousands)s? "
                "Dùng dấu phẩy cho phần thập phân."
            ),
            code="ambiguous",
            params={"value": text, "decimal": decimal, "thousands": thousands},
        )
    return ValidationError(
        _(
            "Bạn nhập %(value)s — ý là %(decimal)s? Dấu chấm chỉ dùng để ngăn cách hàng nghìn "
            "(theo sau là đúng 3 chữ số); dùng dấu phẩy cho phần thập phân."
        ),
        code="ambiguous",
        params={"value": text, "decimal": decimal},
    )


def _refusal(text: str, body: str) -> ValidationError:
    if _ENGLISH.fullmatch(body.replace(" ", "")):
        english = body.replace(" ", "")
        vietnamese = english.replace(",", " ").replace(".", ",").replace(" ", ".")
        sign = text[: len(text) - len(body)].strip()
        return ValidationError(
            _(
                "Bạn nhập %(value)s — đây là cách viết tiếng Anh. Hãy viết kiểu Việt Nam: "
                "%(example)s (dấu chấm ngăn cách hàng nghìn, dấu phẩy cho phần thập phân)."
            ),
            code="ambiguous",
            params={"value": text, "example": f"{sign}{vietnamese}"},
        )
    return _invalid(text)


def _invalid(text: str) -> ValidationError:
    return ValidationError(
        _(
            "Bạn nhập %(value)s — không phải là số hợp lệ. Viết ví dụ %(example)s "
            "(dấu chấm ngăn cách hàng nghìn, dấu phẩy cho phần thập phân)."
        ),
        code="invalid",
        params={"value": text, "example": EXAMPLE},
    )
