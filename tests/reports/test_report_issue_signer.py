"""What staff record when they issue a draft — the signer ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" and
the name) and the recipients — is printed in the issued PDF and DOCX, with the number, before the
file is frozen with its SHA-256 (issue 15 point 3; reports/issuing.py)."""

import hashlib
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import generation, issuing
from reports.files.content import recipient_lines
from reports.forms import ReportIssueForm
from reports.generation import Outcome
from reports.models import Report, authority_lines

from .report_files_data import build_report_data
from .report_view_helpers import write_narrative

ISSUED = issuing.IssueDetails(
    signer_name="Nguyễn Văn A",
    signer_title="GIÁM ĐỐC",
    on_behalf=True,
    recipients="UBND tỉnh Bắc Ninh\n- Bộ Công Thương;\nLưu: VT, QLCN",
)


def built_draft(fmt: str) -> Report:
    write_narrative(2018)  # a document is issued with no section staff write left empty
    report = generation.report_request(kind="annual_progress", year=2018, fmt=fmt, by=None)
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED, report.error
    report.refresh_from_db()
    return report


def file_bytes(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(data: bytes) -> str:
    """The paragraphs' text (runs joined), tables included."""
    import docx

    document = docx.Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


TEXT_OF = {"pdf": pdf_text, "docx": docx_text}


@pytest.fixture
def default_signer(settings):
    """The settings' signer, which a draft shows and the issued document must not."""
    settings.REPORT_SIGNER_NAME = "Trần Thị Mặc Định"
    settings.REPORT_SIGNER_TITLE = "GIÁM ĐỐC"
    settings.REPORT_SIGNER_ON_BEHALF = False


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_issued_document_prints_the_recorded_signer_recipients_and_number(
    fmt, staff, default_signer
):
    build_report_data()
    draft = built_draft(fmt)
    text = TEXT_OF[fmt](file_bytes(draft))
    assert "Trần Thị Mặc Định" in text and "Nguyễn Văn A" not in text
    assert "KT. GIÁM ĐỐC" not in text

    issued = issuing.issue_report(report_id=draft.pk, by=staff, details=ISSUED)
    data = file_bytes(issued)
    text = TEXT_OF[fmt](data)
    assert f"Số: {issued.number_label}" in text and issued.number_label == "01/BC-SCT"
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text
    assert "Nguyễn Văn A" in text
    assert "Trần Thị Mặc Định" not in text  # not the settings' default signer
    for line in ("- UBND tỉnh Bắc Ninh;", "- Bộ Công Thương;", "- Lưu: VT, QLCN."):
        assert line in text, line
    # The settings' usual recipients are replaced, not added to.
    assert "Giám đốc, các Phó Giám đốc Sở" not in text
    # The hash is the one of the file that carries them.
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    issued.refresh_from_db()
    assert issued.signer_on_behalf and issued.signer_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


@pytest.mark.django_db
def test_a_director_signing_himself_gets_no_kt_line(staff, default_signer):
    build_report_data()
    draft = built_draft("docx")
    details = issuing.IssueDetails(
        signer_name="Lê Văn Giám", signer_title="Giám đốc", recipients="Bộ Công Thương"
    )
    issued = issuing.issue_report(report_id=draft.pk, by=staff, details=details)
    text = docx_text(file_bytes(issued))
    assert "GIÁM ĐỐC" in text and "Lê Văn Giám" in text
    assert "KT." not in text and "PHÓ GIÁM ĐỐC" not in text
    # The archive line is added when staff left it out.
    assert "- Bộ Công Thương;" in text and "- Lưu: VT." in text


def test_recipient_lines_take_the_form_of_noi_nhan():
    assert recipient_lines(["UBND tỉnh;", "  - Bộ Công Thương", "Lưu: VT, QLCN.", ""]) == [
        "- UBND tỉnh;",
        "- Bộ Công Thương;",
        "- Lưu: VT, QLCN.",
    ]
    # The archive goes last wherever staff wrote it, and is added when missing.
    assert recipient_lines(["Lưu: VT", "Bộ Công Thương"]) == ["- Bộ Công Thương;", "- Lưu: VT."]
    assert recipient_lines(["Sở Tài chính"]) == ["- Sở Tài chính;", "- Lưu: VT."]


def test_authority_lines():
    assert authority_lines("giám  đốc", on_behalf=True) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert authority_lines("Giám đốc", on_behalf=False) == ["GIÁM ĐỐC"]


# --- the issue page ------------------------------------------------------------------------------


def form_data(**extra) -> dict:
    return {
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
        "recipients": "UBND tỉnh\nBộ Công Thương\nLưu: VT.",
        "confirm": "on",
        **extra,
    }


@pytest.mark.django_db
def test_issue_page_records_a_deputy_signing_on_behalf(client, staff, default_signer):
    build_report_data()
    draft = built_draft("pdf")
    client.force_login(staff)
    url = reverse("reports:issue", args=[draft.pk])
    page = client.get(url).text
    assert "Cấp phó ký thay" in page
    response = client.post(url, form_data(on_behalf="on"), follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_issued and draft.signer_on_behalf and draft.signer_name == "Nguyễn Văn A"
    text = pdf_text(file_bytes(draft))
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn A" in text
    register = client.get(reverse("reports:register")).text
    assert "KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC<br>Nguyễn Văn A" in register


@pytest.mark.parametrize("title", ["KT. GIÁM ĐỐC", "Phó Giám đốc", "KT.  PHÓ GIÁM ĐỐC"])
def test_a_deputys_title_typed_in_full_means_on_behalf_of_the_head(title):
    form = ReportIssueForm(form_data(signer_title=title))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on_behalf"] is True
    assert form.cleaned_data["signer_title"].upper() == "GIÁM ĐỐC"


def test_the_heads_title_is_required():
    form = ReportIssueForm(form_data(signer_title="KT."))
    assert not form.is_valid() and "signer_title" in form.errors
    form = ReportIssueForm(form_data(signer_title="  Giám   đốc "))
    assert form.is_valid()
    assert form.cleaned_data["signer_title"] == "Giám đốc"
    assert form.cleaned_data["on_behalf"] is False
