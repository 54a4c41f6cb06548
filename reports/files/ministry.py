"""The Ministry's table (issue 15 point 5): the province's cleaner-production results of a year in
ONE sheet, `TongHopBCT`, as the Ministry of Industry and Trade compiles them from every province:
I. the indicators with their national codes (AWARE_PCT …), the year's milestone and the period's
target; II. assessments by kind; III. options by category (proposed in the year's assessments,
done in the year, investment and saving); IV. what the options done in the year save by carrier
(kWh, tonnes, litres, 1000 m³, then TOE and tCO₂; water m³; materials t); V. funding by source
(programme activities by budget source, assessment support by its stated source).

Built with the annual report (`reports.scheduling.reports_schedule_annual`), as a Report of kind
MINISTRY_TABLE in XLSX only. In a national installation each province's table (`Report.province`)
reads that province's data only; the national one ("") the whole country's. Numbers are real
numbers with number formats (percentages as 45.5, not 0.455); text a spreadsheet could take for a
formula is written as quoted text.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from assessments.models import (
    ConversionFactor,
    Option,
    OptionCategory,
)
from assessments.option_metrics import tco2_whole
from core.numbers import round_half_up
from core.spreadsheets import looks_like_formula
from core.text import printable
from reports.indicators import compute_indicators
from reports.models import is_national_document
from reports.reporting import Reporting, reporting_for

from .activities import (
    AssessmentRow,
    Funding,
    assessment_rows,
    assessment_total,
    assessments_of_year,
    carrier_savings,
    done_option_totals,
    done_options,
    funding,
)
from .content import IndicatorRow, Progress, _indicator_row
from .issuer import issuer
from .numbers import value_places
from .pdf import target_text
from .xlsx import actual_format

SHEET = "TongHopBCT"
WHOLE = "#,##0"
ONE_PLACE = "#,##0.0"
THREE_PLACES = "#,##0.000"


@dataclass(frozen=True)
class CategoryRow:
    number: int  # 1–8 (DOMAIN.md)
    name: str
    group: str
    proposed: int  # options of the year's approved assessments
    done: int  # options done in the year
    investment_vnd: int  # of the options done in the year
    saving_vnd: int


@dataclass(frozen=True)
class SavingRow:
    name: str
    unit: str
    amount: Decimal
    toe: Decimal | None = None
    tco2: Decimal | None = None


@dataclass
class MinistryTable:
    year: int
    province: str
    period_name: str
    operating: int
    reporting: Reporting
    indicators: list[IndicatorRow]
    assessments: list[AssessmentRow] = field(default_factory=list)
    # Distinct facilities: one with two assessments of the year counts once.
    assessments_total: AssessmentRow | None = None
    categories: list[CategoryRow] = field(default_factory=list)
    savings: list[SavingRow] = field(default_factory=list)
    # The same computation as the documents' section I.2 (activities.funding).
    funding: Funding = field(default_factory=lambda: Funding([], []))


def gather(year: int, province: str = "") -> MinistryTable:
    """The table of `province` (Report.province: a national installation's 2025 province, ""
    the installation's own or, in a national installation, the whole country)."""
    scope = province or None
    results = compute_indicators(year, grouped=False, province=scope)
    reporting = reporting_for(results)
    if is_national_document(province):
        name = _("Cả nước")
    else:
        name = issuer(timezone.localdate(), province).province
    return MinistryTable(
        year=year,
        province=name,
        period_name=results.period.name if results.period else "",
        operating=results.operating,
        reporting=reporting,
        indicators=[_indicator_row(result, reporting) for result in results.results],
        assessments=assessment_rows(year, scope),
        assessments_total=assessment_total(year, scope),
        categories=category_rows(year, scope),
        savings=saving_rows(year, scope),
        funding=funding(year, scope),
    )


def category_rows(year: int, province: str | None = None) -> list[CategoryRow]:
    proposed = dict(
        Option.objects.filter(assessment__in=assessments_of_year(year, province))
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
    )
    done = {
        row["category"]: row
        for row in done_options(year, province)
        .order_by()
        .values("category")
        .annotate(n=Count("id"), investment=Sum("investment_vnd"), saving=Sum("annual_saving_vnd"))
    }
    rows = []
    for category in OptionCategory:
        finished = done.get(category.value, {})
        rows.append(
            CategoryRow(
                number=category.value,
                name=str(category.label),
                group=str(category.group.label),
                proposed=proposed.get(category.value, 0),
                done=finished.get("n", 0),
                investment_vnd=finished.get("investment") or 0,
                saving_vnd=finished.get("saving") or 0,
            )
        )
    return rows


def saving_rows(year: int, province: str | None = None) -> list[SavingRow]:
    """Each carrier in its own unit with its TOE and tCO₂, then water and materials."""
    totals = done_option_totals(year, province)
    names = {
        carrier: (name, unit)
        for carrier, name, unit in ConversionFactor.objects.values_list("carrier", "name", "unit")
    }
    rows = []
    for saving in carrier_savings(totals, year):
        name, unit = names.get(saving.carrier, (saving.carrier, ""))
        rows.append(SavingRow(name, unit, saving.amount, saving.toe, saving.tco2))
    rows.append(SavingRow(_("Nước"), "m³", Decimal(totals["water_saving_m3"] or 0)))
    rows.append(SavingRow(_("Nguyên vật liệu"), _("tấn"), Decimal(totals["material"] or 0)))
    return rows


# --- the workbook --------------------------------------------------------------------------------


def write_ministry_xlsx(table: MinistryTable, path: Path, progress: Progress) -> None:
    progress(50)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    writer = _Writer(sheet)
    writer.title(
        _("BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN SẢN XUẤT SẠCH HƠN TRONG CÔNG NGHIỆP NĂM %(year)s")
        % {"year": table.year}
    )
    writer.row([_("Tỉnh, thành phố"), table.province])
    writer.row([_("Kỳ kế hoạch"), table.period_name])
    writer.row([_("Số cơ sở SXCN hoạt động trong năm"), (table.operating, WHOLE)])
    writer.row([_("Số báo cáo năm đã được duyệt"), (table.reporting.reports, WHOLE)])
    writer.row([_("Tỷ lệ báo cáo (%)"), (_pct(table.reporting.rate), ONE_PLACE)])
    _indicators(writer, table)
    _assessments(writer, table)
    _categories(writer, table)
    _savings(writer, table)
    _funding(writer, table)
    for letter, width in zip("ABCDEFGHIJ", (6, 16, 48, 12, 14, 14, 14, 12, 12, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    progress(90)
    workbook.save(str(path))
    progress(95)


def _indicators(writer: "_Writer", table: MinistryTable) -> None:
    writer.section(_("I. CÁC CHỈ TIÊU"))
    writer.header(
        [
            _("STT"),
            _("Mã chỉ tiêu"),
            _("Chỉ tiêu"),
            _("Đơn vị"),
            _("Mục tiêu năm"),
            _("Mục tiêu giai đoạn"),
            _("Kết quả"),
            _("Tử số"),
            _("Mẫu số"),
            _("Đánh giá"),
        ]
    )
    for number, row in enumerate(table.indicators, start=1):
        # The value as the annual report writes it (value_places): a percentage one decimal,
        # any other value as entered, two decimals at most.
        actual = None if row.no_data else _number(row.actual, value_places(row.actual, row.unit))
        writer.row(
            [
                (number, WHOLE),
                row.code,
                row.name,
                row.unit,
                _target(row.milestone),
                _target(row.period_target),
                (actual, actual_format(row.unit, row.actual)),
                (row.numerator, WHOLE),
                (row.denominator, WHOLE),
                row.status_label,
            ]
        )


def _assessments(writer: "_Writer", table: MinistryTable) -> None:
    writer.section(_("II. ĐÁNH GIÁ SXSH TẠI CƠ SỞ (đã duyệt, trong năm)"))
    writer.header(
        [
            _("STT"),
            _("Loại đánh giá"),
            "",
            _("Số đánh giá"),
            _("Số cơ sở"),
            _("Chi phí tư vấn (đồng)"),
            _("Kinh phí hỗ trợ (đồng)"),
        ]
    )
    for number, row in enumerate(table.assessments, start=1):
        writer.row(
            [
                (number, WHOLE),
                row.kind,
                "",
                (row.count, WHOLE),
                (row.facilities, WHOLE),
                (row.cost_vnd, WHOLE),
                (row.support_vnd, WHOLE),
            ]
        )
    total = table.assessments_total
    if total is not None:
        writer.row(
            [
                "",
                _("Tổng cộng"),
                "",
                (total.count, WHOLE),
                (total.facilities, WHOLE),
                (total.cost_vnd, WHOLE),
                (total.support_vnd, WHOLE),
            ],
            bold=True,
        )


def _categories(writer: "_Writer", table: MinistryTable) -> None:
    writer.section(_("III. GIẢI PHÁP SXSH THEO NHÓM"))
    writer.header(
        [
            _("STT"),
            _("Nhóm giải pháp"),
            _("Thuộc nhóm"),
            _("Số giải pháp đề xuất"),
            _("Số giải pháp đã thực hiện trong năm"),
            _("Vốn đầu tư (đồng)"),
            _("Tiết kiệm hằng năm (đồng)"),
        ]
    )
    for row in table.categories:
        writer.row(
            [
                (row.number, WHOLE),
                row.name,
                row.group,
                (row.proposed, WHOLE),
                (row.done, WHOLE),
                (row.investment_vnd, WHOLE),
                (row.saving_vnd, WHOLE),
            ]
        )
    writer.total(table.categories, {3: "proposed", 4: "done", 5: "investment_vnd", 6: "saving_vnd"})


def _savings(writer: "_Writer", table: MinistryTable) -> None:
    writer.section(_("IV. TIẾT KIỆM HẰNG NĂM CỦA CÁC GIẢI PHÁP ĐÃ THỰC HIỆN TRONG NĂM"))
    writer.header([_("STT"), _("Dạng"), _("Đơn vị"), _("Lượng tiết kiệm"), _("TOE"), _("tCO₂")])
    for number, row in enumerate(table.savings, start=1):
        writer.row(
            [
                (number, WHOLE),
                row.name,
                row.unit,
                (_number(row.amount, 3), "#,##0.###"),
                (_number(row.toe, 3), THREE_PLACES),
                (_number(row.tco2, 3), THREE_PLACES),
            ]
        )
    energy = [row for row in table.savings if row.toe is not None]
    writer.row(
        [
            "",
            _("Tổng năng lượng"),
            "TOE / tCO₂",
            "",
            (_number(sum((row.toe for row in energy), Decimal(0)), 3), THREE_PLACES),
            # No total when a carrier has no figure (no grid factor of the year): a sum
            # leaving electricity out would read as the whole.
            (_number(tco2_whole(row.tco2 for row in energy), 3), THREE_PLACES),
        ],
        bold=True,
    )


def _funding(writer: "_Writer", table: MinistryTable) -> None:
    writer.section(_("V. KINH PHÍ THEO NGUỒN (đồng)"))
    writer.header([_("STT"), _("Nguồn kinh phí"), _("Nội dung"), _("Số tiền (đồng)")])
    rows = [(row, _("Hoạt động của chương trình")) for row in table.funding.activities] + [
        (row, _("Hỗ trợ đánh giá SXSH")) for row in table.funding.support
    ]
    for number, (row, use) in enumerate(rows, start=1):
        writer.row([(number, WHOLE), row.source, use, (row.amount_vnd, WHOLE)])
    writer.row(["", _("Tổng cộng"), "", (table.funding.total_vnd, WHOLE)], bold=True)


def _target(target: str) -> str | None:
    """A target as the dashboard and the documents write it ("7,4–12"; `pdf.target_text`), text
    for people to read (the province's XLSX keeps the plan's "8-13": DESIGN §5); none: empty."""
    return target_text(target) if target else None


def _number(value, places: int):
    """A Decimal as a number cell value, rounded half up (core.numbers); None stays empty."""
    rounded = round_half_up(value, places)
    if rounded is None:
        return None
    return int(rounded) if rounded == rounded.to_integral() else float(rounded)


def _pct(value):
    return _number(value, 1)


class _Writer:
    """Appends rows to the one sheet; a value `(number, format)` gets that number format."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.line = 0

    def title(self, text: str) -> None:
        self.row([text], bold=True, size=13)

    def section(self, text: str) -> None:
        self.line += 1  # a blank row before each part
        self.row([text], bold=True)

    def header(self, labels: list[str]) -> None:
        self.row(labels, bold=True, wrap=True)

    def total(self, rows: list, columns: dict[int, str]) -> None:
        values: list = ["", _("Tổng cộng")] + [""] * (max(columns) - 1)
        for index, name in columns.items():
            values[index] = (sum(getattr(row, name) for row in rows), WHOLE)
        self.row(values, bold=True)

    def row(self, values: list, *, bold=False, size=None, wrap=False) -> None:
        self.line += 1
        for column, value in enumerate(values, start=1):
            number_format = None
            if isinstance(value, tuple):
                value, number_format = value
            value = printable(value)
            if value is None or value == "":
                continue
            cell = self.sheet.cell(row=self.line, column=column, value=value)
            if number_format and not isinstance(value, str):
                cell.number_format = number_format
            if looks_like_formula(value):
                cell.data_type = "s"
                cell.quotePrefix = True
            if bold or size:
                cell.font = Font(bold=bold, size=size)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
