"""The three report files, built by the task body called directly (fast; no worker).

XLSX `ChiTieu` equals compute_indicators; the PDF's text has the Vietnamese headings and the
numbers; the DOCX opens with python-docx and has the sections (DESIGN §5).
"""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import generation
from reports.models import Report

from ..factories import UserFactory
from .report_files_data import INJECTION_NAME, INJECTION_OPTION, YEAR, build_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(db):
    return build_report_data()


def build(fmt: str, year: int = YEAR) -> Report:
    report = Report.objects.create(year=year, format=fmt, requested_by=UserFactory(role="staff"))
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    return report


def content_of(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def sheet_rows(report: Report, name: str, width: int = 7) -> list[tuple]:
    """The sheet's values, each row padded to `width` (read-only mode drops trailing blanks)."""
    workbook = load_workbook(BytesIO(content_of(report)), read_only=True)
    rows = workbook[name].iter_rows(values_only=True)
    return [tuple(row) + (None,) * (width - len(row)) for row in rows]


def number(value):
    """A cell value as the service's Decimal (None stays None)."""
    return None if value is None else Decimal(str(value))


# --- XLSX -----------------------------------------------------------------------------------------
# Every cell of every sheet, and the same figures in the PDF and DOCX, against values worked out by
# hand: tests/reports/test_report_files_by_hand.py.


def test_xlsx_writes_formula_like_text_as_text(report_data):
    workbook = load_workbook(BytesIO(content_of(build("xlsx"))))
    facility_cells = [row[1] for row in workbook["CoSo"].iter_rows(min_row=2)]
    injected = next(cell for cell in facility_cells if cell.value == INJECTION_NAME)
    assert injected.data_type == "s"
    assert injected.quotePrefix is True
    option = next(
        row[4] for row in workbook["GiaiPhap"].iter_rows(min_row=2) if row[4].value.startswith("+")
    )
    assert option.value == INJECTION_OPTION
    assert option.data_type == "s"
    assert option.quotePrefix is True
    # Nothing in the workbook is a formula.
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_xlsx_for_a_year_outside_every_period_has_only_the_header(db):
    workbook = load_workbook(BytesIO(content_of(build("xlsx", year=2010))), read_only=True)
    rows = list(workbook["ChiTieu"].iter_rows(values_only=True))
    assert len(rows) == 1


# --- PDF ------------------------------------------------------------------------------------------


def pdf_text(report: Report) -> tuple[PdfReader, str]:
    """The PDF and its text, whitespace collapsed (table cells wrap long names)."""
    reader = PdfReader(BytesIO(content_of(report)))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


CODE = re.compile(r"[A-Z]+_[A-Z_]+")


def test_pdf_has_the_official_heading_and_sections(report_data):
    _, text = pdf_text(build("pdf"))
    for heading in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        # Generated today, after 1 July 2025: headed by the 2025 province (Bắc Ninh, the
        # successor of the configured pre-2025 code 27); see test_report_issuer.py.
        "UBND TỈNH BẮC NINH",
        "SỞ CÔNG THƯƠNG",
        "Số: …/BC-SCT",
        "BÁO CÁO",
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "Kết quả thực hiện các chỉ tiêu",
        "Kết quả theo địa bàn",
        "Kết quả theo ngành sản xuất",
        "Các hoạt động của chương trình năm 2018",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Nơi nhận:",
        "- UBND tỉnh Bắc Ninh;",
        "GIÁM ĐỐC",
        "PHỤ LỤC",
        "Hội thảo nâng cao nhận thức SXSH ngành thực phẩm",
        "Huyện Quế Võ",
        "Thị xã Từ Sơn",
    ):
        assert heading in text, heading
    assert "Bắc Ninh, ngày" in text
    assert "–" not in text.split("BÁO CÁO")[0]  # the tiêu ngữ takes hyphens
    assert not CODE.search(text), CODE.findall(text)


