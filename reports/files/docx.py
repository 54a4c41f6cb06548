"""The DOCX report (python-docx): the PDF's document, editable in Word before signing.

The form of Nghị định 30/2020/NĐ-CP (Phụ lục I): A4, margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman 13 pt (tables 11 pt); the two-column heading with its rules; page
numbers (a PAGE field) centred in the header from page 2 ("different first page"). Vietnamese
names and STT only — no internal codes (the XLSX keeps them). The PDF's charts are left out:
Word users draw them as they like from the tables.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from core.text import printable

from ..narrative import placeholder
from .content import Progress, ReportContent, reporting_text
from .docx_setup import BODY_PT, FONT, no_borders, page_setup, properties, rule_below
from .heads import breakdown_heads
from .numbers import NO_VALUE, fmt_decimal, fmt_int, fmt_ratio, fmt_value
from .pdf import (
    annex_row,
    funding_rows,
    half_year_notes,
    physical_rows,
    target_text,
    trend_note,
)

TABLE_PT = 11
# "Tình hình chung" (STT, label, figure) over the 165 mm between the margins: the labels keep a
# readable column when a figure is a sentence (the overall assessment of a year without
# approved reports), which Word's autofit would otherwise widen at the labels' expense.
SUMMARY_WIDTHS = (Mm(12), Mm(95), Mm(58))

SECTION_TITLES = (
    gettext_lazy("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN"),
    gettext_lazy("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
    gettext_lazy("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
    gettext_lazy("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI"),
    gettext_lazy("V. KIẾN NGHỊ, ĐỀ XUẤT"),
)
# The half-year report's section IV: the tasks of the rest of the year.
HALF_YEAR_DIRECTION = gettext_lazy("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM")


def write_docx(content: ReportContent, path: Path, progress: Progress) -> None:
    document = Document()
    page_setup(document)
    properties(document, content)
    _heading(document, content)
    _title(document, content)
    _section(document, SECTION_TITLES[0])
    _caption(document, "1. " + _("Tình hình chung"))
    summary = _table(
        document,
        [_("STT"), _("Nội dung"), _("Số liệu")],
        [[str(n), a, b] for n, (a, b) in enumerate(content.summary, start=1)],
        numeric_from=2,
    )
    _fixed_widths(summary, SUMMARY_WIDTHS)
    _activities(document, content)
    progress(65)
    _section(document, SECTION_TITLES[1])
    _indicators(document, content)
    number = 2
    if content.trend_years:
        _trend(document, content, number)
        number += 1
    _caption(
        document, f"{number}. " + _("Kết quả về tiết kiệm năng lượng, tài nguyên và giảm phát thải")
    )
    _table(
        document,
        [_("STT"), _("Nội dung"), _("Đơn vị"), _("Kết quả")],
        [[str(n), *row] for n, row in enumerate(physical_rows(content), start=1)],
        numeric_from=3,
    )
    if options_note := half_year_notes(content)[1]:
        _note(document, options_note)
    _caption(document, f"{number + 1}. " + _("Các nhóm cơ sở ưu tiên"))
    _breakdown(document, content.priority, _("Nhóm cơ sở"), content)
    _caption(document, f"{number + 2}. " + _("Kết quả theo địa bàn"))
    for table in content.by_place:
        _note(document, table.caption)
        _breakdown(document, table.rows, table.first, content)
    _caption(document, f"{number + 3}. " + _("Kết quả theo ngành sản xuất"))
    _breakdown(document, content.by_sector, _("Ngành (VSIC cấp 2)"), content)
    progress(80)
    titles = list(SECTION_TITLES[2:])
    if content.half:
        titles[1] = HALF_YEAR_DIRECTION
    for title, blocks in zip(
        titles,
        (
            content.narrative.shortcomings,
            content.narrative.direction,
            content.narrative.recommendations,
        ),
        strict=True,
    ):
        _section(document, title)
        _narrative(document, blocks, national=content.national)
    if content.national:
        _body(document, _("Bộ Công Thương báo cáo để các cơ quan biết, chỉ đạo./."))
    else:
        _body(document, _("Sở Công Thương báo cáo để các cơ quan biết, chỉ đạo./."))
    _signature(document, content)
    _annex(document, content)
    document.save(str(path))
    progress(95)


def _heading(document, content: ReportContent) -> None:
    heading = content.heading
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    left, right = table.rows[0].cells
    # The grid too: a reader that lays the table out from w:tblGrid (LibreOffice) would otherwise
    # split it in halves and wrap the Quốc hiệu.
    for column, cell, width in ((0, left, Mm(65)), (1, right, Mm(100))):
        table.columns[column].width = cell.width = width
    _centred(left, heading.superior, size=12)
    body = _centred(left, heading.issuing_body, bold=True, size=12)
    _short_rule(body, Cm(1.2))
    _centred(left, heading.number, size=13)
    _centred(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    motto = _centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _short_rule(motto, Cm(1.9))
    _centred(right, heading.place_and_date, italic=True, size=13)
    for cell in (left, right):
        first = cell.paragraphs[0]
        if not first.text:
            first._element.getparent().remove(first._element)


def _short_rule(paragraph, indent) -> None:
    """A rule under the paragraph, shortened by indenting the paragraph on both sides."""
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_after = Pt(6)
    rule_below(paragraph)


def _centred(cell, text: str, *, bold=False, italic=False, size=13):
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(printable(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _title(document, content: ReportContent) -> None:
    for text, space in ((_("BÁO CÁO"), 12), (content.title, 0)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(space)
        paragraph.paragraph_format.space_after = Pt(0 if space else 12)
        run = paragraph.add_run(printable(text))
        run.bold, run.font.size = True, Pt(14)
    if content.period_name and content.national:
        _body(
            document,
            _("Thực hiện %s, Bộ Công Thương báo cáo kết quả như sau:") % content.period_name,
        )
    elif content.period_name:
        _body(
            document,
            _("Thực hiện %s, Sở Công Thương báo cáo kết quả như sau:") % content.period_name,
        )


def _body(document, text: str):
    paragraph = document.add_paragraph(printable(text))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    return paragraph


def _section(document, title) -> None:
    document.add_heading(printable(str(title)), level=2)


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(printable(str(text)))
    run.bold, run.italic = True, True


def _note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(printable(str(text)))
    run.italic, run.font.size = True, Pt(TABLE_PT)


def _table(document, header: list[str], rows: list[list[str]], numeric_from: int = 1):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = printable(str(text))
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = printable(str(text))
            if index == 0 and header[0] == _("STT"):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif index >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_PT)
                    run.font.name = FONT
    return table


def _fixed_widths(table, widths) -> None:
    """Fixed column widths (w:tblLayout fixed): in the grid, which LibreOffice lays the table out
    from, and in every cell, which Word reads."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _activities(document, content: ReportContent) -> None:
    caption = (
        _("Các hoạt động của chương trình 6 tháng đầu năm %s")
        if content.half
        else _("Các hoạt động của chương trình năm %s")
    )
    _caption(document, "2. " + caption % content.year)
    _body(
        document,
        _(
            "Các hoạt động truyền thông, đào tạo, hỗ trợ kỹ thuật và mô hình trình diễn, số người "
            "tham gia và kinh phí theo nguồn (đồng):"
        ),
    )
    header = [
        _("STT"),
        _("Loại hoạt động"),
        _("Số hoạt động"),
        _("Số cơ sở"),
        _("Số người"),
        _("Ngân sách tỉnh"),
        _("Khuyến công quốc gia"),
        _("Doanh nghiệp"),
        _("Nguồn khác"),
        _("Tổng"),
    ]
    kinds = content.programme.kinds
    rows = [_kind_row(str(n), row) for n, row in enumerate(kinds, start=1)]
    if content.programme.total:  # distinct facilities: one in two kinds counts once
        rows.append(_kind_row("", content.programme.total))
    _table(document, header, rows, numeric_from=2)
    if note := content.programme.activities_note:
        _note(document, note)
    if not content.activities:
        if content.half:
            _body(document, _("Không có hoạt động nào trong 6 tháng đầu năm."))
        else:
            _body(document, _("Không có hoạt động nào trong năm."))
    else:
        _activity_list(document, content)
    _assessments(document, content)
    _body(document, _("Kinh phí theo nguồn của các hoạt động và hỗ trợ đánh giá SXSH (đồng):"))
    header = [_("STT"), _("Nguồn kinh phí"), _("Nội dung"), _("Số tiền (đồng)")]
    total = ["", _("Tổng cộng"), "", fmt_int(content.programme.funding.total_vnd)]
    _table(document, header, [*funding_rows(content), total], numeric_from=3)


