"""One rounding rule (core.numbers: half up) on every output. The beer brewery of
`report_files_data` falls from 0.06 to 54.55 × 0.6 ÷ 1000 = 0.03273 TOE per unit: 45.45 %, which
is 45.5 everywhere — the dashboard, the facility page, the workbook cells (SAVING_PCT and the
facility's row) and the PDF and DOCX text — never 45.4 (half-even). An option paying back in
45 ÷ 100 = 0.45 years shows 0.5 in the workbook and 0,5 on the assessment page."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import AnnualReport, Option
from reports.files import content, docx, pdf, xlsx

from ..factories import AssessmentFactory, OptionFactory
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    data = build_report_data()
    beer = data.facilities[0]
    AnnualReport.objects.filter(facility=beer, year=YEAR).update(coal_t=Decimal("54.55"))
    assessment = AssessmentFactory(facility=beer, state="approved")
    data.option = OptionFactory(
        assessment=assessment,
        description="Thu hồi nhiệt khói lò",
        investment_vnd=45_000_000,
        annual_saving_vnd=100_000_000,
        implementation_year=YEAR,
        status=Option.Status.PLANNED,
    )
    data.assessment = assessment
    return data


def written(writer, tmp_path, suffix) -> bytes:
    path = tmp_path / f"report.{suffix}"
    writer(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    return path.read_bytes()


def test_the_dashboard_shows_45_5(client, official, data):
    client.force_login(official)
    response = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert response.context["results"].value("SAVING_PCT").actual == Decimal("45.5")
    assert "45,5" in response.text and "45,4" not in response.text


def test_the_facility_page_shows_45_5(client, staff, data):
    client.force_login(staff)
    response = client.get(reverse("reports:facility_intensity", args=[data.facilities[0].pk]))
    assert "45,5" in response.text and "45,4" not in response.text


def test_the_workbook_cells_hold_45_5(data, tmp_path):
    book = load_workbook(BytesIO(written(xlsx.write_xlsx, tmp_path, "xlsx")), read_only=True)
    indicators = {row[0]: row for row in book["ChiTieu"].iter_rows(values_only=True)}
    assert indicators["SAVING_PCT"][4] == 45.5
    beer = next(
        r for r in book["CoSo"].iter_rows(values_only=True) if r[1] == data.facilities[0].name
    )
    assert beer[-2] == 45.5  # then whether it reaches 8 %
    option = next(
        r for r in book["GiaiPhap"].iter_rows(values_only=True) if r[4] == "Thu hồi nhiệt khói lò"
    )
    assert option[-1] == 0.5  # payback 0.45 years, half up


def test_the_pdf_text_says_45_5(data, tmp_path):
    reader = PdfReader(BytesIO(written(pdf.write_pdf, tmp_path, "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "45,5 %" in text and "45,4" not in text


def test_the_docx_text_says_45_5(data, tmp_path):
    document = Document(BytesIO(written(docx.write_docx, tmp_path, "docx")))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Đánh giá")
    saving = next(row for row in table.rows if row.cells[1].text.startswith("Mức tiết kiệm"))
    assert saving.cells[5].text == "45,5 %"


def test_the_assessment_page_shows_the_payback_half_up(client, staff, data):
    client.force_login(staff)
    response = client.get(data.assessment.get_absolute_url())
    assert response.status_code == 200
    assert "0,5" in response.text
