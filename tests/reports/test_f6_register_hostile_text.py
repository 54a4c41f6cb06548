"""Hostile text in what staff record when they issue a document (the signer, the recipients) and
in the outgoing register's XLSX export (reports:register_export): a control character is not
stored from the issue form, a stored one does not make the export fail, and text a spreadsheet
would take for a formula is written as it is, as a text cell with Excel's quote prefix (no "'"
added to the value)."""

from io import BytesIO
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import generation, issuing
from reports.models import Report

from .report_view_helpers import make_report, write_narrative

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def narrative_written(db):
    write_narrative(2018)  # a document is issued with no section staff write left empty


def fake_build(report, path, progress):
    path.write_bytes(f"document {report.pk} {report.number_label}".encode())


def issued_with(staff, **details) -> Report:
    fields = {"signer_name": "Nguyễn Văn Ký", "signer_title": "GIÁM ĐỐC", "recipients": "UBND"}
    draft = make_report(fmt="pdf")
    with mock.patch.object(generation, "build_file", fake_build):
        return issuing.issue_report(
            report_id=draft.pk, by=staff, details=issuing.IssueDetails(**(fields | details))
        )


def register_cells(client) -> dict:
    """The export's one data row: column header -> cell."""
    response = client.get(reverse("reports:register_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    header, row = list(sheet.iter_rows())
    return {cell.value: found for cell, found in zip(header, row, strict=True)}


def test_the_issue_form_stores_no_control_character(client, staff):
    draft = make_report(fmt="pdf")
    client.force_login(staff)
    data = {
        "signer_title": "GIÁM\x01 ĐỐC",
        "signer_name": "Nguyễn\x01 Văn\x1b Ký",
        "recipients": "UBND\x07 tỉnh\nBộ Công\x01 Thương",
        "confirm": "on",
    }
    with mock.patch.object(generation, "build_file", fake_build):
        response = client.post(reverse("reports:issue", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_issued
    assert (draft.signer_name, draft.signer_title) == ("Nguyễn Văn Ký", "GIÁM ĐỐC")
    assert draft.recipient_lines == ["- UBND tỉnh;", "- Bộ Công Thương;", "- Lưu: VT."]
    stored = draft.signer_name + draft.signer_title + draft.recipients
    assert not any(ord(char) < 32 and char != "\n" for char in stored)


def test_a_signer_name_of_control_characters_only_is_refused(client, staff):
    draft = make_report(fmt="pdf")
    client.force_login(staff)
    data = {"signer_title": "GIÁM ĐỐC", "signer_name": "\x01\x02", "recipients": "UBND"}
    with mock.patch.object(generation, "build_file", fake_build):
        response = client.post(reverse("reports:issue", args=[draft.pk]), {**data, "confirm": "on"})
    assert response.status_code == 200
    assert "signer_name" in response.context["form"].errors
    draft.refresh_from_db()
    assert not draft.is_issued


def test_a_stored_control_character_does_not_fail_the_register_export(client, staff):
    # Recorded before the form cleaned it (or by a script): the register must still export.
    issued = issued_with(staff, signer_name="Nguyễn\x01 Văn Ký", signer_title="GIÁM\x02 ĐỐC")
    issued.refresh_from_db()
    assert "\x01" in issued.signer_name  # stored as it came
    client.force_login(staff)
    cells = register_cells(client)
    assert cells["Người ký"].value == "Nguyễn Văn Ký"
    assert cells["Chức vụ"].value == "GIÁM ĐỐC"
    assert cells["Số, ký hiệu"].value == issued.number_label


def test_formula_like_text_is_written_unchanged_with_the_quote_prefix(client, staff):
    issued_with(staff, signer_name='=HYPERLINK("http://x")', signer_title="-GIÁM ĐỐC")
    issued = Report.objects.issued().get()
    assert issued.signer_title == "-GIÁM ĐỐC"  # stored as typed
    client.force_login(staff)
    cells = register_cells(client)
    name, title = cells["Người ký"], cells["Chức vụ"]
    assert (name.value, name.data_type, name.quotePrefix) == (issued.signer_name, "s", True)
    assert (title.value, title.data_type, title.quotePrefix) == ("-GIÁM ĐỐC", "s", True)
    # Text that no spreadsheet takes for a formula gets no prefix.
    subject = cells["Trích yếu nội dung"]
    assert subject.value == issuing.document_subject(issued) and not subject.quotePrefix
