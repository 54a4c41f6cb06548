"""Cell parsers of the spreadsheet imports: each takes a cell's cleaned text (never empty) and
returns a value or raises CellError with a message for the person who fills in the file.

- Numbers: with a single kind of separator used once (`29,4`, `29.4`, `1.234`) it is the decimal
  mark (DESIGN §5). Several separators are read as digit grouping only when that is unambiguous:
  `1.234.567` and `1.234.567,5` (Vietnamese) or `1,234,567` and `1,234,567.5` (English). Spaces
  group the whole part in threes (`1 234 567,5`), alone. Anything else is an error.
- Decimals: a typed number with more decimals than the column keeps (3; zeros at the end do not
  count) is refused, as the web form refuses it, never rounded unseen. A numeric XLSX cell (its
  text is a `Number`, cell_text) is rounded half-up to them, as a float's 0.30000000000000004 is
  0.3, unless that makes a number other than 0 into 0 (refused).
- A date (an XLSX date cell, or a number Excel turned into one) in a number or year cell is an
  error that says so.
- Integers are digits only; `2017.0` / `2017,0` (a spreadsheet's float) passes; `1.000` and
  `12,000` are refused (thousands to a Vietnamese reader, not an integer by the rule above).
- A text cell starting with `'` followed by `=`, `+`, `-`, `@`, tab or CR loses the `'`: that is
  how the exports protect such values against formula injection, so an export imports unchanged.
  So does a cell of digits (with spaces, `.`, `,` or `-`) after a `'` (`'0100109106`, `'29,4`):
  Excel's text mark, which some programs write into the file.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .numbers import round_half_up
from .sheet_files import Number
from .spreadsheets import FORMULA_START, header_token


class CellError(Exception):
    pass


# '0100109106, '29,4: Excel's mark for "keep this as text" in front of digits, which programs
# that export for Excel write into the file. The digits are the value; the mark is not part of it.
MARKED_DIGITS = re.compile(r"'\d[\d\s.,-]*")


def clean_text(value) -> str:
    """NFC, outer whitespace stripped, export's anti-formula quote and Excel's text mark in front
    of digits removed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    text = text.strip()
    if MARKED_DIGITS.fullmatch(text):
        text = text[1:].strip()
    return text


def cell_text(row: dict, key: str, *, padded: dict[str, int] | None = None) -> str:
    """The cleaned text of a row's cell (empty when the column is absent). A numeric XLSX cell of
    a column in `padded` (column key -> width) gets back the leading zeros Excel dropped."""
    value = row.get(key, "")
    text = clean_text(value)
    if not isinstance(value, Number):
        return text
    if padded and key in padded and text.isdigit():
        text = text.zfill(padded[key])
    return Number(text)  # a numeric cell stays one: parse_decimal rounds it, never a typed number


def max_length(limit: int):
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(_("Dài quá %(n)s ký tự.") % {"n": limit})
        return str(text)  # text, never a numeric cell's Number

    return parse


