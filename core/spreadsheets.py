"""Reading CSV and XLSX uploads as tables, and writing text cells that no spreadsheet takes for a
formula. Shared by every import and export (facilities, annual reports, the report workbook).

    read_table(file, filename, columns) -> rows   # header mapped to column keys
    count_rows(file, filename, columns, limit=N)  # data rows, reading no further than N + 1

The file itself (size, type, no renamed executable, CSV encoding and separator, XLSX safety, its
rows as cell text) is read by core.sheet_files; what it cannot read is an ImportFileError here.
Then the header (row 1, not blank): every non-empty header cell must name a column (its key or
its label, compared as `header_token` does: case-insensitive, NFKC, invisible characters dropped,
line breaks and runs of spaces as one space), none twice, every required one present. At most
MAX_ROWS data rows.

A formula whose file stores no computed value (a workbook written by a program, which leaves the
computing to the spreadsheet) is refused cell by cell rather than read as an empty cell, and so is
a spreadsheet's error value (`#N/A`, `#REF!`, LibreOffice's `Err:502`), in an XLSX error cell or
written as text into a CSV, and text that a program garbled by reading UTF-8 as
Windows-1252/1258 (`CÃ´ng` for `Công`). These problems do not stop the reading: read_table
returns them with the rows (Table.problems) and locate_plan puts them among the problems the
import finds in the rows, so a file's every problem is listed at once (DESIGN §5).
"""

import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .sheet_files import UnreadableFile, file_rows
from .text import nfc
from .xlsx_check import UncomputedFormula

MAX_ROWS = 100_000
MAX_PROBLEMS = 1000  # a hopeless file stops being checked after this many problems
PROBLEMS_SHOWN = 500  # an import page lists this many problems and counts the others
BATCH_SIZE = 1000  # rows per bulk write of an import
LOOKUP_CHUNK = 20_000  # keys per query when an import looks up stored rows


# --------------------------------------------------------------------------------------------
# Formula injection: text a spreadsheet would take for a formula

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """Whether a spreadsheet would read `value` as a formula: text starting with =, +, -, @,
    tab or CR. Every export checks its text cells with this one function."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def escape_formula(value):
    """`'`-prefix text that a spreadsheet would read as a formula; other values unchanged.
    The imports remove that quote again (`core.cells.clean_text`)."""
    if looks_like_formula(value):
        return "'" + value
    return value


# --------------------------------------------------------------------------------------------
# Columns, problems, rows


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header; matched as written (case-insensitive, NFC)
    required: bool
    rule: str  # shown on the template's instructions sheet
    aliases: tuple[str, ...] = ()  # earlier labels, still accepted as headers


INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width, BOM, soft hyphen


def header_token(text: str) -> str:
    """The form in which header cells (and other names typed by people) are compared: NFKC
    (`m3` for `m³`), without invisible characters, any run of spaces or line breaks (a label
    wrapped in its cell with Alt+Enter) as one space, case folded."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))
    return " ".join(text.split()).casefold()


def one_line(text: str) -> str:
    """`text` with its line breaks as spaces (a header or cell written on several lines)."""
    return " ".join(str(text).splitlines())


