"""The raw reading of an uploaded CSV or XLSX file: the checks on the whole file, then its rows
as lists of cell text. core.spreadsheets maps the first row onto a template's columns and reads
the others as data rows.

    file_rows(file, filename) -> rows   # a generator; raises UnreadableFile

Checks on every file, before a cell is read: at most MAX_FILE_BYTES, `.csv` or `.xlsx` only (no
`.xlsm`), no renamed executable; CSV in UTF-8 without NUL characters (a UTF-16 file),
comma-separated, or semicolon-separated as Excel set to Vietnamese saves it (a header line with
semicolons and no comma, or Excel's `sep=;` first line; `sep=,` is skipped too); XLSX a real,
macro-free workbook whose unpacked size and compression ratio are bounded (no zip bomb) and whose
XML declares no DOCTYPE/ENTITY (core.xlsx_check); its first sheet is read whatever size it
declares, but no cell of it beyond column MAX_COLUMNS (openpyxl would pad every row out to it),
and an empty first sheet in front of others is an error of its own. A CSV may end its
lines with CR alone (Excel for Mac).

XLSX cells holding numbers are read as `Number` (text), so codes can be zero-padded
(`core.cells.cell_text`); other cells are turned into text as they display. A formula is read
as the value the file stores for it (an empty text result, `=IF(D3="","",D3)` giving "", as a
blank cell); a formula whose file stores no computed value (a workbook written by a program, which
leaves the computing to the spreadsheet) is read as an `UncomputedFormula` (core.xlsx_check),
which core.spreadsheets refuses cell by cell.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .numbers import format_number
from .text import nfc
from .xlsx_check import (
    MAX_COLUMNS,
    formula_workbook,
    last_column,
    mark_uncomputed,
    stored_values,
    xlsx_problem,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


class UnreadableFile(Exception):
    """The file cannot be read as rows of cells (size, type, encoding, damage); the message says
    why, for the person who wrote the file."""

    def __init__(self, message):
        super().__init__(str(message))


class Number(str):
    """Text of an XLSX numeric cell (so tax and commune codes can be zero-padded)."""


def file_rows(file_obj, filename: str):
    """The rows of the file, each a list of cell text, once the checks on the whole file are
    passed, as a generator (close it when done). Raises UnreadableFile at once for the whole
    file, and the generator raises it while the rows are read."""
    extension = _extension(filename)
    data = _read_limited(file_obj)
    if _is_executable(data):
        raise UnreadableFile(
            _(
                "Tệp là chương trình (tệp thực thi) được đổi tên, không phải bảng tính; "
                "không chấp nhận."
            )
        )
    if extension == ".csv":
        return _csv_rows(data)
    if problem := xlsx_problem(data):
        raise UnreadableFile(problem)
    return _xlsx_rows(data)


def _extension(filename: str) -> str:
    extension = PurePath(filename or "").suffix.lower()
    if extension == ".xlsm":
        raise UnreadableFile(
            _("Không chấp nhận tệp có macro (.xlsm); hãy lưu tệp dưới dạng .xlsx.")
        )
    if extension not in EXTENSIONS:
        raise UnreadableFile(_("Chỉ chấp nhận tệp .csv hoặc .xlsx."))
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
        raise UnreadableFile(_("Tệp quá lớn: tối đa 10 MB."))
    if not data:
        raise UnreadableFile(_("Tệp trống."))
    return data


SEPARATOR_LINE = re.compile(r"sep=([,;])")  # Excel's hint line above the header
LINE_END = re.compile(r"\r\n|\r|\n")  # CR alone: Excel for Mac's "CSV (Macintosh)"


ZIP_MAGIC = b"PK\x03\x04"  # an XLSX file is a zip archive
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Excel .xls workbook


def _csv_rows(data: bytes):
    if data.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        raise UnreadableFile(
            _(
                "Tệp có đuôi .csv nhưng là một bảng tính Excel, không phải tệp CSV. Hãy lưu lại "
                "tệp dạng “CSV UTF-8 (phân cách bằng dấu phẩy)”, hoặc lưu dạng Excel .xlsx và "
                "chọn tệp .xlsx đó."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
    if "\x00" in text:  # UTF-16 read as UTF-8, or a binary file: no text has NUL characters
        raise UnreadableFile(
            _(
                "Tệp CSV chứa ký tự NUL: đây không phải tệp văn bản UTF-8 (có thể tệp được lưu "
                "với bảng mã UTF-16/Unicode). Hãy lưu lại tệp dạng “CSV UTF-8”."
            )
        )
    first_line, *rest = LINE_END.split(text, 1)
    delimiter = None
    if hint := SEPARATOR_LINE.fullmatch(first_line):
        # Excel hides this line: the header is still row 1 to the person who reads the file.
        text = rest[0] if rest else ""
        delimiter = hint.group(1)
        first_line = LINE_END.split(text, 1)[0]
    if delimiter is None:
        # Excel set to Vietnamese (decimal comma) saves "CSV" with semicolons: a header line with
        # semicolons and no comma is such a file. Anything else is read with commas.
        delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            # A line break inside a quoted cell is stored as "\n" whatever the file's line ends:
            # the same file saved on Windows and elsewhere holds the same data.
            yield [LINE_END.sub("\n", value) if "\r" in value else value for value in row]
    except csv.Error as exc:
        raise UnreadableFile(
            _("Tệp CSV không đọc được ở dòng %(line)s: %(error)s")
            % {"line": reader.line_num, "error": _csv_error(exc)}
        ) from exc


def _csv_error(exc: csv.Error) -> str:
    """What the csv module's (English) error means for the person who wrote the file."""
    if "field larger than field limit" in str(exc):
        return _("có một ô dài quá %(n)s ký tự.") % {"n": format_number(csv.field_size_limit())}
    return _(
        'dấu ngoặc kép (") đặt sai: một ô có dấu ngoặc kép phải được bao trọn trong cặp ngoặc '
        'kép, và dấu ngoặc kép bên trong ô phải ghi hai lần ("").'
    )