INTEGER_RE = re.compile(r"^(\d+)(?:[.,]0+)?$")
NUMBER_PATTERNS = (
    (re.compile(r"^\d+(?:([.,])\d+)?$"), None),  # one separator at most: the decimal mark
    (re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$"), "."),  # 1.234.567,5
    (re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"), ","),  # 1,234,567.5
)
DECIMAL_LIMIT = Decimal("1e11")  # max_digits 14, decimal_places 3
# `1.000`, `12,000` in an integer column: thousands to a Vietnamese reader, a float's 1.0 to a
# program. An integer never needs three decimal zeros, so it is refused rather than read as 1.
GROUPED_INTEGER_RE = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")


SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
# 1 234 567 (,5): spaces only between groups of three digits of the whole part.
SPACE_GROUPED_RE = re.compile(r"^-?[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?$")


def _strip_spaces(text: str) -> str:
    return SPACES_RE.sub("", text)


def _ungrouped(text: str) -> str | None:
    """`text` without its spaces, None when they are not thousands grouping (`1.234 567`)."""
    spaced = SPACES_RE.sub(" ", text.strip())
    spaced = re.sub(r"^- ", "-", spaced)  # "- 5": a sign, not a group
    if " " in spaced and not SPACE_GROUPED_RE.match(spaced):
        return None
    return spaced.replace(" ", "")


def parse_int(text: str, *, minimum=0, maximum=2_147_483_647) -> int:
    date_in_number_cell(text)
    compact = _ungrouped(text)
    if compact is None:
        raise CellError(_("Phải là số nguyên ≥ 0."))
    if GROUPED_INTEGER_RE.match(compact):
        raise CellError(
            _(
                "Số «%(text)s» không rõ nghĩa: dấu phân cách hàng nghìn hay dấu thập phân? "
                "Hãy ghi %(digits)s (không dùng dấu phân cách hàng nghìn)."
            )
            % {"text": text, "digits": re.sub(r"[.,]", "", compact)}
        )
    match = INTEGER_RE.match(compact)
    if not match:
        raise CellError(_("Phải là số nguyên ≥ 0."))
    value = int(match.group(1))
    if not minimum <= value <= maximum:
        raise CellError(_("Phải là số nguyên ≥ 0."))
    return value


DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _shown_date(text: str) -> str | None:
    """`2010-03-01T00:00:00` (how an XLSX date cell is read) as 01/03/2010; None if no date."""
    match = DATE_RE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{day}/{month}/{year}"


def date_in_number_cell(text: str) -> None:
    """Raise a CellError saying so when a number cell holds a date (Excel makes `1.5` the 1st
    of May on a computer whose decimal mark is the comma)."""
    if shown := _shown_date(text):
        raise CellError(
            _(
                "Ô chứa ngày %(date)s, không phải một số (Excel có thể đã đổi số bạn nhập thành "
                "ngày): hãy định dạng ô là Số hoặc Văn bản rồi ghi lại số."
            )
            % {"date": shown}
        )


def date_in_year_cell(text: str) -> None:
    """Raise a CellError that says what happened when a year cell holds a date (an XLSX date
    cell is read as `2010-01-01T00:00:00`; a year typed into a cell formatted as a date becomes
    a day of 1905)."""
    if shown := _shown_date(text):
        raise CellError(
            _(
                "Ô chứa ngày %(date)s, không phải một năm: hãy ghi năm bằng số, ví dụ 2018 (nếu "
                "ô được định dạng kiểu Ngày, hãy đổi sang kiểu Số hoặc Văn bản rồi ghi lại năm)."
            )
            % {"date": shown}
        )


def parse_year(text: str) -> int:
    this_year = timezone.localdate().year
    message = _("Năm phải từ 1900 đến %(year)s.") % {"year": this_year}
    date_in_year_cell(text)
    try:
        value = parse_int(text)
    except CellError as exc:
        raise CellError(message) from exc
    if not 1900 <= value <= this_year:
        raise CellError(message)
    return value


def parse_decimal(text: str, places: int = 3) -> Decimal:
    """The number of a cell, ≥ 0, with at most `places` decimals (module docstring): a typed one
    with more is refused, a numeric XLSX cell (Number) rounded unless it would become 0."""
    date_in_number_cell(text)
    compact = _ungrouped(text)
    if compact is None:
        raise CellError(_("Không phải là số hợp lệ (ví dụ 29,4 hoặc 29.4)."))
    if compact.startswith("-") and parse_decimal_or_none(compact[1:]) is not None:
        raise CellError(_("Phải là số ≥ 0."))
    value = parse_decimal_or_none(compact)
    if value is None:
        raise CellError(_("Không phải là số hợp lệ (ví dụ 29,4 hoặc 29.4)."))
    # The limit first: rounding a number of 26 digits or more to 3 places overflows the decimal
    # context (InvalidOperation); then again, as rounding may carry up to it.
    if value >= DECIMAL_LIMIT or (rounded := round_half_up(value, places)) >= DECIMAL_LIMIT:
        raise CellError(_("Số quá lớn."))
    if rounded == value:
        return rounded
    names = {"text": text.strip(), "places": places}
    if not isinstance(text, Number):
        raise CellError(
            _("Số «%(text)s» có quá nhiều chữ số sau dấu thập phân: tối đa %(places)s chữ số.")
            % names
        )
    if not rounded:
        raise CellError(
            _(
                "Số %(text)s làm tròn đến %(places)s chữ số sau dấu thập phân thì thành 0: hãy "
                "kiểm tra đơn vị của cột, hoặc ghi 0 nếu đúng là không có."
            )
            % names
        )
    return rounded


# `1.234`, `12,500` typed into a decimal column: the import rule reads the mark as the decimal
# mark (DESIGN §5), but to a Vietnamese reader it may be thousands. A thousandfold misreading is
# data lost, so the row is imported as the rule says and the file is told (a warning). A leading
# 0 never starts a thousands group: `0,350` is simply 0.35 (as GROUPED_INTEGER_RE reads it).
DECIMAL_OR_THOUSANDS_RE = re.compile(r"^([1-9]\d{0,2})[.,](\d{3})$")


def decimal_or_thousands(value) -> str | None:
    """A warning for a typed cell (not an XLSX number) such as `1.234` that the import reads as
    1 point 234 and a Vietnamese reader may read as 1234; None otherwise."""
    if isinstance(value, Number):
        return None
    text = clean_text(value)
    match = DECIMAL_OR_THOUSANDS_RE.match(_strip_spaces(text))
    if not match:
        return None
    whole, fraction = match.groups()
    return _(
        "Số «%(text)s» được đọc là %(whole)s phẩy %(fraction)s (trong tệp nhập, dấu chấm hay dấu "
        "phẩy đều là dấu thập phân). Nếu đó là %(digits)s (hàng nghìn), hãy ghi %(digits)s, không "
        "dùng dấu phân cách hàng nghìn."
    ) % {"text": text, "whole": whole, "fraction": fraction, "digits": whole + fraction}


def parse_decimal_or_none(text: str) -> Decimal | None:
    for pattern, grouping in NUMBER_PATTERNS:
        if pattern.match(text):
            if grouping:
                text = text.replace(grouping, "")
            try:
                return Decimal(text.replace(",", "."))
            except InvalidOperation:
                return None
    return None


def choices(mapping: dict[str, str], message):
    """A parser of words (compared as header cells are) -> values; `message` for any other."""
    table = {header_token(k): v for k, v in mapping.items()}

    def parse(text: str):
        try:
            return table[header_token(text)]
        except KeyError:
            raise CellError(str(message)) from None

    return parse


BOOLEAN_WORDS = {
    "yes": True,
    "có": True,
    "co": True,  # typed without diacritics
    "true": True,  # a spreadsheet's TRUE saved as CSV, a program's True
    "1": True,
    "x": True,
    "no": False,
    "không": False,
    "khong": False,
    "false": False,
    "0": False,
}
# The rule as the templates' "Hướng dẫn" sheets state it, for every yes/no column.
BOOLEAN_RULE = gettext_lazy("có / không (yes / no, true / false, 1 / 0, x = có); để trống = không.")

parse_boolean = choices(
    BOOLEAN_WORDS,
    gettext_lazy("Giá trị không hợp lệ: dùng có/không, yes/no, true/false, 1/0 hoặc x."),
)


def parse_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError as exc:
        raise CellError(_("Địa chỉ e-mail không hợp lệ.")) from exc
    if len(text) > 254:
        raise CellError(_("Dài quá %(n)s ký tự.") % {"n": 254})
    return text