def _kind_row(number: str, row) -> list[str]:
    values = (
        row.count,
        row.facilities,
        row.people,
        row.province_vnd,
        row.national_vnd,
        row.enterprise_vnd,
        row.other_vnd,
        row.total_vnd,
    )
    return [number, row.kind, *(fmt_int(value) for value in values)]


def _assessments(document, content: ReportContent) -> None:
    if content.half:
        text = _(
            "Đánh giá SXSH tại cơ sở đã được Sở duyệt trong 6 tháng đầu năm, chi phí tư vấn và "
            "kinh phí hỗ trợ (đồng):"
        )
    else:
        text = _(
            "Đánh giá SXSH tại cơ sở đã được Sở duyệt trong năm, chi phí tư vấn và kinh phí hỗ "
            "trợ (đồng):"
        )
    _body(document, text)
    header = [
        _("STT"),
        _("Loại đánh giá"),
        _("Số đánh giá"),
        _("Số cơ sở"),
        _("Chi phí tư vấn (đồng)"),
        _("Kinh phí hỗ trợ (đồng)"),
    ]
    programme = content.programme
    numbered = [(str(n), row) for n, row in enumerate(programme.assessments, start=1)]
    rows = [
        [number, row.kind]
        + [fmt_int(v) for v in (row.count, row.facilities, row.cost_vnd, row.support_vnd)]
        for number, row in [*numbered, ("", programme.assessments_total)]
    ]
    _table(document, header, rows, numeric_from=2)
    if note := programme.assessments_note:
        _note(document, note)