def test_pdf_is_a4_with_page_numbers_at_the_top_and_the_vendored_font(report_data):
    reader, _ = pdf_text(build("pdf"))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842
    assert 1 < len(reader.pages) <= 50
    fonts = set()
    for each in reader.pages:
        resources = each["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Only the @font-face family of the template, embedded: the vendored Liberation Serif files.
    assert fonts and all("+LiberationSerif" in name for name in fonts), fonts
    assert embedded_font_names(reader) == {"Liberation Serif"}
    # Page 1 carries no number; page 2 starts with "2", in the top margin.
    assert reader.pages[0].extract_text().split()[0] != "1"
    assert top_line(reader.pages[1]) == ("2", True)


def embedded_font_names(reader) -> set[str]:
    """The family names (name table, ID 1) of the font programs embedded in the PDF."""
    from fontTools.ttLib import TTFont

    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            names.add(str(TTFont(BytesIO(program))["name"].getDebugName(1)))
    return names


def top_line(page) -> tuple[str, bool]:
    """The text drawn highest on the page, and whether it lies within the top 20 mm margin."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    y, text = max(found)
    height = float(page.mediabox.height)
    return text, height - y < 20 / 25.4 * 72


def test_pdf_heading_without_province_data(db):
    # No units loaded: the 2025 province's name comes from the `vietnam-provinces` reference.
    _, text = pdf_text(build("pdf"))
    assert "UBND TỈNH BẮC NINH" in text
    assert "Bắc Ninh, ngày" in text
    assert "…" not in text.split("Số:")[0]


def test_pdf_has_svg_charts(report_data):
    from reports.files import content, pdf

    gathered = content.gather(YEAR, lambda percent: None)
    html = pdf.render_html(gathered)
    assert html.count("<svg") >= 4
    assert "Tỷ lệ cơ sở áp dụng SXSH theo huyện" in html
    assert "<script" not in html


# --- DOCX -----------------------------------------------------------------------------------------


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_opens_and_has_the_sections(report_data):
    document = Document(BytesIO(content_of(build("docx"))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    heading_cells = [cell.text for cell in document.tables[0].rows[0].cells]
    assert "UBND TỈNH BẮC NINH\nSỞ CÔNG THƯƠNG\nSố: …/BC-SCT" in heading_cells[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading_cells[1]
    assert "Độc lập - Tự do - Hạnh phúc" in heading_cells[1]
    text = docx_text(document)
    for expected in ("BÁO CÁO", "Nơi nhận:", "- UBND tỉnh Bắc Ninh;", "GIÁM ĐỐC", "PHỤ LỤC"):
        assert expected in text, expected
    assert not CODE.search(text), CODE.findall(text)


def test_docx_indicator_table_has_the_numbers(report_data):
    document = Document(BytesIO(content_of(build("docx"))))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị",
        "Mốc năm 2018",
        "Chỉ tiêu đến năm cuối kỳ",
        "Thực hiện",
        "Tử số/Mẫu số",
        "Đánh giá",
    ]
    rows = {row.cells[1].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    aware = next(v for k, v in rows.items() if k.startswith("Tỷ lệ cơ sở SXCN nhận thức"))
    saving = next(v for k, v in rows.items() if "tiết kiệm" in k.lower() and v[2] == "%")
    assert aware[3:8] == ["74", "90", "75,0 %", "3/4", "Đạt"]  # the 2018 milestone
    assert saving[3:8] == ["6,8–11", "8–13", "20,0 %", "1/1", "Đạt"]
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "PAGE" in section.header.paragraphs[0]._p.xml
    assert section.different_first_page_header_footer


# --- the stored file ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "docx"])
def test_file_is_stored_with_its_digest(report_data, fmt, settings):
    import hashlib

    report = build(fmt)
    data = content_of(report)
    assert report.state == Report.State.SUCCEEDED
    assert report.progress == 100
    assert report.attempts == 1
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.size_bytes == len(data)
    assert report.file.name == f"reports/bao-cao-sxsh-{YEAR}-{report.pk}.{fmt}"
    assert report.started_at <= report.finished_at
    folder = settings.MEDIA_ROOT / "reports"
    assert sorted(p.name for p in folder.iterdir()) == [f"bao-cao-sxsh-{YEAR}-{report.pk}.{fmt}"]


def test_documents_say_what_the_percentages_are_over(report_data):
    """Honest denominators (DESIGN §4): the registry, and its coverage of the statistics office's
    count once staff recorded it."""
    from datetime import date

    from reports.indicators import compute_indicators
    from reports.models import EstablishmentCount

    operating = compute_indicators(YEAR).operating
    _, text = pdf_text(build("pdf"))
    assert f"tính trên {operating} cơ sở SXCN đã đăng ký trên Cổng thông tin" in text
    assert "Chưa có số liệu thống kê về tổng số cơ sở công nghiệp" in text

    EstablishmentCount.objects.create(
        year=YEAR, count=operating * 4, source="Niên giám thống kê", source_date=date(2019, 6, 30)
    )
    text = docx_text(Document(BytesIO(content_of(build("docx")))))
    assert "Theo Niên giám thống kê (30/06/2019)" in text
    assert "danh sách của Cổng bao quát 25,0%." in text
