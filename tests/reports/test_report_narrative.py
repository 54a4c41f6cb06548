"""Issue 15, points 1–2: the narrative sections staff write before generating (their page,
permissions and history), how they are rendered in the PDF and DOCX (paragraphs and bullets),
the reporting rate and "no data" of year-bound indicators, the signature block from settings,
the half-year title and the annex limit."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from reports.files import annex, content, docx, pdf
from reports.models import ReportNarrative
from reports.narrative import blocks

from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

SHORTCOMINGS = """Tỷ lệ cơ sở gửi báo cáo còn thấp.

Nguyên nhân:
- Nhiều cơ sở nhỏ chưa quen báo cáo trực tuyến;
- Kinh phí hỗ trợ
  còn hạn chế."""


def written(writer, gathered, tmp_path, suffix) -> bytes:
    path = tmp_path / f"report.{suffix}"
    writer(gathered, path, lambda percent: None)
    return path.read_bytes()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def test_blocks_are_paragraphs_and_bullet_lists():
    assert blocks(SHORTCOMINGS) == [
        blocks("Tỷ lệ cơ sở gửi báo cáo còn thấp.")[0],
        blocks("Nguyên nhân:")[0],
        blocks("- Nhiều cơ sở nhỏ chưa quen báo cáo trực tuyến;\n- Kinh phí hỗ trợ còn hạn chế.")[
            0
        ],
    ]
    assert blocks(SHORTCOMINGS)[2].items == [
        "Nhiều cơ sở nhỏ chưa quen báo cáo trực tuyến;",
        "Kinh phí hỗ trợ còn hạn chế.",
    ]
    assert blocks("") == [] and blocks("\n\n  \n") == []


# --- the page -------------------------------------------------------------------------------------


def url(year=YEAR, period="year"):
    return reverse("reports:narrative", args=[year, period])


def test_staff_write_the_narrative_and_its_history_is_kept(client, staff):
    client.force_login(staff)
    assert client.get(url()).status_code == 200
    data = {"shortcomings": SHORTCOMINGS, "direction": "- Tập huấn.", "recommendations": ""}
    assert client.post(url(), data).status_code == 302
    assert client.post(url(), data | {"recommendations": "Đề nghị Bộ hỗ trợ."}).status_code == 302
    narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
    assert narrative.recommendations == "Đề nghị Bộ hỗ trợ."
    assert narrative.updated_by == staff
    assert narrative.history.count() == 2
    page = client.get(url()).content.decode()
    assert "Nguyễn Thị Cán Bộ" in page  # the history lists who saved
    # A half-year narrative is another record.
    assert client.post(url(period="half"), data).status_code == 302
    assert ReportNarrative.objects.filter(year=YEAR).count() == 2


def test_the_request_page_links_to_it_for_staff(client, staff):
    client.force_login(staff)
    page = client.get(reverse("reports:request")).content.decode()
    assert reverse("reports:narrative_start") in page
    assert client.get(reverse("reports:narrative_start")).status_code == 302


@pytest.mark.parametrize("who", ["official", "facility_user"])
def test_others_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url()).status_code == 403
    assert client.post(url(), {"shortcomings": "x"}).status_code == 403
    assert client.get(reverse("reports:narrative_start")).status_code == 403
    assert not ReportNarrative.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(url()).status_code == 302


def test_unknown_period_is_404(client, staff):
    client.force_login(staff)
    assert client.get(url(period="quarter")).status_code == 404


# --- in the documents -----------------------------------------------------------------------------


@pytest.fixture
def narrated(db):
    build_report_data()
    ReportNarrative.objects.create(
        year=YEAR,
        shortcomings=SHORTCOMINGS,
        direction="Tiếp tục triển khai Kế hoạch.",
        recommendations="- Đề nghị Bộ Công Thương hỗ trợ kinh phí.",
    )
    return content.gather(YEAR, lambda percent: None)


def test_pdf_renders_the_narrative_with_bullets(narrated, tmp_path):
    html = pdf.render_html(narrated)
    assert "<li>Nhiều cơ sở nhỏ chưa quen báo cáo trực tuyến;</li>" in html
    assert "<li>Kinh phí hỗ trợ còn hạn chế.</li>" in html
    text = pdf_text(written(pdf.write_pdf, narrated, tmp_path, "pdf"))
    shortcomings = text.split("TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")[1].split("PHƯƠNG HƯỚNG")[0]
    assert "Tỷ lệ cơ sở gửi báo cáo còn thấp. Nguyên nhân: - Nhiều cơ sở nhỏ" in shortcomings
    assert "- Kinh phí hỗ trợ còn hạn chế." in shortcomings
    assert "Tiếp tục triển khai Kế hoạch." in text
    assert "- Đề nghị Bộ Công Thương hỗ trợ kinh phí." in text


def test_docx_renders_the_narrative_with_bullets(narrated, tmp_path):
    paragraphs = docx_paragraphs(written(docx.write_docx, narrated, tmp_path, "docx"))
    start = paragraphs.index("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    assert paragraphs[start + 1 : start + 5] == [
        "Tỷ lệ cơ sở gửi báo cáo còn thấp.",
        "Nguyên nhân:",
        "- Nhiều cơ sở nhỏ chưa quen báo cáo trực tuyến;",
        "- Kinh phí hỗ trợ còn hạn chế.",
    ]
    assert "- Đề nghị Bộ Công Thương hỗ trợ kinh phí." in paragraphs


def test_docx_body_font_is_times_new_roman_13pt(narrated, tmp_path):
    document = Document(BytesIO(written(docx.write_docx, narrated, tmp_path, "docx")))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    # No run overrides the font with another face.
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            assert run.font.size is None or run.font.size.pt >= 11
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)


def test_the_signer_comes_from_settings(db, settings, tmp_path):
    settings.REPORT_SIGNER_NAME = "Nguyễn Văn Ký"
    settings.REPORT_SIGNER_ON_BEHALF = True
    gathered = content.gather(YEAR, lambda percent: None)
    text = pdf_text(written(pdf.write_pdf, gathered, tmp_path, "pdf"))
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    assert "Nguyễn Văn Ký" in text
    paragraphs = "\n".join(
        cell.text
        for table in Document(BytesIO(written(docx.write_docx, gathered, tmp_path, "docx"))).tables
        for cell in table.rows[0].cells
    )
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in paragraphs and "Nguyễn Văn Ký" in paragraphs


def test_no_approved_report_means_no_claim_and_no_data(db, tmp_path):
    # Facilities operate in 2019 but none of them has an approved 2019 report.
    build_report_data()
    gathered = content.gather(YEAR + 1, lambda percent: None)
    assert gathered.reporting.reports == 0 and gathered.reporting.operating > 0
    rows = {row.code: row for row in gathered.indicators}
    assert rows["SAVING_PCT"].status_label == "Chưa có số liệu"
    assert rows["ENT_UNIT_PCT"].status_label == "Chưa có số liệu"
    summary = dict(gathered.summary)
    assert summary["Tỷ lệ báo cáo (báo cáo đã duyệt/cơ sở hoạt động)"].startswith("0,0 % (0/")
    assert "chỉ tiêu có mục tiêu định lượng đạt" not in summary["Đánh giá chung các chỉ tiêu"]
    text = pdf_text(written(pdf.write_pdf, gathered, tmp_path, "pdf"))
    assert "Tỷ lệ báo cáo năm 2019" in text
    assert "chỉ tiêu có mục tiêu định lượng đạt" not in text


def test_indicator_values_match_compute_indicators(db, tmp_path):
    from core.numbers import format_number
    from reports.indicators import compute_indicators

    build_report_data()
    gathered = content.gather(YEAR, lambda percent: None)
    text = pdf_text(written(pdf.write_pdf, gathered, tmp_path, "pdf"))
    for result in compute_indicators(YEAR).results:
        figure = result.value
        if figure.actual is None or result.indicator.unit != "%":
            continue
        expected = f"{format_number(figure.actual, 1)} % {figure.numerator}/{figure.denominator}"
        assert expected in text, result.code


def test_half_year_title(db):
    gathered = content.gather(YEAR, lambda percent: None, period="half")
    assert "6 tháng đầu năm 2018" in gathered.title


def test_annex_is_limited_in_the_pdf(db, monkeypatch, tmp_path):
    build_report_data()
    monkeypatch.setattr(annex, "ANNEX_LIMIT", 2)
    gathered = content.gather(YEAR, lambda percent: None)
    assert len(gathered.annex) == 2 and gathered.annex_truncated
    text = pdf_text(written(pdf.write_pdf, gathered, tmp_path, "pdf"))
    assert "Phụ lục liệt kê 2/4 cơ sở đầu tiên" in text
