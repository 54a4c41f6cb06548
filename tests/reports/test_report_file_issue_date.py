"""An issued document is headed by the bodies that issue on its date (DESIGN §3, DOMAIN.md
"Official documents"): dated before 1 July 2025, the old province's People's Committee and
Department and its place in the date line; from that day, the 2025 province's."""

import dataclasses
from datetime import date
from io import BytesIO
from unittest import mock

import pytest
from docx import Document
from pypdf import PdfReader

from reports import generation, issuing
from reports.models import Report

from .report_files_data import build_report_data
from .report_view_helpers import write_narrative

pytestmark = pytest.mark.django_db

DETAILS = issuing.IssueDetails(
    signer_name="Nguyễn Văn Ký",
    signer_title="GIÁM ĐỐC",
    recipients="UBND tỉnh\nBộ Công Thương\nLưu: VT, QLCN.",
)


@pytest.fixture
def data(settings):
    settings.PORTAL_PROVINCE_CODE = 30  # old Hải Dương, part of Hải Phòng since 1 July 2025
    settings.PORTAL_PROVINCE = None
    with mock.patch.object(generation, "_enqueue"):
        build_report_data()
        write_narrative(2018)  # a document is issued with no section staff write left empty
        yield


def issued_on(day: date, fmt: str, staff) -> Report:
    draft = generation.report_request(kind="annual_progress", year=2018, fmt=fmt, by=staff)
    assert generation.report_generate(report_id=draft.pk) == generation.Outcome.SUCCEEDED
    details = dataclasses.replace(DETAILS, issue_date=day)
    again = [issued.pk for issued in issuing.earlier_issues(draft)]  # a new number, confirmed
    return issuing.issue_report(report_id=draft.pk, by=staff, details=details, reissue_of=again)


def text_of(report: Report) -> str:
    with report.file.open("rb") as handle:
        data = handle.read()
    if report.format == "pdf":
        pages = PdfReader(BytesIO(data)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    document = Document(BytesIO(data))
    heading = document.tables[0]
    return " ".join(cell.text.replace("\n", " ") for cell in heading.rows[0].cells)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_issued_document_is_headed_by_the_issuer_of_its_date(data, staff, fmt):
    text = text_of(issued_on(date(2025, 6, 30), fmt, staff))
    assert "UBND TỈNH HẢI DƯƠNG" in text
    assert "Hải Dương, ngày 30 tháng 6 năm 2025" in text
    assert "Số: 01/BC-SCT" in text
    assert "HẢI PHÒNG" not in text and "Hải Phòng" not in text

    text = text_of(issued_on(date(2025, 7, 1), fmt, staff))
    assert "UBND THÀNH PHỐ HẢI PHÒNG" in text
    assert "Hải Phòng, ngày 01 tháng 7 năm 2025" in text
    assert "Số: 02/BC-SCT" in text
    assert "HẢI DƯƠNG" not in text and "Hải Dương," not in text
