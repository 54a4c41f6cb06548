"""The facility import template (DESIGN.md §5 "Import files", issue 16 point 7).

Sheets, in order: the data sheet headed with the columns' Vietnamese labels; "Hướng dẫn" (one
row a column: label, key, required, rule); then the lists the data sheet's drop-downs refer to —
the portal province's 2025 communes/wards and the pre-2025 communes of its old provinces, with
their codes (WARDS_SHEET), the VSIC codes of two to five digits (SECTORS_SHEET), and the words of
the enumerated columns and the industrial areas (CHOICES_SHEET). Every word offered is one the
import accepts. A drop-down warns about a value outside its list but lets it stand: the import
checks every cell anyway, and accepts the English words and the column keys as well.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.collation import vietnamese

from . import territory
from .import_columns import COLUMNS
from .models import IndustryCode

DATA_SHEET = "DuLieu"
WARDS_SHEET = "XaPhuong"
SECTORS_SHEET = "NganhVSIC"
CHOICES_SHEET = "LuaChon"
TEMPLATE_ROWS = 500  # data rows formatted and given drop-downs
TEXT_FORMAT = "@"
# Columns that must stay text in the template (leading zeros of codes).
TEXT_COLUMNS = ("tax_code", "commune_code", "ward_code", "vsic_code", "contact_phone")
YES_NO = ("có", "không")
# The enumerated columns and the words offered for them (facilities.import_columns accepts each).
CHOICE_WORDS = {
    "ownership": ("nhà nước", "ngoài nhà nước", "FDI"),
    "high_pollution_risk": YES_NO,
    "key_energy_user": YES_NO,
    "status": ("đang hoạt động", "tạm ngừng", "đã đóng cửa"),
}


def template_xlsx(province: str | None = None) -> bytes:
    """The template workbook (module docstring), a few queries for the lists; the units of
    `province` (territory.province_for(user)), by default the portal's province."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _data_sheet(data)
    _instructions(workbook.create_sheet("Hướng dẫn"))
    lists = {}
    lists.update(_wards_sheet(workbook.create_sheet(WARDS_SHEET), province))
    lists.update(_sectors_sheet(workbook.create_sheet(SECTORS_SHEET)))
    lists.update(_choices_sheet(workbook.create_sheet(CHOICES_SHEET), province))
    _drop_downs(data, lists)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _data_sheet(data) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index, value=column.label)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.key in TEXT_COLUMNS:
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=row, column=index).number_format = TEXT_FORMAT
    data.freeze_panes = "A2"


def _list_sheet(sheet, header: list[str], rows, widths) -> None:
    """A list sheet: bold header, rows written as text (codes keep their leading zeros)."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([str(value) if value is not None else None for value in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _range(sheet, column: int, count: int) -> str | None:
    """The absolute range of `count` values under row 1 of `column`, for a list drop-down."""
    if not count:
        return None
    letter = get_column_letter(column)
    return f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${count + 1}"


def _wards_sheet(sheet, province: str | None) -> dict[str, str | None]:
    """2025 communes/wards in columns A–B; pre-2025 communes in D–H with their old district and
    province and the 2025 units they became."""
    wards = list(territory.wards(province).values_list("code", "name"))
    communes = list(
        territory.old_communes(province)
        .select_related("parent__parent")
        .prefetch_related("successors")
        .order_by("code")
    )
    rows = []
    for index in range(max(len(wards), len(communes))):
        ward = wards[index] if index < len(wards) else (None, None)
        commune = _commune_row(communes[index]) if index < len(communes) else [None] * 5
        rows.append([*ward, None, *commune])
    header = [
        _("Mã xã/phường mới (từ 1/7/2025)"),
        _("Tên xã/phường mới"),
        None,
        _("Mã xã/phường cũ (trước 1/7/2025)"),
        _("Tên xã/phường cũ"),
        _("Huyện cũ"),
        _("Tỉnh cũ"),
        _("Nay thuộc xã/phường mới (mã)"),
    ]
    _list_sheet(sheet, header, rows, (16, 32, 4, 16, 32, 28, 22, 30))
    return {
        "ward_code": _range(sheet, 1, len(wards)),
        "commune_code": _range(sheet, 4, len(communes)),
    }


def _commune_row(commune) -> list:
    district = commune.parent
    province = district.parent if district else None
    successors = ", ".join(sorted(unit.code for unit in commune.successors.all()))
    return [
        commune.code,
        commune.name,
        district.name if district else None,
        province.name if province else None,
        successors or None,
    ]


def _sectors_sheet(sheet) -> dict[str, str | None]:
    codes = [
        (code, name, level)
        for code, name, level in IndustryCode.objects.filter(version="VSIC2018")
        .order_by("code")
        .values_list("code", "name", "level")
        if code.isdigit() and 2 <= len(code) <= 5
    ]
    _list_sheet(sheet, [_("Mã ngành VSIC"), _("Tên ngành"), _("Cấp")], codes, (14, 70, 8))
    return {"vsic_code": _range(sheet, 1, len(codes))}


def _choices_sheet(sheet, province: str | None) -> dict[str, str | None]:
    """One column per enumerated column (headed with its label), then the industrial areas the
    import of `province` accepts (territory.industrial_areas; import_references.References)."""
    labels = {column.key: column.label for column in COLUMNS}
    lists = {key: list(words) for key, words in CHOICE_WORDS.items()}
    # Once each: for every province (ALL), two provinces may each have an area of one name.
    areas = territory.industrial_areas(province).order_by(vietnamese("name"), "pk")
    lists["industrial_area"] = list(dict.fromkeys(areas.values_list("name", flat=True)))
    keys = list(lists)
    longest = max(len(words) for words in lists.values())
    rows = [
        [lists[key][index] if index < len(lists[key]) else None for key in keys]
        for index in range(longest)
    ]
    _list_sheet(sheet, [labels[key] for key in keys], rows, [30] * len(keys))
    return {key: _range(sheet, column, len(lists[key])) for column, key in enumerate(keys, 1)}


def _drop_downs(data, lists: dict[str, str | None]) -> None:
    """A list validation on each column of `lists` that has values, over the template's rows."""
    for index, column in enumerate(COLUMNS, start=1):
        source = lists.get(column.key)
        if not source:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column.label,
            error=_("Giá trị không có trong danh sách; tệp sẽ được kiểm tra khi tải lên."),
            showInputMessage=True,
            promptTitle=column.label,
            prompt=_("Chọn trong danh sách (trang %(sheet)s).")
            % {"sheet": source.split("!")[0].strip("'")},
        )
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        data.add_data_validation(validation)


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
        _(
            "Danh mục: trang %(wards)s liệt kê mã xã/phường mới và cũ của tỉnh, trang "
            "%(sectors)s mã ngành VSIC, trang %(choices)s các lựa chọn; các cột tương ứng có "
            "danh sách thả xuống."
        )
        % {"wards": WARDS_SHEET, "sectors": SECTORS_SHEET, "choices": CHOICES_SHEET},
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_("Tên cột"), _("Mã cột"), _("Bắt buộc"), _("Giá trị cho phép")])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    for column in COLUMNS:
        sheet.append(
            [column.label, column.key, _("có") if column.required else _("không"), str(column.rule)]
        )
    for letter, width in zip("ABCD", (30, 22, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