def _activity_list(document, content: ReportContent) -> None:
    header = [
        _("STT"),
        _("Ngày"),
        _("Loại hoạt động"),
        _("Tên hoạt động"),
        _("Địa bàn"),
        _("Số cơ sở"),
        _("Số người"),
        _("Kinh phí (đồng)"),
    ]
    rows = [
        [
            str(n),
            row.day.strftime("%d/%m/%Y"),
            row.kind,
            row.title,
            row.district,
            fmt_int(row.facilities),
            fmt_int(row.people),
            fmt_int(row.budget_vnd),
        ]
        for n, row in enumerate(content.activities, start=1)
    ]
    _table(document, header, rows, numeric_from=5)
    total = fmt_int(sum(row.budget_vnd for row in content.activities))
    _body(document, _("Tổng kinh phí: %s đồng.") % total)


def _indicators(document, content: ReportContent) -> None:
    _caption(document, "1. " + _("Kết quả thực hiện các chỉ tiêu"))
    rate = _(
        "Tỷ lệ báo cáo năm %(year)s (số báo cáo năm đã được Sở duyệt/số cơ sở SXCN hoạt động "
        "trong năm): %(rate)s."
    ) % {"year": content.year, "rate": reporting_text(content.reporting)}
    if not content.judged:
        rate += " " + _(
            "Chưa có báo cáo năm nào được duyệt: các chỉ tiêu tính trên báo cáo của năm chưa có "
            "số liệu, chưa đánh giá được mức đạt."
        )
    _body(document, rate)
    _body(document, content.coverage)
    header = [
        _("STT"),
        _("Chỉ tiêu"),
        _("Đơn vị"),
        _("Mốc năm %s") % content.year,
        _("Chỉ tiêu đến năm cuối kỳ"),
        _("Thực hiện"),
        _("Tử số/Mẫu số"),
        _("Đánh giá"),
    ]
    rows = [
        [
            str(n),
            row.name,
            row.unit,
            target_text(row.milestone),
            target_text(row.period_target),
            NO_VALUE if row.no_data else fmt_value(row.actual, row.unit),
            fmt_ratio(row.numerator, row.denominator),
            row.status_label,
        ]
        for n, row in enumerate(content.indicators, start=1)
    ]
    _table(document, header, rows, numeric_from=3)
    _note(
        document,
        _(
            "Chỉ tính dữ liệu đã được Sở duyệt. Với chỉ tiêu tiết kiệm năng lượng, tử số là số cơ "
            "sở đạt mức tiết kiệm từ 8 % trở lên, mẫu số là số cơ sở có đủ số liệu năm gốc và năm "
            "báo cáo."
        ),
    )
    if content.without_milestone:
        _note(
            document,
            _(
                "Chỉ tiêu không có mốc năm %(year)s (ghi –) được đánh giá so với chỉ tiêu đến năm "
                "%(end)s."
            )
            % {"year": content.year, "end": content.period_end},
        )
    for note in content.summed_notes:
        _note(document, note)
    if indicators_note := half_year_notes(content)[0]:
        _note(document, indicators_note)


