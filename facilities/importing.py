"""Facility spreadsheet import (DESIGN.md §5 "Import files"): one code path for the web and the CLI.

    read_table(file, filename) -> rows      # CSV or XLSX, header mapped to column keys
    plan_import(rows, filename=...) -> plan # validate every cell, decide create/update/unchanged
    apply_import(plan, user=...) -> result  # all-or-nothing, with history
    plan_file(file, filename) -> plan       # read_table + plan_import, file errors as problems
    count_rows(file, filename, limit=N)     # data rows, reading no further than N + 1

plan_import, plan_file and apply_import take an optional `progress(done, total)` callback, called
as rows are checked and written (the Celery import of big files records it: import_jobs.py).

Decisions beyond the contract (documented here and on the template's "Hướng dẫn" sheet):

- A column missing from the file leaves that field of an existing facility untouched (defaults for
  a new one). A column that is present describes the whole value: an empty optional cell clears it
  (booleans become "no", status becomes "active").
- Numbers: spaces are ignored; with a single kind of separator used once (`29,4`, `29.4`, `1.234`)
  it is the decimal mark. Several separators are read as digit grouping only when that is
  unambiguous: `1.234.567` and `1.234.567,5` (Vietnamese) or `1,234,567` and `1,234,567.5`
  (English). Anything else is an error. Decimals are rounded to 3 places (1 million VND).
- Integers (years, employees) are digits only; `2017.0` / `2017,0` (a spreadsheet's float) passes.
- XLSX cells holding numbers: `tax_code` and `commune_code` are zero-padded to 10 and 5 digits
  (Excel drops leading zeros); other cells are turned into text as they display.
- A text cell starting with `'` followed by `=`, `+`, `-`, `@`, tab or CR loses the `'`: that is
  how the export protects such values against formula injection, so an export imports unchanged.
- `vsic_code` resolves to the most specific known code that is a prefix of it (the exact code if
  known, else its 4-, 3-digit parents, else the division).
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from reports.data_version import data_changed

from .models import AdminUnit, Facility, IndustrialArea, IndustryCode
from .text import fold, nfc
from .validators import validate_tax_code

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed/compressed, for members larger than 1 MB
MAX_PROBLEMS = 1000  # a hopeless file stops being checked after this many problems
PROBLEMS_SHOWN = 500  # an import page lists this many problems and counts the others
EXTENSIONS = (".csv", ".xlsx")
BATCH_SIZE = 1000
ASYNC_ROW_THRESHOLD = 2000  # files with more data rows are checked and imported by Celery
PROGRESS_EVERY = 250  # rows checked between two calls of a plan's progress callback
LOOKUP_CHUNK = 20_000

MACRO_CONTENT_TYPE = "macroenabled"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header; matched as written (case-insensitive, NFC)
    required: bool
    rule: str  # shown on the template's instructions sheet


COLUMNS = (
    Column(
        "tax_code",
        "Mã số thuế",
        True,
        gettext_lazy(
            "10 chữ số với chữ số kiểm tra hợp lệ, có thể kèm mã chi nhánh -NNN "
            "(ví dụ 0100109106-001); không trùng nhau trong tệp. Mã đã có thì cập nhật cơ sở đó."
        ),
    ),
    Column("name", "Tên cơ sở", True, gettext_lazy("1–255 ký tự.")),
    Column("address", "Địa chỉ", True, gettext_lazy("Tối đa 255 ký tự.")),
    Column(
        "commune_code",
        "Mã xã/phường",
        True,
        gettext_lazy("Mã GSO 5 chữ số (trước 1/7/2025) của một xã/phường/thị trấn trong tỉnh."),
    ),
    Column(
        "vsic_code",
        "Mã ngành VSIC",
        True,
        gettext_lazy("Mã VSIC 2018 gồm 2–5 chữ số; hai chữ số đầu phải là một ngành cấp 2."),
    ),
    Column(
        "industrial_area",
        "Khu/cụm công nghiệp",
        False,
        gettext_lazy("Tên một khu/cụm công nghiệp đã có trong danh mục; để trống nếu ngoài khu."),
    ),
    Column(
        "ownership",
        "Loại hình sở hữu",
        False,
        gettext_lazy("state / private / fdi hoặc: nhà nước / ngoài nhà nước / FDI."),
    ),
    Column("established_year", "Năm thành lập", False, gettext_lazy("Từ 1900 đến năm hiện tại.")),
    Column("employees", "Số lao động", False, gettext_lazy("Số nguyên ≥ 0.")),
    Column(
        "revenue_bn_vnd",
        "Doanh thu (tỷ đồng)",
        False,
        gettext_lazy("Số ≥ 0, tỷ đồng; dấu phẩy hoặc dấu chấm là dấu thập phân (29,4 = 29.4)."),
    ),
    Column(
        "capital_bn_vnd",
        "Nguồn vốn (tỷ đồng)",
        False,
        gettext_lazy("Số ≥ 0, tỷ đồng; dấu phẩy hoặc dấu chấm là dấu thập phân (29,4 = 29.4)."),
    ),
    Column(
        "high_pollution_risk",
        "Nguy cơ ô nhiễm cao",
        False,
        gettext_lazy("có / không (yes / no, 1 / 0, x = có); để trống = không."),
    ),
    Column(
        "key_energy_user",
        "Sử dụng năng lượng trọng điểm",
        False,
        gettext_lazy("có / không (yes / no, 1 / 0, x = có); để trống = không."),
    ),
    Column(
        "status",
        "Tình trạng",
        False,
        gettext_lazy(
            "active (đang hoạt động) / suspended (tạm ngừng) / closed (đã đóng cửa); "
            "để trống = active."
        ),
    ),
    Column(
        "closed_year",
        "Năm đóng cửa",
        False,
        gettext_lazy("Bắt buộc khi tình trạng là closed; để trống trong các trường hợp khác."),
    ),
    Column("contact_name", "Người liên hệ", False, gettext_lazy("Tối đa 150 ký tự.")),
    Column("contact_phone", "Điện thoại liên hệ", False, gettext_lazy("Tối đa 30 ký tự.")),
    Column("contact_email", "E-mail liên hệ", False, gettext_lazy("Địa chỉ e-mail hợp lệ.")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
LABELS = {c.key: c.label for c in COLUMNS}


def _header_token(text: str) -> str:
    return nfc(text).casefold()


def _header_keys(columns: tuple[Column, ...]) -> dict[str, str]:
    return {
        **{_header_token(c.key): c.key for c in columns},
        **{_header_token(c.label): c.key for c in columns},
    }


HEADER_KEYS = _header_keys(COLUMNS)


# --------------------------------------------------------------------------------------------
# Problems and results


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (header = 1); None for a problem of the whole file
    column: str | None  # column key (or the header text as written for an unknown column)
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return f"row {self.row}, column {self.column or '-'}: {self.message}"


class ImportFileError(Exception):
    """The file cannot be read as a table (size, type, encoding, header)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class InvalidImport(Exception):
    """apply_import() was given a plan with problems."""


