"""The DOCX report (python-docx): the sections of the PDF, editable in Word before signing.

Times New Roman 13 pt and the page margins of NĐ 30/2020/NĐ-CP; the charts of the PDF become
tables here (Word users re-draw them as they like).
"""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .content import (
    Progress,
    ReportContent,
    fmt_decimal,
    fmt_int,
    fmt_ratio,
    fmt_value,
)

FONT = "Times New Roman"

SECTION_TITLES = (
    gettext_lazy("I. Tình hình chung"),
    gettext_lazy("II. Kết quả thực hiện các chỉ tiêu"),
    gettext_lazy("III. Diễn biến qua các năm của giai đoạn"),
    gettext_lazy("IV. Kết quả theo địa bàn"),
    gettext_lazy("V. Kết quả theo ngành sản xuất"),
    gettext_lazy("VI. Các hoạt động của chương trình năm %s"),
    gettext_lazy("VII. Đánh giá chung và kiến nghị"),
)


def write_docx(content: ReportContent, path: Path, progress: Progress) -> None:
    document = Document()
    _page_setup(document)
    _heading(document, content)
    _title(document, content)
    _summary(document, content)
    _indicators(document, content)
    progress(65)
    _trend(document, content)
    _places(document, content)
    _section(document, SECTION_TITLES[4])
    _breakdown(document, content.by_sector, _("Ngành (VSIC cấp 2)"), content)
    _caption(document, _("Các nhóm cơ sở ưu tiên"))
    _breakdown(document, content.priority, _("Nhóm cơ sở"), content)
    progress(80)
    _activities(document, content)
    _conclusion(document, content)
    document.save(str(path))
    progress(95)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Heading 1", "Heading 2"):
        heading_style = document.styles[name]
        heading_style.font.name = FONT
        heading_style.font.color.rgb = None
    _page_number_footer(section)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _heading(document, content: ReportContent) -> None:
    heading = content.heading
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    _centred(left, heading.superior, size=12)
    _centred(left, heading.issuing_body, bold=True, size=12)
    _centred(left, heading.number, size=12)
    _centred(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _centred(right, "Độc lập – Tự do – Hạnh phúc", bold=True, size=13)
    _centred(right, heading.place_and_date, italic=True, size=13)
    for cell in (left, right):
        first = cell.paragraphs[0]
        if not first.text:
            first._element.getparent().remove(first._element)


def _centred(cell, text: str, *, bold=False, italic=False, size=13) -> None:
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _title(document, content: ReportContent) -> None:
    for text, size in ((_("BÁO CÁO"), 14), (content.title, 13)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    if content.period_name:
        document.add_paragraph(_("Thuộc %s.") % content.period_name).runs[0].italic = True


def _section(document, title) -> None:
    document.add_heading(str(title), level=2)


def _table(document, header: list[str], rows: list[list[str]], numeric_from: int = 1):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            if index >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    return table


def _summary(document, content: ReportContent) -> None:
    _section(document, SECTION_TITLES[0])
    _table(document, [_("Nội dung"), _("Số liệu")], [[a, b] for a, b in content.summary])


def _indicators(document, content: ReportContent) -> None:
    _section(document, SECTION_TITLES[1])
    header = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Đơn vị"),
        _("Chỉ tiêu kế hoạch"),
        _("Thực hiện"),
        _("Tử số/Mẫu số"),
        _("Đánh giá"),
    ]
    rows = [
        [
            row.code,
            row.name,
            row.unit,
            row.target.replace("-", "–") if row.target else "–",
            fmt_value(row.actual, row.unit),
            fmt_ratio(row.numerator, row.denominator),
            row.status_label,
        ]
        for row in content.indicators
    ]
    _table(document, header, rows, numeric_from=3)
    document.add_paragraph(
        _(
            "Chỉ tính dữ liệu đã được Sở duyệt. Với chỉ tiêu tiết kiệm năng lượng, tử số là số cơ "
            "sở đạt mức tiết kiệm từ 8% trở lên, mẫu số là số cơ sở có đủ số liệu năm gốc và năm "
            "báo cáo."
        )
    )


def _trend(document, content: ReportContent) -> None:
    _section(document, SECTION_TITLES[2])
    header = [_("Chỉ tiêu"), *[str(year) for year in content.trend_years]]
    rows = [[row.code, *[fmt_value(v, row.unit) for v in row.values]] for row in content.trend]
    _table(document, header, rows)


def _places(document, content: ReportContent) -> None:
    """Section IV: the place grouping of the reported year, then the old provinces of a merged
    province, each under its caption."""
    _section(document, SECTION_TITLES[3])
    for number, table in enumerate(content.by_place, start=1):
        _caption(document, f"{number}. {table.caption}")
        _breakdown(document, table.rows, table.first, content)


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(str(text))
    run.bold, run.italic = True, True


def _breakdown(document, rows, first: str, content: ReportContent) -> None:
    header = [first, _("Số cơ sở"), *[f"{code} (%)" for code in content.computed_codes]]
    body = []
    for row in rows:
        values = [row.label, fmt_int(row.operating)]
        for code in content.computed_codes:
            figure = row.values.get(code)
            if figure is None:
                values.append("–")
                continue
            ratio = fmt_ratio(figure.numerator, figure.denominator)
            values.append(f"{fmt_decimal(figure.actual)} ({ratio})" if ratio else "–")
        body.append(values)
    _table(document, header, body)


def _activities(document, content: ReportContent) -> None:
    _section(document, SECTION_TITLES[5] % content.year)
    header = [
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
            row.day.strftime("%d/%m/%Y"),
            row.kind,
            row.title,
            row.district,
            fmt_int(row.facilities),
            fmt_int(row.people),
            fmt_int(row.budget_vnd),
        ]
        for row in content.activities
    ]
    _table(document, header, rows, numeric_from=4)
    total = fmt_int(sum(row.budget_vnd for row in content.activities))
    document.add_paragraph(_("Tổng kinh phí: %s đồng.") % total)


def _conclusion(document, content: ReportContent) -> None:
    _section(document, SECTION_TITLES[6])
    document.add_paragraph(
        _(
            "Năm %(year)s, %(met)s/%(total)s chỉ tiêu có mục tiêu định lượng đã đạt mục tiêu "
            "của kế hoạch."
        )
        % {"year": content.year, "met": content.met_count, "total": content.with_target_count}
    )
    document.add_paragraph(_("[Đánh giá, khó khăn, vướng mắc và kiến nghị — cán bộ Sở bổ sung.]"))
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    left.text = _("Nơi nhận:\n- Bộ Công Thương;\n- UBND tỉnh;\n- Lưu: VT.")
    right.text = _("GIÁM ĐỐC")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].runs[0].bold = True