def _trend(document, content: ReportContent, number: int) -> None:
    _caption(document, f"{number}. " + _("Diễn biến qua các năm của giai đoạn"))
    header = [_("STT"), _("Chỉ tiêu"), *[str(year) for year in content.trend_years]]
    rows = [
        [str(n), row.name, *[fmt_value(v, row.unit) for v in row.values]]
        for n, row in enumerate(content.trend, start=1)
    ]
    _table(document, header, rows, numeric_from=2)
    if note := trend_note(content):
        _note(document, note)


def _breakdown(document, rows, first: str, content: ReportContent) -> None:
    header = [
        _("STT"),
        first,
        _("Số cơ sở"),
        *breakdown_heads(content),
    ]
    body = []
    for n, row in enumerate(rows, start=1):
        values = [str(n), row.label, fmt_int(row.operating)]
        for code in content.computed_codes:
            # An average (water saving) has a value but no count: the value alone, as the PDF.
            figure = row.values.get(code)
            ratio = fmt_ratio(figure.numerator, figure.denominator) if figure else ""
            actual = fmt_decimal(row.shown(code))
            values.append(f"{actual} ({ratio})" if ratio else actual)
        body.append(values)
    _table(document, header, body, numeric_from=2)


def _narrative(document, blocks, *, national: bool) -> None:
    if not blocks:
        paragraph = _body(document, placeholder(national=national))
        paragraph.runs[0].italic = True
        return
    for block in blocks:
        if block.kind == "list":
            for item in block.items:
                _body(document, f"- {item}")
        else:
            _body(document, block.text)


def _signature(document, content: ReportContent) -> None:
    signature = document.add_table(rows=1, cols=2)
    no_borders(signature)
    left, right = signature.rows[0].cells
    label = left.paragraphs[0]
    run = label.add_run(_("Nơi nhận:"))
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    label.paragraph_format.space_after = Pt(0)
    for line in content.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(printable(line)).font.size = Pt(11)
    first = right.paragraphs[0]
    for index, line in enumerate(content.signer.lines):
        paragraph = first if index == 0 else right.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(printable(line))
        run.bold, run.font.size = True, Pt(BODY_PT)
    for _blank in range(4):
        right.add_paragraph().paragraph_format.space_after = Pt(0)
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run(printable(content.signer.name))
    run.bold, run.font.size = True, Pt(BODY_PT)


def _annex(document, content: ReportContent) -> None:
    document.add_page_break()
    for text in (_("PHỤ LỤC"), _("Danh sách cơ sở SXCN hoạt động năm %s") % content.year):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(printable(text))
        run.bold = True
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run(printable(_("(Kèm theo Báo cáo %s)") % content.title)).italic = True
    header = [
        _("STT"),
        _("Tên cơ sở"),
        content.annex_place_heading,
        _("Mã ngành VSIC"),
        _("Nhận thức SXSH"),
        _("Áp dụng SXSH"),
    ]
    rows = [annex_row(n, row) for n, row in enumerate(content.annex, start=1)]
    _table(document, header, rows, numeric_from=len(header))
    if content.annex_truncated:
        _note(
            document,
            _(
                "Phụ lục liệt kê %(shown)s/%(total)s cơ sở đầu tiên; danh sách đầy đủ có trong tệp "
                "Excel (XLSX) của báo cáo."
            )
            % {"shown": len(content.annex), "total": content.operating},
        )