class Row(dict):
    """One data row: column key -> cell text. `number` is its row in the spreadsheet."""

    def __init__(self, number: int, values):
        super().__init__(values)
        self.number = number


@dataclass
class ImportPlan:
    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    new_facilities: list[Facility] = field(default_factory=list)
    changed_facilities: list[Facility] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> int:
        return len(self.new_facilities)

    @property
    def to_update(self) -> int:
        return len(self.changed_facilities)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def shown_problems(plan: ImportPlan | None) -> dict:
    """What an import page shows of a plan's problems (templates/includes/import_problems.html):
    the first PROBLEMS_SHOWN as `problems`, the number of the others as `hidden_problems`."""
    problems = plan.problems[:PROBLEMS_SHOWN] if plan else []
    hidden = len(plan.problems) - len(problems) if plan else 0
    return {"problems": problems, "hidden_problems": hidden}


def file_error(message) -> ImportFileError:
    return ImportFileError([Problem(None, None, str(message))])


# --------------------------------------------------------------------------------------------
# Reading CSV and XLSX


def read_table(file_obj, filename: str, columns: tuple[Column, ...] = COLUMNS) -> list[Row]:
    """Rows of a CSV or XLSX file as Row dicts keyed by column key; raises ImportFileError.
    `columns` defaults to the facility columns; other imports (annual reports) pass theirs."""
    with _open_table(file_obj, filename, columns) as (raw, keys):
        return _collect_rows(raw, keys)


