"""The staff's benchmark tables as XLSX (issue 17 point 4): sheet `PhanBoDiem`, the distribution of
the scores per VSIC division and product unit, and sheet `DanhSachDanhGia`, the high-pollution-
risk facilities in the bottom quartile (`reports.sector_scores`). Numbers are real numbers with a
number format; text a spreadsheet could take for a formula is written as quoted text
(`xlsx.cell`, the check of every export)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..sector_scores import SectorScores, band_labels
from .xlsx import WHOLE, cell, number

SHEET_DISTRIBUTION = "PhanBoDiem"
SHEET_TARGETS = "DanhSachDanhGia"
QUARTILE = "0.00"
INTENSITY = "0.000000"


def _header(sheet, labels) -> None:
    bold = Font(bold=True)
    cells = []
    for label in labels:
        item = WriteOnlyCell(sheet, value=str(label))
        item.font = bold
        cells.append(item)
    sheet.append(cells)


def score_xlsx(scores: SectorScores) -> bytes:
    workbook = Workbook(write_only=True)
    _distribution(workbook.create_sheet(SHEET_DISTRIBUTION), scores)
    _targets(workbook.create_sheet(SHEET_TARGETS), scores)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _distribution(sheet, scores: SectorScores) -> None:
    _header(
        sheet,
        [
            _("Năm"),
            _("Mã ngành (VSIC cấp 2)"),
            _("Tên ngành"),
            _("Ngành ưu tiên"),
            _("Đơn vị sản phẩm"),
            _("Số cơ sở"),
            _("Điểm thấp nhất"),
            _("Tứ phân vị thứ nhất"),
            _("Trung vị"),
            _("Tứ phân vị thứ ba"),
            _("Điểm cao nhất"),
            *band_labels(),
        ],
    )
    for group in scores.groups:
        sheet.append(
            [
                number(sheet, scores.year, "0"),
                cell(sheet, group.division),
                cell(sheet, group.division_name),
                _("Có") if group.priority else _("Không"),
                cell(sheet, group.unit),
                number(sheet, group.facilities, WHOLE),
                number(sheet, group.minimum, WHOLE),
                number(sheet, group.q1, QUARTILE),
                number(sheet, group.median, QUARTILE),
                number(sheet, group.q3, QUARTILE),
                number(sheet, group.maximum, WHOLE),
                *(number(sheet, count, WHOLE) for count in group.bands),
            ]
        )


def _targets(sheet, scores: SectorScores) -> None:
    _header(
        sheet,
        [
            _("Năm"),
            _("Mã số thuế"),
            _("Tên cơ sở"),
            _("Địa chỉ"),
            _("Mã ngành (VSIC cấp 2)"),
            _("Đơn vị sản phẩm"),
            _("Điểm"),
            _("Số cơ sở so sánh"),
            _("Suất tiêu hao (TOE/đơn vị SP)"),
        ],
    )
    for target in scores.targets:
        facility = target.facility
        sheet.append(
            [
                number(sheet, scores.year, "0"),
                cell(sheet, facility.tax_code),
                cell(sheet, facility.name),
                cell(sheet, facility.address),
                cell(sheet, target.division),
                cell(sheet, target.unit),
                number(sheet, target.score, WHOLE),
                number(sheet, target.peers, WHOLE),
                number(sheet, target.intensity, INTENSITY),
            ]
        )
