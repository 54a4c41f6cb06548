"""The official documents say what their figures are and keep their tables readable:

- section I.2's "Tổng cộng" rows count DISTINCT facilities (one at a workshop and at a
  communication event counts once): when the rows add up to more, the document says so under
  the table, in the PDF and in the DOCX;
- section I.1 "Tình hình chung" keeps its labels readable when a figure is a sentence (a year
  with no approved report): the table has fixed column widths, the labels a line each;
- the outgoing register records the recipients as the issued document prints them
  ("- UBND tỉnh Bắc Ninh;" … "- Lưu: VT, QLCN."), on its page, the report's page and its XLSX.
"""

import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from assessments.models import Participation
from reports import generation, issuing
from reports.files import content as report_content
from reports.files.activities import programme
from reports.generation import Outcome
from reports.models import Report

from ..factories import AssessmentFactory
from .file_text import docx_text, pdf_text
from .indicator_helpers import facility, report
from .report_files_data import YEAR, build_report_data
from .report_view_helpers import write_narrative

pytestmark = pytest.mark.django_db

ACTIVITY_NOTE = "một cơ sở tham gia nhiều loại hoạt động được tính một lần"
ASSESSMENT_NOTE = "một cơ sở có cả đánh giá nhanh và đánh giá chi tiết được tính một lần"


def built(fmt: str, year: int = YEAR) -> Report:
    draft = generation.report_request(kind="annual_progress", year=year, fmt=fmt, by=None)
    assert generation.report_generate(report_id=draft.pk) == Outcome.SUCCEEDED, draft.error
    draft.refresh_from_db()
    return draft


def file_bytes(document: Report) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


TEXT_OF = {"pdf": pdf_text, "docx": docx_text}


# --- 1. distinct facilities in the "Tổng cộng" rows ---------------------------------------------


def overlapping_data():
    """The report data, with the workshop's facility also at the communication event, and a
    quick and a detailed assessment of the year at the paper mill."""
    data = build_report_data()
    beer, paper_mill, wood, injected = data.facilities
    event = Participation.objects.exclude(activity=data.workshop).get().activity
    Participation.objects.create(activity=event, facility=injected, people=1)
    for kind, end in (("quick", date(YEAR, 3, 1)), ("detailed", date(YEAR, 10, 1))):
        AssessmentFactory(facility=paper_mill, kind=kind, end_date=end, state="approved")
    return data


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_document_says_the_total_counts_each_facility_once(fmt):
    overlapping_data()
    section = programme(YEAR)
    # The premise: the rows add up to more facilities than the total (distinct) says.
    assert sum(row.facilities for row in section.kinds) > section.total.facilities
    assert sum(row.facilities for row in section.assessments) > (
        section.assessments_total.facilities
    )
    text = TEXT_OF[fmt](file_bytes(built(fmt)))
    assert ACTIVITY_NOTE in text
    assert ASSESSMENT_NOTE in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_no_note_when_the_rows_add_up_to_the_total(fmt):
    build_report_data()
    section = programme(YEAR)
    assert sum(row.facilities for row in section.kinds) == section.total.facilities
    text = TEXT_OF[fmt](file_bytes(built(fmt)))
    assert ACTIVITY_NOTE not in text and ASSESSMENT_NOTE not in text


# --- 2. the "Tình hình chung" table's column widths ---------------------------------------------


@pytest.fixture
def year_without_reports():
    """A year whose reports are only submitted: the overall assessment (row 9) is a sentence."""
    first = facility(name="Công ty Giấy Phong Khê", employees=300)
    second = facility(name="Công ty Gốm Phù Lãng", employees=300)
    report(first, YEAR - 1, aware=True, applies_cp=True)
    report(first, YEAR, state="submitted", has_cp_unit=True)
    report(second, YEAR, state="submitted", has_cp_unit=True)


def summary_labels() -> list[tuple[str, str]]:
    gathered = report_content.gather(YEAR, lambda percent: None)
    return gathered.summary


def test_pdf_summary_labels_keep_a_line_each(tmp_path, year_without_reports):
    summary = summary_labels()
    assessment = summary[-1][1]
    assert len(assessment.split()) > 8  # the premise: a sentence, not a figure
    path = tmp_path / "report.pdf"
    path.write_bytes(file_bytes(built("pdf")))
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: apt-get install poppler-utils"
    layout = subprocess.run(
        [pdftotext, "-layout", "-f", "1", "-l", "2", path, "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    # Short labels (one line in a readable column) are not broken over lines.
    short = [label for label, _value in summary if len(label) <= 45]
    assert short
    for label in short:
        assert any(label in line for line in lines), label
    # And the sentence is all there (wrapped in its own column).
    words = " ".join(lines)
    assert all(word in words for word in assessment.split())


def test_docx_summary_table_has_fixed_column_widths(year_without_reports):
    document = Document(BytesIO(file_bytes(built("docx"))))
    summary = next(table for table in document.tables if table.rows[0].cells[1].text == "Nội dung")
    assert summary.autofit is False  # w:tblLayout fixed: Word keeps the widths
    widths = [column.width for column in summary.columns]
    stt, label, figure = widths
    assert label > figure > stt
    assert label >= Mm(90)
    for row in summary.rows:
        assert [cell.width for cell in row.cells] == widths


# --- 3. the register records the recipients as printed ------------------------------------------

TYPED = "UBND tỉnh Bắc Ninh\n- Bộ Công Thương;\nLưu: VT, QLCN"


def test_the_register_records_the_recipients_as_the_document_prints_them(client, staff):
    build_report_data()
    write_narrative(YEAR)
    draft = built("docx")
    details = issuing.IssueDetails(
        signer_name="Nguyễn Văn A", signer_title="GIÁM ĐỐC", recipients=TYPED
    )
    issued = issuing.issue_report(report_id=draft.pk, by=staff, details=details)
    document = Document(BytesIO(file_bytes(issued)))
    signature = document.tables[-2]  # the signature block, before the annex's table
    printed = [
        paragraph.text for paragraph in signature.rows[0].cells[0].paragraphs[1:] if paragraph.text
    ]
    assert printed[0] == "- UBND tỉnh Bắc Ninh;" and printed[-1] == "- Lưu: VT, QLCN."

    issued.refresh_from_db()
    assert issued.recipient_lines == printed

    client.force_login(staff)
    page = client.get(reverse("reports:register")).text
    assert "<br>".join(printed) in page
    detail = client.get(reverse("reports:detail", args=[issued.pk])).text
    assert "<br>".join(printed) in detail

    response = client.get(reverse("reports:register_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    recipients = sheet.cell(row=2, column=header.index("Nơi nhận") + 1)
    # As printed, and text: the leading "-" is no formula (Excel's quote prefix), no "'" shown.
    assert recipients.value == "\n".join(printed)
    assert recipients.data_type == "s" and recipients.quotePrefix