def count_rows(file_obj, filename: str, *, limit: int, columns=COLUMNS) -> int:
    """Non-empty data rows of the file, counting no further than `limit` + 1 (so a big file is
    not parsed to the end); raises ImportFileError like read_table for an unreadable file."""
    count = 0
    with _open_table(file_obj, filename, columns) as (raw, _keys):
        for values in raw:
            if any(nfc(v) for v in values):
                count += 1
                if count > limit:
                    break
    return count


@contextmanager
def _open_table(file_obj, filename: str, columns: tuple[Column, ...]):
    """(raw rows after the header, column key of each header cell), checks done."""
    extension = _extension(filename)
    data = _read_limited(file_obj)
    if _is_executable(data):
        raise file_error(
            _(
                "Tệp là chương trình (tệp thực thi) được đổi tên, không phải bảng tính; "
                "không chấp nhận."
            )
        )
    if extension == ".csv":
        raw = _csv_rows(data)
    else:
        _check_xlsx(data)
        raw = _xlsx_rows(data)
    try:
        header = next(raw, None)
        if header is None:
            raise file_error(_("Tệp trống: không có dòng tiêu đề."))
        yield raw, _map_header(header, columns)
    finally:
        raw.close()


def _extension(filename: str) -> str:
    extension = PurePath(filename or "").suffix.lower()
    if extension == ".xlsm":
        raise file_error(_("Không chấp nhận tệp có macro (.xlsm); hãy lưu tệp dưới dạng .xlsx."))
    if extension not in EXTENSIONS:
        raise file_error(_("Chỉ chấp nhận tệp .csv hoặc .xlsx."))
    return extension


# Headers of executables: ELF, Mach-O (32/64-bit, both byte orders, universal), Windows PE.
EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)


def _is_executable(data: bytes) -> bool:
    if data.startswith(EXECUTABLE_MAGIC):
        return True
    # "MZ" may begin a CSV header; a PE file has binary bytes right after it.
    return data.startswith(b"MZ") and b"\x00" in data[:64]


