"""The checks an XLSX upload passes before openpyxl reads a cell of it (core.sheet_files): a
real workbook (a zip with the parts Excel writes), no macros, an unpacked size and compression
ratio that are bounded (no zip bomb), and no DOCTYPE/ENTITY declaration in its XML. Then, as its
first sheet is read, the formulas whose file stores no computed value (UncomputedFormula), told
apart from those whose stored result is empty text (stored_values)."""

import io
import re
import zipfile

from defusedxml import ElementTree as DefusedElementTree
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed/compressed, for members larger than 1 MB
MACRO_CONTENT_TYPE = "macroenabled"


def xlsx_problem(data: bytes) -> str | None:
    """Why `data` is not a real, macro-free XLSX whose unpacked size is bounded (no zip
    bomb), or None."""
    not_xlsx = _("Tệp không phải là tệp Excel .xlsx hợp lệ.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return not_xlsx
    with archive:
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            return not_xlsx
        if any(name.endswith("vbaproject.bin") for name in names):
            return _("Không chấp nhận tệp Excel có macro.")
        total = sum(info.file_size for info in infos)
        if total > MAX_XLSX_UNCOMPRESSED or any(_suspicious_ratio(info) for info in infos):
            return _("Tệp Excel có dung lượng giải nén quá lớn (tối đa 100 MB).")
        try:
            content_types = archive.read(_member(archive, "[content_types].xml"))
            declares_entities = any(_has_doctype(archive, info) for info in infos)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
            return not_xlsx
        if declares_entities:
            return _(
                "Tệp Excel chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tấn công XML); "
                "không chấp nhận."
            )
    if MACRO_CONTENT_TYPE in content_types.decode("utf-8", "replace").lower():
        return _("Không chấp nhận tệp Excel có macro.")
    return None


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


# --------------------------------------------------------------------------------------------
# How far to the right the first sheet's cells go

# Every import template has a few dozen columns; beyond this a sheet is refused (openpyxl pads
# each row out to its last cell: one cell in column XFD makes a row 16.384 cells long).
MAX_COLUMNS = 1024
CELL_REFERENCE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"\$?([A-Z]{1,3})\$?[0-9]+\"")


def last_column(data: bytes, sheet) -> int:
    """The number (A = 1) of the rightmost column any cell of `sheet` (its XML, read in chunks)
    names; 0 when it cannot be told."""
    path = getattr(sheet, "_worksheet_path", None)
    if path is None:
        return 0
    last = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as member:
        tail = b""
        while chunk := member.read(64 * 1024):
            text = tail + chunk
            for letters in set(CELL_REFERENCE.findall(text)):
                last = max(last, column_number(letters.decode()))
            tail = text[-256:]
    return last


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# --------------------------------------------------------------------------------------------
# Formulas whose file stores no computed value


class UncomputedFormula(str):
    """An XLSX formula (its text, `=1+1`) whose file stores no computed value: refused, since
    reading it as an empty cell would silently clear the field."""


FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def formula_workbook(data: bytes, sheet):
    """The workbook opened again for its formulas when its first sheet has any, else None
    (most files have none: they are read once)."""
    path = getattr(sheet, "_worksheet_path", None)
    if path is not None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as member:
            tail = b""
            while chunk := member.read(64 * 1024):
                if FORMULA_TAG.search(tail + chunk):
                    break
                tail = chunk[-32:]
            else:
                return None
    return load_workbook(io.BytesIO(data), read_only=True, data_only=False)


def stored_values(cells, data: bytes, sheet, text_results: set | None) -> tuple[list, set | None]:
    """The values of a row of read-only `cells` of `sheet`, with "" for a formula whose stored
    result is empty text (`=IF(D3="","",D3)`): Excel and LibreOffice store it as
    `<c t="str"><f>…</f><v></v></c>`, which openpyxl reads as None, like a formula with no
    result at all (openpyxl's own, with no `t="str"`). `text_results` (formula_text_results(),
    read at the first such cell) goes in and comes back out for the next row."""
    values = [cell.value for cell in cells]
    for index, cell in enumerate(cells):
        if cell.value is None and getattr(cell, "data_type", None) == "str":
            if text_results is None:
                text_results = formula_text_results(data, sheet)
            if (cell.row, cell.column) in text_results:
                values[index] = ""
    return values, text_results


CELL_NAME = re.compile(r"([A-Z]{1,3})([0-9]+)")


def formula_text_results(data: bytes, sheet) -> set[tuple[int, int]]:
    """(row, column) of the formula cells of `sheet` typed as text (`t="str"`) that store a
    result, even an empty one (`<v></v>`). The XML declares no DOCTYPE (xlsx_problem)."""
    path = getattr(sheet, "_worksheet_path", None)
    found: set[tuple[int, int]] = set()
    if path is None:
        return found
    row = column = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as member:
        for event, element in DefusedElementTree.iterparse(member, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":  # a row or cell without a reference follows the previous one
                    row, column = int(element.get("r") or row + 1), 0
                continue
            if tag == "row":
                element.clear()
            elif tag == "c":
                match = CELL_NAME.fullmatch(element.get("r") or "")
                row, column = (
                    (int(match[2]), column_number(match[1])) if match else (row, column + 1)
                )
                children = {_local(child.tag) for child in element}
                if element.get("t") == "str" and {"f", "v"} <= children:
                    found.add((row, column))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def mark_uncomputed(cells: list, values, formulas, recalculated: bool) -> None:
    """Turn into UncomputedFormula each formula cell whose file stores no computed value: none
    at all (openpyxl), or the 0 that writers such as XlsxWriter store for a workbook that asks
    to be recalculated when opened (`fullCalcOnLoad`)."""
    for index, formula in enumerate(formulas):
        text = getattr(formula, "text", formula)  # an array formula's text
        if not (isinstance(text, str) and text.startswith("=")) or index >= len(cells):
            continue
        value = values[index]
        if value is None or (recalculated and value == 0 and not isinstance(value, bool)):
            cells[index] = UncomputedFormula(text)
