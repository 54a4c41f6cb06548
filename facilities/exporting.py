"""Facility export (CSV/XLSX) and the import template.

The export's row 1 holds the import column keys, so an exported file imports back unchanged.
Cells that a spreadsheet could take for a formula (text starting with =, +, -, @, tab or CR) get
a leading `'` in both formats (core.spreadsheets.escape_formula) and are written as text in XLSX;
the import removes that quote.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheets import escape_formula

from .importing import COLUMN_KEYS, COLUMNS

TEXT_FORMAT = "@"
# Columns that must stay text in the template (leading zeros of codes).
TEXT_COLUMNS = ("tax_code", "commune_code", "ward_code", "vsic_code", "contact_phone")


def _number(value: Decimal | None):
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return Decimal(text)


def facility_row(facility) -> list:
    """One facility as import-ready values, in COLUMN_KEYS order (None = empty cell)."""
    return [
        facility.tax_code,
        facility.name,
        facility.address,
        facility.commune.code if facility.commune_id else None,
        facility.ward.code if facility.ward_id else None,
        facility.industry.code,
        facility.industrial_area.name if facility.industrial_area_id else None,
        facility.ownership or None,
        facility.established_year,
        facility.employees,
        _number(facility.revenue_bn_vnd),
        _number(facility.capital_bn_vnd),
        "yes" if facility.high_pollution_risk else "no",
        "yes" if facility.key_energy_user else "no",
        facility.status,
        facility.closed_year,
        facility.contact_name or None,
        facility.contact_phone or None,
        facility.contact_email or None,
    ]


def export_queryset(queryset):
    """Keep the list's order (its sort parameter); name order otherwise."""
    if not queryset.ordered:
        queryset = queryset.order_by("name", "id")
    return queryset.select_related("commune", "ward", "industry", "industrial_area")


def export_csv(queryset) -> bytes:
    """UTF-8 with BOM (Excel then reads Vietnamese correctly), comma-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_KEYS)
    for facility in export_queryset(queryset).iterator(chunk_size=2000):
        writer.writerow([_csv_value(v) for v in facility_row(facility)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    return "" if value is None else str(escape_formula(value))


def _text_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=escape_formula(value))
    cell.data_type = "s"
    return cell


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    return value


def export_xlsx(queryset) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cơ sở SXCN"))
    sheet.append(list(COLUMN_KEYS))
    for facility in export_queryset(queryset).iterator(chunk_size=2000):
        sheet.append([_xlsx_cell(sheet, v) for v in facility_row(facility)])
    return _save(workbook)


def template_xlsx() -> bytes:
    """Empty data sheet with the Vietnamese labels, then a "Hướng dẫn" sheet, one row a column."""
    workbook = Workbook()
    data = workbook.active
    data.title = "DuLieu"
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index, value=column.label)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.key in TEXT_COLUMNS:
            for row in range(2, 502):
                data.cell(row=row, column=index).number_format = TEXT_FORMAT
    data.freeze_panes = "A2"
    _instructions(workbook.create_sheet("Hướng dẫn"))
    return _save(workbook)


def _instructions(sheet) -> None:
    bold = Font(bold=True)
    sheet.append([_("Hướng dẫn nhập danh sách cơ sở SXCN")])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Điền mỗi cơ sở một dòng ở trang tính đầu tiên, từ dòng 2; giữ nguyên dòng tiêu đề."),
        _("Dòng tiêu đề có thể dùng tên cột tiếng Việt dưới đây hoặc mã cột."),
        _("Cơ sở được nhận diện theo mã số thuế: mã mới thì thêm cơ sở, mã đã có thì cập nhật."),
        _("Nếu tệp có bất kỳ lỗi nào thì không dữ liệu nào được ghi; sửa lỗi rồi tải lên lại."),
        _("Ô trống ở cột không bắt buộc sẽ xoá giá trị cũ; bỏ hẳn cột đó thì giữ nguyên."),
        _("Tệp .xlsx hoặc .csv (UTF-8, phân cách bằng dấu phẩy), tối đa 10 MB, 100.000 dòng."),
        _(
            "Địa bàn: ghi mã xã/phường cũ (trước 1/7/2025), mã xã/phường mới (từ 1/7/2025) hoặc "
            "cả hai. Xã cũ nay thuộc nhiều xã/phường mới thì cơ sở vẫn được nhập kèm cảnh báo và "
            "cần chọn xã/phường mới sau."
        ),
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_("Tên cột"), _("Mã cột"), _("Bắt buộc"), _("Giá trị cho phép")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in COLUMNS:
        sheet.append(
            [column.label, column.key, _("có") if column.required else _("không"), str(column.rule)]
        )
    for letter, width in zip("ABCD", (30, 22, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=10):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