def header_keys(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header token of each column's key, label and earlier labels -> column key."""
    return {
        **{header_token(alias): c.key for c in columns for alias in c.aliases},
        **{header_token(c.key): c.key for c in columns},
        **{header_token(c.label): c.key for c in columns},
    }


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (header = 1); None for a problem of the whole file
    column: str | None  # column key (or the header text as written for an unknown column)
    message: str
    # Where people look for it (`locate_problems`): the header as written in the file (or the
    # template's label of a column the file lacks) and the column's letter.
    header: str | None = None
    letter: str | None = None

    def __str__(self):
        # The commands' contract (DESIGN §5): `row N, column C: message`, C the column key.
        if self.row is None:
            return one_line(self.message)
        return one_line(f"row {self.row}, column {self.column or '-'}: {self.message}")

    @property
    def column_label(self) -> str:
        """The column as the pages name it: `D («Mã xã/phường»)`, else the header or key."""
        return column_label(self.column, self.header, self.letter)


def column_label(column: str | None, header: str | None, letter: str | None) -> str:
    if letter and header:
        return f"{letter} («{header}»)"
    return letter or header or column or ""


class ImportFileError(Exception):
    """The file cannot be read as a table (size, type, encoding, header)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class InvalidImport(Exception):
    """An import was asked to apply a plan with problems."""


class Row(dict):
    """One data row: column key -> cell text. `number` is its row in the spreadsheet."""

    def __init__(self, number: int, values):
        super().__init__(values)
        self.number = number


class Table(list):
    """The data rows of a file (Row), with `headers`: column key -> (header text as written,
    column letter) for the columns the file has, and `problems`: the cells refused before any
    column reads them (`_refused_cell_message`), which locate_plan adds to an import's plan."""

    def __init__(
        self,
        rows=(),
        headers: dict[str, tuple[str, str]] | None = None,
        problems: list[Problem] | None = None,
    ):
        super().__init__(rows)
        self.headers = headers or {}
        self.problems = problems or []


def locate_problems(problems: list[Problem], headers: dict, columns=()) -> list[Problem]:
    """`problems` with the header as written and the column letter filled in from `headers`
    (Table.headers); a column the file lacks is named by its label in `columns`."""
    labels = {c.key: c.label for c in columns}
    located = []
    for problem in problems:
        if problem.letter or problem.column not in {**labels, **headers}:
            located.append(problem)
            continue
        header, letter = headers.get(problem.column, (labels.get(problem.column), None))
        located.append(replace(problem, header=header, letter=letter))
    return located


def locate_plan(plan, table: Table, columns=()):
    """An import plan with the refused cells of `table` (Table.problems) among its problems, in
    the order of sort_problems, and its problems and warnings located in `table`
    (locate_problems). A refused cell's problem stands for any the plan found in that cell."""
    headers = getattr(table, "headers", {})
    if refused := getattr(table, "problems", []):
        cells = {(p.row, p.column) for p in refused}
        problems = [p for p in plan.problems if (p.row, p.column) not in cells] + refused
        sort_problems(problems, tuple(c.key for c in columns))
        plan.problems = problems
    plan.problems = locate_problems(plan.problems, headers, columns)
    if hasattr(plan, "warnings"):
        plan.warnings = locate_problems(plan.warnings, headers, columns)
    return plan


# A spreadsheet's error values (a formula it could not compute), as Excel and LibreOffice store
# them in an XLSX error cell and write them into a CSV: never data, so refused rather than stored.
EXCEL_ERROR = re.compile(
    r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!"
    r"|CONNECT!|BUSY!|UNKNOWN!)|Err:\d{3}",
    re.IGNORECASE,
)


def file_error(message) -> ImportFileError:
    return ImportFileError([Problem(None, None, str(message))])


def shown_problems(plan) -> dict:
    """What an import page shows of a plan's problems (templates/includes/import_problems.html):
    the first PROBLEMS_SHOWN as `problems`, the number of the others as `hidden_problems`."""
    problems = plan.problems[:PROBLEMS_SHOWN] if plan else []
    hidden = len(plan.problems) - len(problems) if plan else 0
    return {"problems": problems, "hidden_problems": hidden}


# Warnings: what an import tells people about rows that are imported all the same (a pre-2025
# commune that became several 2025 wards; later the data-quality rules). A plan holds them as
# `Problem`s in a `warnings` list next to `problems`: problems stop the whole file, warnings
# never do. The commands print them like problems (`row N, column C: message`) and still exit 0;
# the pages list them (templates/includes/import_warnings.html) before and after the import.


def plan_warnings(plan) -> list[Problem]:
    """A plan's warnings (an empty list for a plan that has none, or no such list yet)."""
    return list(getattr(plan, "warnings", None) or []) if plan else []


def shown_warnings(plan) -> dict:
    """What an import page shows of a plan's warnings (templates/includes/import_warnings.html):
    the first PROBLEMS_SHOWN as `warnings`, the number of the others as `hidden_warnings`, all
    of them as `warning_count`."""
    warnings = plan_warnings(plan)
    return {
        "warnings": warnings[:PROBLEMS_SHOWN],
        "hidden_warnings": max(len(warnings) - PROBLEMS_SHOWN, 0),
        "warning_count": len(warnings),
    }


def problems_as_dicts(problems, limit: int | None = None) -> list[dict]:
    """Problems (or warnings) as JSON-ready dicts {row, column, message}, e.g. for a stored job."""
    chosen = problems if limit is None else problems[:limit]
    return [
        {"row": p.row, "column": p.column, "column_label": p.column_label, "message": p.message}
        for p in chosen
    ]


def sort_problems(problems: list[Problem], column_keys: tuple[str, ...]) -> None:
    """Sort in place as every import lists its problems: by row (the file's own problems first),
    then in the order of the template's columns (unknown columns last)."""

    def column_order(column: str | None) -> int:
        return column_keys.index(column) if column in column_keys else len(column_keys)

    problems.sort(key=lambda p: (p.row or 0, column_order(p.column)))


# --------------------------------------------------------------------------------------------
# Reading CSV and XLSX


def read_table(file_obj, filename: str, columns: tuple[Column, ...]) -> Table:
    """Rows of a CSV or XLSX file as Row dicts keyed by column key, in a Table that knows each
    column's header as written and its letter, and the problems of its refused cells (which an
    import adds to its plan's with locate_plan); raises ImportFileError for the whole file."""
    with _open_table(file_obj, filename, columns) as (raw, keys, header):
        headers = {
            key: (nfc(header[index]), get_column_letter(index + 1))
            for index, key in enumerate(keys)
            if key
        }
        rows, problems = _collect_rows(raw, keys, headers)
        return Table(rows, headers, problems)


def count_rows(file_obj, filename: str, columns: tuple[Column, ...], *, limit: int) -> int:
    """Non-empty data rows of the file, counting no further than `limit` + 1 (so a big file is
    not parsed to the end); raises ImportFileError like read_table for an unreadable file."""
    count = 0
    with _open_table(file_obj, filename, columns) as (raw, _keys, _header):
        for values in raw:
            if any(nfc(v) for v in values):
                count += 1
                if count > limit:
                    break
    return count


@contextmanager
def _open_table(file_obj, filename: str, columns: tuple[Column, ...]):
    """(raw rows after the header, column key of each header cell, the header), checks done.
    What core.sheet_files cannot read, here or while the rows are read, is an ImportFileError."""
    try:
        raw = file_rows(file_obj, filename)
    except UnreadableFile as exc:
        raise file_error(exc) from exc
    try:
        header = next(raw, None)
        if header is None:
            raise file_error(_("Tệp trống: không có dòng tiêu đề."))
        if not any(header_token(nfc(cell)) for cell in header):
            if not any(any(nfc(value) for value in values) for values in raw):
                raise file_error(_("Tệp trống: không có dòng tiêu đề."))
            raise file_error(
                _(
                    "Dòng 1 trống: dòng 1 phải là dòng tiêu đề, ghi tên các cột (như tệp mẫu); "
                    "dữ liệu bắt đầu từ dòng 2."
                )
            )
        try:
            keys = map_header(header, columns)
        except ImportFileError as exc:
            raise _header_further_down(raw, columns) or exc from None
        yield raw, keys, header
    except UnreadableFile as exc:
        raise file_error(exc) from exc
    finally:
        raw.close()


HEADER_SEARCH_ROWS = 10  # rows below row 1 searched for a header that is not in row 1


def _header_further_down(raw, columns: tuple[Column, ...]) -> ImportFileError | None:
    """When row 1 is not the header but one of the next rows is (a title such as "DANH SÁCH
    CƠ SỞ" above it, as in many administrative spreadsheets), the one problem to tell: that
    row's number and that the rows above it must go. None when no such row is found."""
    try:
        return _header_row_below(raw, columns)
    except UnreadableFile:  # a row further down cannot be read: row 1's problems stand
        return None


def _header_row_below(raw, columns: tuple[Column, ...]) -> ImportFileError | None:
    for number, values in enumerate(raw, start=2):
        if number > HEADER_SEARCH_ROWS + 1:
            return None
        if not any(header_token(nfc(cell)) for cell in values):
            continue
        try:
            map_header(values, columns)
        except ImportFileError:
            continue
        message = _(
            "Dòng 1 phải là dòng tiêu đề (tên các cột, như tệp mẫu), nhưng dòng tiêu đề của tệp "
            "là dòng %(row)s. Hãy xoá các dòng phía trên nó (tên bảng, ghi chú) để dòng tiêu đề "
            "là dòng 1, dữ liệu bắt đầu từ dòng 2."
        ) % {"row": number}
        return ImportFileError([Problem(1, None, message)])
    return None


def map_header(header: list[str], columns: tuple[Column, ...]) -> list[str | None]:
    """Column key for each header cell (None for an empty one); raises on unknown/missing."""
    keys_by_token = header_keys(columns)
    problems, keys, seen = [], [], set()
    for index, cell in enumerate(header, start=1):
        text = nfc(cell)
        if not header_token(text):
            keys.append(None)
            continue
        key = keys_by_token.get(header_token(text))
        letter = get_column_letter(index)
        if key is None:
            problems.append(Problem(1, text, _unknown_column_message(text), text, letter))
        elif key in seen:
            message = _("Cột bị lặp lại (cột thứ %(n)s).") % {"n": index}
            problems.append(Problem(1, key, message, text, letter))
        seen.add(key)
        keys.append(key)
    for key in (c.key for c in columns if c.required):
        if key not in seen:
            label = next(c.label for c in columns if c.key == key)
            message = _("Thiếu cột bắt buộc “%(key)s”.") % {"key": key}
            problems.append(Problem(1, key, message, header=label))
    if problems:
        raise ImportFileError(problems)
    return keys


def _refused_cell_message(value) -> str | None:
    """Why a cell's value is refused before any column reads it (a formula the file stores no
    value for, a spreadsheet's error value), or None."""
    if isinstance(value, UncomputedFormula):
        return _uncomputed_message(value)
    if original := _garbled(value):
        return _(
            "Chữ bị lỗi bảng mã: «%(garbled)s» là «%(text)s» sau khi tệp UTF-8 bị mở bằng bảng mã "
            "khác (Windows-1252/1258) rồi lưu lại. Hãy dùng tệp gốc, hoặc mở tệp CSV trong Excel "
            "bằng Dữ liệu → Từ Văn bản/CSV với bảng mã 65001: Unicode (UTF-8)."
        ) % {"garbled": nfc(value), "text": nfc(original)}
    if EXCEL_ERROR.fullmatch(nfc(value)):
        return _(
            "Ô chứa giá trị lỗi %(error)s của bảng tính (một công thức không tính được), không "
            "phải dữ liệu: hãy sửa công thức, ghi giá trị hoặc để trống ô."
        ) % {"error": nfc(value)}
    return None


C1_CONTROL = re.compile("[\x80-\x9f]")


def _garbled(value) -> str | None:
    """The text that `value` was before a program read its UTF-8 bytes as Windows-1252/1258 and
    saved what it showed (`CÃ´ng` for `Công`), or None. Real Vietnamese text never qualifies:
    its letters are not all in those code pages, or their bytes are not UTF-8."""
    if not isinstance(value, str) or value.isascii():
        return None
    for codec in ("cp1252", "cp1258"):
        try:
            raw = value.encode(codec)
        except UnicodeEncodeError:
            if not C1_CONTROL.search(value):
                continue
            try:  # bytes the code page leaves undefined were shown as C1 control characters
                raw = b"".join(
                    bytes([ord(c)]) if C1_CONTROL.match(c) else c.encode(codec) for c in value
                )
            except UnicodeEncodeError:
                continue
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _uncomputed_message(formula: str) -> str:
    return _(
        "Ô có công thức %(formula)s nhưng tệp không lưu kết quả đã tính (tệp do một chương "
        "trình tạo ra); hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc ghi giá trị "
        "thay cho công thức."
    ) % {"formula": formula}


def _unknown_column_message(text: str) -> str:
    if ";" in text or "\t" in text:  # a file separated by semicolons or tabs
        return _(
            "Cột không hợp lệ; tệp CSV phải dùng dấu phẩy (,) hoặc dấu chấm phẩy (;) để phân "
            "cách các cột, không trộn lẫn hai loại, không dùng dấu tab."
        )
    return _("Cột không hợp lệ: “%(column)s” không phải là cột của mẫu nhập.") % {"column": text}


def _collect_rows(
    raw, keys: list[str | None], headers: dict | None = None
) -> tuple[list[Row], list[Problem]]:
    """The data rows and the problems of their refused cells. A refused cell keeps its text in
    its row, so that the import's checks of the row's other cells read the row as it was
    written (a problem they find in the refused cell itself gives way: locate_plan)."""
    rows, problems = [], []
    headers = headers or {}
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
                if (message := _refused_cell_message(value)) and len(problems) < MAX_PROBLEMS:
                    header, letter = headers.get(key, (None, get_column_letter(index + 1)))
                    problems.append(Problem(number, key, message, header, letter))
            elif nfc(value) and len(problems) < MAX_PROBLEMS:
                message = _("Ô có dữ liệu nhưng cột không có tiêu đề.")
                letter = get_column_letter(index + 1)
                problems.append(Problem(number, f"#{index + 1}", message, letter=letter))
        rows.append(row)
    return rows, problems