def _xlsx_rows(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise UnreadableFile(_("Tệp không phải là tệp Excel .xlsx hợp lệ.")) from exc
    formulas = None
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("Tệp Excel không có trang tính nào."))
        sheet = workbook.worksheets[0]
        # The size a file declares (<dimension>) may be wrong when a program wrote it; read-only
        # openpyxl would drop the rows and columns beyond it. Read the cells the sheet has.
        sheet.reset_dimensions()
        if (last := last_column(data, sheet)) > MAX_COLUMNS:
            raise UnreadableFile(
                _(
                    "Trang tính đầu tiên có ô ở cột thứ %(column)s; tệp nhập chỉ được dùng "
                    "%(limit)s cột đầu. Hãy xoá các ô thừa bên phải (kể cả ô trống đã định dạng)."
                )
                % {"column": format_number(last), "limit": format_number(MAX_COLUMNS)}
            )
        formulas = formula_workbook(data, sheet)
        formula_rows = None
        if formulas is not None:
            formulas.worksheets[0].reset_dimensions()
            formula_rows = formulas.worksheets[0].iter_rows(values_only=True)
        recalculated = bool(getattr(workbook.calculation, "fullCalcOnLoad", False))
        filled, text_results = False, None
        # With formulas, the cells themselves: a formula's empty text result is told by its type.
        for row in sheet.iter_rows(values_only=formula_rows is None):
            values = row
            if formula_rows is not None:
                values, text_results = stored_values(row, data, sheet, text_results)
            cells = [_xlsx_cell(value) for value in values]
            if formula_rows is not None:
                mark_uncomputed(cells, values, next(formula_rows, ()), recalculated)
            filled = filled or any(nfc(cell) for cell in cells)
            yield cells
        if not filled and len(workbook.worksheets) > 1:
            raise UnreadableFile(
                _(
                    "Trang tính đầu tiên («%(sheet)s») của tệp trống. Chỉ trang tính đầu tiên được "
                    "đọc: hãy đưa dữ liệu lên trang tính đầu tiên (hoặc xoá trang tính trống)."
                )
                % {"sheet": sheet.title}
            )
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(_("Tệp không phải là tệp Excel .xlsx hợp lệ.")) from exc
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return Number(value)
    if isinstance(value, float):
        if value.is_integer():
            return Number(int(value))
        return Number(format(Decimal(repr(value)), "f"))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
