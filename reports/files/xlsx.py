"""The XLSX report (DESIGN §5): sheet `ChiTieu` first, then by place (old districts before 2025,
2025 communes/wards from 2025; by old province too for a merged province), by sector, the
priority groups, the facilities and the options. openpyxl's write-only mode streams rows to
disk, so memory stays flat.

Text that a spreadsheet could take for a formula (starting with =, +, -, @, tab or CR: the one
test of every export, core.spreadsheets.looks_like_formula) is written as a text cell with
Excel's quote prefix: the value is unchanged, and Excel keeps it as text even when the cell is
edited. That is the rule of every XLSX export, written once (core.text.xlsx_cell, `cell` here).

Numbers are real numbers with a number format (as the Ministry's table, reports/files/ministry.py):
counts, VND and other whole numbers `WHOLE`, percentages and payback years (one decimal, rounded
half up) `ONE_PLACE`, so Excel shows 894.500.000 and 45,5 by the user's locale. Text, codes (tax
code, VSIC) and years stay "General": no thousands separator in a year or a code.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment

from core.text import xlsx_cell

from .content import BreakdownRow, Progress, ReportContent
from .numbers import value_places
from .sheets import FACILITY_COLUMNS, OPTION_COLUMNS, facility_rows, option_sheet_rows

INDICATOR_HEADER = ["code", "indicator", "unit", "target", "actual", "numerator", "denominator"]
SHEET_INDICATORS = "ChiTieu"
SHEET_DISTRICTS = "TheoHuyen"  # the place sheets are named by content.PLACE_TABLES
SHEET_SECTORS = "TheoNganh"
SHEET_PRIORITY = "NhomUuTien"
SHEET_FACILITIES = "CoSo"
SHEET_OPTIONS = "GiaiPhap"

# The number formats of the report workbooks (Excel writes them by the user's locale).
WHOLE = "#,##0"
ONE_PLACE = "#,##0.0"
TWO_PLACES = "#,##0.00"

# Per column of the long lists (reports.files.sheets; None: General, for text, codes and years).
FACILITY_FORMATS = (
    *(None,) * 13,  # tax code … has a CP unit
    ONE_PLACE,  # energy saving per unit of product (%), one decimal
    None,  # reaches the saving line ("có"/"không")
)
OPTION_FORMATS = (
    *(None,) * 7,  # tax code … status
    None,  # implementation year
    WHOLE,  # investment (VND)
    WHOLE,  # annual saving (VND)
    ONE_PLACE,  # payback (years), one decimal
)


# A value ready for `sheet.append` (numbers as numbers, dangerous text as quoted text, text without
# the control characters a worksheet cannot hold): the one rule of every XLSX export, core.text.
cell = xlsx_cell


def number(sheet, value, number_format: str | None):
    """`cell(sheet, value)`, a number with `number_format` (None: General)."""
    value = cell(sheet, value)
    if number_format is None or not isinstance(value, int | float) or isinstance(value, bool):
        return value
    formatted = WriteOnlyCell(sheet, value=value)
    formatted.number_format = number_format
    return formatted


def append(sheet, values, formats=()) -> None:
    """A row of `values`, each with its number format in `formats` (missing or None: General)."""
    formats = list(formats) + [None] * (len(values) - len(formats))
    sheet.append([number(sheet, value, kind) for value, kind in zip(values, formats, strict=True)])


def actual_format(unit: str, value) -> str:
    """The number format of an indicator's value, by the one rule of its decimals
    (reports.files.numbers.value_places, as the PDF writes it): percentages with one decimal
    (DESIGN §4); any other value (a manual one, two decimals at most) whole, or two decimals."""
    places = value_places(value, unit)
    if places == 0:
        return WHOLE
    return ONE_PLACE if places == 1 else TWO_PLACES


def write_xlsx(content: ReportContent, path: Path, progress: Progress) -> None:
    workbook = Workbook(write_only=True)
    # The document properties name the issuing body (the heading of the PDF and Word) and the
    # subject: whose figures these are ("UBND TỈNH X – SỞ CÔNG THƯƠNG", "BỘ CÔNG THƯƠNG").
    heading = content.heading
    workbook.properties.creator = " – ".join(
        part for part in (heading.superior, heading.issuing_body) if part
    )
    workbook.properties.title = content.title
    _indicators(workbook.create_sheet(SHEET_INDICATORS), content)
    for table in content.by_place:
        _breakdown(workbook.create_sheet(table.sheet), content, table.rows, table.first)
    _breakdown(workbook.create_sheet(SHEET_SECTORS), content, content.by_sector, _("Ngành"))
    _breakdown(workbook.create_sheet(SHEET_PRIORITY), content, content.priority, _("Nhóm"))
    progress(60)
    province = content.figures_province
    facilities = facility_rows(content.year, province)
    _rows(workbook.create_sheet(SHEET_FACILITIES), FACILITY_COLUMNS, FACILITY_FORMATS, facilities)
    progress(80)
    options = option_sheet_rows(content.year, province)
    _rows(workbook.create_sheet(SHEET_OPTIONS), OPTION_COLUMNS, OPTION_FORMATS, options)
    progress(90)
    workbook.save(str(path))
    progress(95)


def _indicators(sheet, content: ReportContent) -> None:
    sheet.append(INDICATOR_HEADER)
    formats = (None, None, None, None, None, WHOLE, WHOLE)
    for row in content.indicators:
        values = [row.code, row.name, row.unit, row.target, row.actual]
        values += [row.numerator, row.denominator]
        cells = [number(sheet, value, kind) for value, kind in zip(values, formats, strict=True)]
        cells[4] = _actual(sheet, row)
        sheet.append(cells)


def _actual(sheet, row):
    """The `actual` cell in its number format; a national value summed from some provinces'
    own entries carries a note saying so (`IndicatorRow.source_note`), as the PDF and the
    dashboard do, without a column more than the contract's (DESIGN: row 1 of ChiTieu)."""
    actual = number(sheet, row.actual, actual_format(row.unit, row.actual))
    if not row.source_note:
        return actual
    if not isinstance(actual, Cell):
        actual = WriteOnlyCell(sheet, value=actual)
    actual.comment = Comment(row.source_note, _("Cổng SXSH"))
    return actual


def _breakdown(sheet, content: ReportContent, rows: list[BreakdownRow], first: str) -> None:
    header = [first, _("Số cơ sở hoạt động")]
    for code in content.computed_codes:
        header += [code, f"{code} {_('tử số')}", f"{code} {_('mẫu số')}"]
    append(sheet, header)
    # The computed indicators are percentages (reports.figures.COMPUTED_CODES).
    formats = [None, WHOLE] + [ONE_PLACE, WHOLE, WHOLE] * len(content.computed_codes)
    for row in rows:
        values = [row.label, row.operating]
        for code in content.computed_codes:
            figure = row.values.get(code)
            if figure is None:
                values += [None, None, None]
            else:
                values += [figure.actual, figure.numerator, figure.denominator]
        append(sheet, values, formats)


def _rows(sheet, columns, formats, rows) -> None:
    append(sheet, [str(column) for column in columns])
    for values in rows:
        append(sheet, values, formats)