def _read_limited(file_obj) -> bytes:
    data = file_obj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise file_error(_("Tệp quá lớn: tối đa 10 MB."))
    if not data:
        raise file_error(_("Tệp trống."))
    return data


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise file_error(
            _("Tệp CSV không đọc được ở dòng %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


def _check_xlsx(data: bytes) -> None:
    """A real, macro-free XLSX whose unpacked size is bounded (no zip bomb)."""
    not_xlsx = _("Tệp không phải là tệp Excel .xlsx hợp lệ.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise file_error(not_xlsx) from exc
    with archive:
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            raise file_error(not_xlsx)
        if any(name.endswith("vbaproject.bin") for name in names):
            raise file_error(_("Không chấp nhận tệp Excel có macro."))
        total = sum(info.file_size for info in infos)
        if total > MAX_XLSX_UNCOMPRESSED or any(_suspicious_ratio(info) for info in infos):
            raise file_error(_("Tệp Excel có dung lượng giải nén quá lớn (tối đa 100 MB)."))
        try:
            content_types = archive.read(_member(archive, "[content_types].xml"))
            declares_entities = any(_has_doctype(archive, info) for info in infos)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            raise file_error(not_xlsx) from exc
        if declares_entities:
            raise file_error(
                _(
                    "Tệp Excel chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tấn công XML); "
                    "không chấp nhận."
                )
            )
    if MACRO_CONTENT_TYPE in content_types.decode("utf-8", "replace").lower():
        raise file_error(_("Không chấp nhận tệp Excel có macro."))


def _has_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DOCTYPE (entity expansion, external entities): a real
    XLSX never does. Read in chunks; the unpacked size is already bounded."""
    if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return False
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(64 * 1024):
            text = (tail + chunk).lower()
            if b"<!doctype" in text or b"<!entity" in text:
                return True
            if b"\x00" in text and _utf16_doctype(text):
                return True
            tail = text[-32:]
    return False


def _utf16_doctype(text: bytes) -> bool:
    return "<!doctype" in text.decode("utf-16-le", "ignore") + text.decode("utf-16-be", "ignore")


def _member(archive: zipfile.ZipFile, lower_name: str) -> str:
    return next(i.filename for i in archive.infolist() if i.filename.lower() == lower_name)


def _suspicious_ratio(info: zipfile.ZipInfo) -> bool:
    if info.file_size <= 1024 * 1024:
        return False
    return info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1)


def _xlsx_rows(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise file_error(_("Tệp không phải là tệp Excel .xlsx hợp lệ.")) from exc
    try:
        if not workbook.worksheets:
            raise file_error(_("Tệp Excel không có trang tính nào."))
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_xlsx_cell(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:
        raise file_error(_("Tệp không phải là tệp Excel .xlsx hợp lệ.")) from exc
    finally:
        workbook.close()


class _Number(str):
    """Text of an XLSX numeric cell (so tax and commune codes can be zero-padded)."""


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return _Number(value)
    if isinstance(value, float):
        if value.is_integer():
            return _Number(int(value))
        return _Number(format(Decimal(repr(value)), "f"))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _map_header(header: list[str], columns: tuple[Column, ...] = COLUMNS) -> list[str | None]:
    """Column key for each header cell (None for an empty one); raises on unknown/missing."""
    header_keys = HEADER_KEYS if columns is COLUMNS else _header_keys(columns)
    problems, keys, seen = [], [], set()
    for index, cell in enumerate(header, start=1):
        text = nfc(cell)
        if not text:
            keys.append(None)
            continue
        key = header_keys.get(_header_token(text))
        if key is None:
            problems.append(Problem(1, text, _unknown_column_message(text)))
        elif key in seen:
            problems.append(Problem(1, key, _("Cột bị lặp lại (cột thứ %(n)s).") % {"n": index}))
        seen.add(key)
        keys.append(key)
    for key in (c.key for c in columns if c.required):
        if key not in seen:
            problems.append(Problem(1, key, _("Thiếu cột bắt buộc “%(key)s”.") % {"key": key}))
    if problems:
        raise ImportFileError(problems)
    return keys


def _unknown_column_message(text: str) -> str:
    if ";" in text:
        return _("Cột không hợp lệ; tệp CSV phải dùng dấu phẩy (,) để phân cách các cột.")
    return _("Cột không hợp lệ: “%(column)s” không phải là cột của mẫu nhập.") % {"column": text}


def _collect_rows(raw, keys: list[str | None]) -> list[Row]:
    rows, problems = [], []
    for number, values in enumerate(raw, start=2):
        if not any(nfc(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise file_error(_("Tệp có quá nhiều dòng: tối đa 100.000 dòng dữ liệu."))
        row = Row(number, {key: "" for key in keys if key})
        for index, value in enumerate(values):
            key = keys[index] if index < len(keys) else None
            if key:
                row[key] = value
            elif nfc(value) and len(problems) < MAX_PROBLEMS:
                problems.append(
                    Problem(number, f"#{index + 1}", _("Ô có dữ liệu nhưng cột không có tiêu đề."))
                )
        rows.append(row)
    if problems:
        raise ImportFileError(problems)
    return rows


# --------------------------------------------------------------------------------------------
# Cell parsers: each takes the cleaned text (never empty) and returns a value or raises CellError


class CellError(Exception):
    pass


def clean_text(value) -> str:
    """NFC, outer whitespace stripped, export's anti-formula quote removed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    return text.strip()


def parse_tax_code(text: str) -> str:
    try:
        validate_tax_code(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
    return text


def max_length(limit: int):
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(_("Dài quá %(n)s ký tự.") % {"n": limit})
        return text

    return parse


INTEGER_RE = re.compile(r"^(\d+)(?:[.,]0+)?$")
NUMBER_PATTERNS = (
    (re.compile(r"^\d+(?:([.,])\d+)?$"), None),  # one separator at most: the decimal mark
    (re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$"), "."),  # 1.234.567,5
    (re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"), ","),  # 1,234,567.5
)
THOUSANDTH = Decimal("0.001")
DECIMAL_LIMIT = Decimal("1e11")  # max_digits 14, decimal_places 3


def _strip_spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]", "", text)


def parse_int(text: str, *, minimum=0, maximum=2_147_483_647) -> int:
    match = INTEGER_RE.match(_strip_spaces(text))
    if not match:
        raise CellError(_("Phải là số nguyên ≥ 0."))
    value = int(match.group(1))
    if not minimum <= value <= maximum:
        raise CellError(_("Phải là số nguyên ≥ 0."))
    return value


def parse_year(text: str) -> int:
    this_year = timezone.localdate().year
    message = _("Năm phải từ 1900 đến %(year)s.") % {"year": this_year}
    try:
        value = parse_int(text)
    except CellError as exc:
        raise CellError(message) from exc
    if not 1900 <= value <= this_year:
        raise CellError(message)
    return value


def parse_decimal(text: str) -> Decimal:
    compact = _strip_spaces(text)
    if compact.startswith("-") and parse_decimal_or_none(compact[1:]) is not None:
        raise CellError(_("Phải là số ≥ 0."))
    value = parse_decimal_or_none(compact)
    if value is None:
        raise CellError(_("Không phải là số hợp lệ (ví dụ 29,4 hoặc 29.4)."))
    value = value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    if value >= DECIMAL_LIMIT:
        raise CellError(_("Số quá lớn."))
    return value


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


def _choices(mapping: dict[str, str], message):
    table = {_header_token(k): v for k, v in mapping.items()}

    def parse(text: str):
        try:
            return table[_header_token(text)]
        except KeyError:
            raise CellError(str(message)) from None

    return parse


BOOLEAN_WORDS = {
    "yes": True,
    "có": True,
    "1": True,
    "x": True,
    "no": False,
    "không": False,
    "0": False,
}
OWNERSHIP_WORDS = {
    "state": Facility.Ownership.STATE,
    "private": Facility.Ownership.PRIVATE,
    "fdi": Facility.Ownership.FDI,
    "nhà nước": Facility.Ownership.STATE,
    "ngoài nhà nước": Facility.Ownership.PRIVATE,
    "có vốn đầu tư nước ngoài (fdi)": Facility.Ownership.FDI,
}
STATUS_WORDS = {
    "active": Facility.Status.ACTIVE,
    "suspended": Facility.Status.SUSPENDED,
    "closed": Facility.Status.CLOSED,
    "đang hoạt động": Facility.Status.ACTIVE,
    "tạm ngừng": Facility.Status.SUSPENDED,
    "đã đóng cửa": Facility.Status.CLOSED,
}

parse_boolean = _choices(
    BOOLEAN_WORDS, gettext_lazy("Giá trị không hợp lệ: dùng có/không, yes/no, 1/0 hoặc x.")
)
parse_ownership = _choices(
    OWNERSHIP_WORDS,
    gettext_lazy("Loại hình sở hữu phải là state, private, fdi (nhà nước, ngoài nhà nước, FDI)."),
)
parse_status = _choices(
    STATUS_WORDS, gettext_lazy("Tình trạng phải là active, suspended hoặc closed.")
)


def parse_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError as exc:
        raise CellError(_("Địa chỉ e-mail không hợp lệ.")) from exc
    if len(text) > 254:
        raise CellError(_("Dài quá %(n)s ký tự.") % {"n": 254})
    return text


# --------------------------------------------------------------------------------------------
# Reference data, loaded once per plan


class References:
    """Communes of the portal's province, VSIC codes, industrial areas: a few queries in all."""

    def __init__(self):
        self.province_code = f"{settings.PORTAL_PROVINCE_CODE:02d}"
        self.communes = dict(
            AdminUnit.objects.filter(
                level=AdminUnit.Level.COMMUNE,
                scheme=AdminUnit.Scheme.PRE2025,
                parent__parent__code=self.province_code,
                parent__parent__level=AdminUnit.Level.PROVINCE,
            ).values_list("code", "id")
        )
        self.industries = dict(
            IndustryCode.objects.filter(version="VSIC2018").values_list("code", "id")
        )
        self.areas = {
            _header_token(name): pk for pk, name in IndustrialArea.objects.values_list("id", "name")
        }
        self.foreign_communes: set[str] = set()

    def load_foreign_communes(self, codes: set[str]) -> None:
        """Which of `codes` (not in the province) are communes elsewhere: one query."""
        unknown = codes - self.communes.keys()
        if unknown:
            self.foreign_communes = set(
                AdminUnit.objects.filter(
                    level=AdminUnit.Level.COMMUNE,
                    scheme=AdminUnit.Scheme.PRE2025,
                    code__in=sorted(unknown),
                ).values_list("code", flat=True)
            )

    def commune(self, text: str) -> int:
        if not re.fullmatch(r"\d{5}", text):
            raise CellError(_("Mã xã/phường phải gồm đúng 5 chữ số."))
        if text in self.communes:
            return self.communes[text]
        if text in self.foreign_communes:
            raise CellError(
                _("Xã/phường mã %(code)s không thuộc tỉnh (mã tỉnh %(province)s).")
                % {"code": text, "province": self.province_code}
            )
        raise CellError(
            _(
                "Không có xã/phường mã %(code)s trong danh mục của tỉnh "
                "(mã tỉnh %(province)s, trước 1/7/2025)."
            )
            % {"code": text, "province": self.province_code}
        )

    def industry(self, text: str) -> int:
        if not re.fullmatch(r"\d{2,5}", text):
            raise CellError(_("Mã ngành VSIC phải gồm 2 đến 5 chữ số."))
        if text[:2] not in self.industries:
            raise CellError(
                _("Mã ngành VSIC %(code)s không hợp lệ: không có ngành cấp 2 “%(division)s”.")
                % {"code": text, "division": text[:2]}
            )
        for length in range(len(text), 1, -1):
            if text[:length] in self.industries:
                return self.industries[text[:length]]
        raise AssertionError("unreachable: the division is known")

    def area(self, text: str) -> int:
        try:
            return self.areas[_header_token(text)]
        except KeyError:
            raise CellError(
                _("Không có khu/cụm công nghiệp “%(name)s” trong danh mục.") % {"name": text}
            ) from None


# --------------------------------------------------------------------------------------------
# Planning


def _field_parsers(refs: References):
    """column key -> (model attribute, parser, value when the cell is empty)."""
    return {
        "tax_code": ("tax_code", parse_tax_code, None),
        "name": ("name", max_length(255), None),
        "address": ("address", max_length(255), None),
        "commune_code": ("commune_id", refs.commune, None),
        "vsic_code": ("industry_id", refs.industry, None),
        "industrial_area": ("industrial_area_id", refs.area, None),
        "ownership": ("ownership", parse_ownership, ""),
        "established_year": ("established_year", parse_year, None),
        "employees": ("employees", parse_int, None),
        "revenue_bn_vnd": ("revenue_bn_vnd", parse_decimal, None),
        "capital_bn_vnd": ("capital_bn_vnd", parse_decimal, None),
        "high_pollution_risk": ("high_pollution_risk", parse_boolean, False),
        "key_energy_user": ("key_energy_user", parse_boolean, False),
        "status": ("status", parse_status, Facility.Status.ACTIVE),
        "closed_year": ("closed_year", parse_year, None),
        "contact_name": ("contact_name", max_length(150), ""),
        "contact_phone": ("contact_phone", max_length(30), ""),
        "contact_email": ("contact_email", parse_email, ""),
    }


PADDED_NUMBERS = {"tax_code": 10, "commune_code": 5}


def _cell(row: dict, key: str) -> str:
    value = row.get(key, "")
    text = clean_text(value)
    if isinstance(value, _Number) and key in PADDED_NUMBERS and text.isdigit():
        text = text.zfill(PADDED_NUMBERS[key])
    return text


def _parse_row(row: dict, number: int, present: list[str], parsers) -> tuple[dict, list]:
    values, problems = {}, []
    for key in present:
        attribute, parse, empty = parsers[key]
        text = _cell(row, key)
        if not text:
            if key in REQUIRED_KEYS:
                problems.append(Problem(number, key, _("Bắt buộc phải có giá trị.")))
            else:
                values[attribute] = empty
            continue
        try:
            values[attribute] = parse(text)
        except CellError as exc:
            problems.append(Problem(number, key, str(exc)))
    return values, problems


CROSS_CHECKED = {"status", "closed_year", "established_year"}


def _cross_check(values: dict, number: int, existing: Facility | None, present) -> list:
    """Status, closed year and established year together (file values over stored ones)."""

    def effective(attribute, default):
        if attribute in values:
            return values[attribute]
        return getattr(existing, attribute) if existing else default

    status = effective("status", Facility.Status.ACTIVE)
    closed = effective("closed_year", None)
    established = effective("established_year", None)
    column = "closed_year" if "closed_year" in present else "status"
    if status == Facility.Status.CLOSED and closed is None:
        return [Problem(number, column, _("Bắt buộc ghi năm đóng cửa khi tình trạng là closed."))]
    if status != Facility.Status.CLOSED and closed is not None:
        return [Problem(number, column, _("Chỉ ghi năm đóng cửa khi tình trạng là closed."))]
    if closed is not None and established is not None and closed < established:
        return [Problem(number, column, _("Năm đóng cửa không được trước năm thành lập."))]
    return []


def facilities_by_tax_code(codes) -> dict[str, Facility]:
    """Tax code -> facility, for the registered ones among `codes`, in chunked queries."""
    found, codes = {}, sorted(set(codes))
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update({f.tax_code: f for f in Facility.objects.filter(tax_code__in=chunk)})
    return found


Progress = Callable[[int, int], None]  # progress(done, total)


def plan_import(
    rows: list[dict], *, filename: str = "", progress: Progress | None = None
) -> ImportPlan:
    """Validate `rows` and decide what to create and update; a bounded number of queries.
    `progress(rows checked, rows)` is called every PROGRESS_EVERY rows and at the end."""
    plan = ImportPlan(filename=filename)
    if not rows:
        plan.problems.append(Problem(None, None, _("Tệp không có dòng dữ liệu nào.")))
        return plan
    present = [key for key in COLUMN_KEYS if any(key in row for row in rows[:1])]
    present += [key for key in REQUIRED_KEYS if key not in present]
    refs = References()
    refs.load_foreign_communes({_cell(row, "commune_code") for row in rows})
    parsers = _field_parsers(refs)
    parsed = []  # (row number, parsed values, columns with a problem)
    for index, row in enumerate(rows):
        number = getattr(row, "number", index + 2)
        values, problems = _parse_row(row, number, present, parsers)
        plan.problems.extend(problems)
        parsed.append((number, values, {p.column for p in problems}))
        if len(plan.problems) >= MAX_PROBLEMS:
            break
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    _check_duplicates(parsed, plan)
    existing = facilities_by_tax_code(v["tax_code"] for _n, v, _b in parsed if "tax_code" in v)
    for number, values, bad in parsed:
        facility = existing.get(values.get("tax_code"))
        cross = [] if bad & CROSS_CHECKED else _cross_check(values, number, facility, present)
        plan.problems.extend(cross)
        if not bad and not cross:
            _plan_facility(plan, values, facility)
    sort_problems(plan.problems, COLUMN_KEYS)
    if progress:
        progress(len(rows), len(rows))
    return plan


def sort_problems(problems: list[Problem], column_keys: tuple[str, ...]) -> None:
    """Sort in place as every import lists its problems: by row (the file's own problems first),
    then in the order of the template's columns (unknown columns last)."""

    def column_order(column: str | None) -> int:
        return column_keys.index(column) if column in column_keys else len(column_keys)

    problems.sort(key=lambda p: (p.row or 0, column_order(p.column)))


def _check_duplicates(parsed: list, plan: ImportPlan) -> None:
    """The later of two rows with the same tax code is the one at fault."""
    first_row: dict[str, int] = {}
    for number, values, bad in parsed:
        code = values.get("tax_code")
        if code is None:
            continue
        if code in first_row:
            plan.problems.append(
                Problem(
                    number,
                    "tax_code",
                    _("Mã số thuế %(code)s trùng với dòng %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            )
            bad.add("tax_code")
        else:
            first_row[code] = number


def _plan_facility(plan: ImportPlan, values: dict, facility: Facility | None) -> None:
    if facility is None:
        plan.new_facilities.append(Facility(**values))
        return
    changed = [a for a, v in values.items() if getattr(facility, a) != v]
    if not changed:
        plan.unchanged += 1
        return
    for attribute in changed:
        setattr(facility, attribute, values[attribute])
    plan.changed_facilities.append(facility)
    plan.changed_fields.update(changed)


def plan_file(file_obj, filename: str, *, progress: Progress | None = None) -> ImportPlan:
    """read_table + plan_import; a file that cannot be read gives a plan with its problems."""
    try:
        rows = read_table(file_obj, filename)
    except ImportFileError as exc:
        return ImportPlan(filename=filename, problems=exc.problems)
    return plan_import(rows, filename=PurePath(filename).name, progress=progress)


# --------------------------------------------------------------------------------------------
# Applying


def _prepare(facility: Facility) -> None:
    """What Facility.save() and NFCCharField would do, since bulk operations bypass them."""
    for attribute in ("name", "address", "contact_name"):
        setattr(facility, attribute, nfc(getattr(facility, attribute)))
    facility.search_text = fold(f"{facility.name} {facility.tax_code}")


def apply_import(plan: ImportPlan, *, user, progress: Progress | None = None) -> ImportResult:
    """Write the plan in one transaction, with history entries by `user`; nothing if invalid.
    `progress(facilities written, facilities to write)` is called after each batch."""
    if not plan.is_valid:
        raise InvalidImport(_("Tệp có lỗi; không có dữ liệu nào được ghi."))
    reason = _("Nhập từ tệp %(name)s") % {"name": plan.filename or "-"}
    now = timezone.now()
    total, written = plan.to_create + plan.to_update, 0
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    with transaction.atomic():
        data_changed()  # bulk writes send no signals
        for facility in plan.new_facilities + plan.changed_facilities:
            _prepare(facility)
        for batch in _batches(plan.new_facilities):
            bulk_create_with_history(batch, Facility, batch_size=BATCH_SIZE, **history)
            written += len(batch)
            if progress:
                progress(written, total)
        changed_fields = sorted(plan.changed_fields | {"search_text", "updated_at", "version"})
        for batch in _batches(plan.changed_facilities):
            for facility in batch:
                facility.updated_at = now
                facility.version = F("version") + 1  # as Versioned.save() does
            bulk_update_with_history(
                batch, Facility, changed_fields, batch_size=BATCH_SIZE, **history
            )
            written += len(batch)
            if progress:
                progress(written, total)
    return ImportResult(plan.to_create, plan.to_update, plan.unchanged)


def _batches(items: list) -> list[list]:
    return [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]
