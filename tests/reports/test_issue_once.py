"""One document, one number (NĐ 30/2020): a draft of a document already issued — the same kind,
year and scope, in another format — is issued only when staff confirm a new document with a new
number; the issue page names the earlier issue; two twins issued at once cannot both slip past.
And the register export writes the issue date as the register page does (dd/mm/yyyy)."""

import dataclasses
import threading
import time
from datetime import date, datetime
from io import BytesIO
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from reports import generation, issuing
from reports.models import DocumentCounter, Report

from ..factories import UserFactory
from .report_view_helpers import make_report, write_narrative

DETAILS = issuing.IssueDetails(
    signer_name="Nguyễn Văn Ký", signer_title="GIÁM ĐỐC", recipients="UBND tỉnh\nLưu: VT."
)
FORM = {
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Nguyễn Văn Ký",
    "recipients": "UBND tỉnh\nLưu: VT.",
    "confirm": "on",
}


@pytest.fixture(autouse=True)
def narrative_written(db):
    write_narrative(2018)
    write_narrative(2018, period="half")


@pytest.fixture(autouse=True)
def quick_build():
    def fake_build(report, path, progress):
        path.write_bytes(f"document {report.pk} {report.number_label}".encode())

    with mock.patch.object(generation, "build_file", fake_build):
        yield


def last_number() -> int:
    counter = DocumentCounter.objects.filter(year=timezone.localdate().year).first()
    return counter.last_number if counter else 0


def issued_pdf(staff) -> Report:
    """The 2018 annual report, issued as PDF: 01/BC-SCT."""
    pdf = make_report(fmt="pdf")
    return issuing.issue_report(report_id=pdf.pk, by=staff, details=DETAILS)


@pytest.mark.django_db
def test_the_issue_page_names_the_earlier_issue_of_the_same_document(client, staff):
    first = issued_pdf(staff)
    docx = make_report(fmt="docx")
    client.force_login(staff)
    page = client.get(reverse("reports:issue", args=[docx.pk])).text
    assert 'id="already-issued"' in page
    assert "01/BC-SCT" in page and first.issue_date.strftime("%d/%m/%Y") in page
    assert "(PDF)" in page and "Nguyễn Thị Cán Bộ" in page
    assert f'href="{first.get_absolute_url()}"' in page
    assert "Ban hành văn bản mới với số mới" in page
    assert 'name="reissue"' in page
    assert f'name="seen_issues" value="{first.pk}"' in page


@pytest.mark.django_db
def test_a_draft_of_another_document_is_issued_without_a_warning(client, staff):
    issued_pdf(staff)
    half_year = make_report(fmt="pdf", kind=Report.Kind.HALF_YEAR_PROGRESS)
    assert issuing.earlier_issues(half_year) == []
    client.force_login(staff)
    url = reverse("reports:issue", args=[half_year.pk])
    page = client.get(url).text
    assert 'id="already-issued"' not in page and 'name="reissue"' not in page
    response = client.post(url, FORM)
    assert response.status_code == 302
    half_year.refresh_from_db()
    assert half_year.number_label == "02/BC-SCT"


@pytest.mark.django_db
def test_issuing_the_twin_without_confirmation_is_refused_and_takes_no_number(client, staff):
    issued_pdf(staff)
    docx = make_report(fmt="docx")
    client.force_login(staff)
    url = reverse("reports:issue", args=[docx.pk])
    response = client.post(url, FORM)
    assert response.status_code == 200
    assert "đã được ban hành: số 01/BC-SCT ngày" in response.text
    assert "Chưa ban hành, chưa lấy số." in response.text
    docx.refresh_from_db()
    assert not docx.is_issued
    assert last_number() == 1
    assert Report.objects.issued().count() == 1


@pytest.mark.django_db
def test_issuing_the_twin_with_confirmation_takes_the_next_number(client, staff):
    first = issued_pdf(staff)
    docx = make_report(fmt="docx")
    client.force_login(staff)
    url = reverse("reports:issue", args=[docx.pk])
    form = {**FORM, "reissue": "on", "seen_issues": str(first.pk)}
    response = client.post(url, form, follow=True)
    assert "Đã ban hành văn bản số 02/BC-SCT" in response.text
    docx.refresh_from_db()
    assert docx.number_label == "02/BC-SCT"
    assert last_number() == 2


@pytest.mark.django_db
def test_a_twin_issued_since_the_page_was_drawn_must_be_confirmed_too(client, staff):
    first = issued_pdf(staff)
    second = make_report(fmt="docx")
    issuing.issue_report(
        report_id=second.pk, by=staff, details=DETAILS, reissue_of=[first.pk]
    )  # by another staff member, after this page showed 01 only
    draft = make_report(fmt="pdf")
    client.force_login(staff)
    form = {**FORM, "reissue": "on", "seen_issues": str(first.pk)}
    response = client.post(reverse("reports:issue", args=[draft.pk]), form)
    assert response.status_code == 200
    assert "số 01/BC-SCT ngày" in response.text and "02/BC-SCT" in response.text
    box = response.text.split('name="reissue"')[1].split(">")[0]
    assert "checked" not in box  # the box ticked for 01 alone confirms nothing
    draft.refresh_from_db()
    assert not draft.is_issued and last_number() == 2


@pytest.mark.django_db
def test_the_service_refuses_the_twin_without_confirmation(staff):
    first = issued_pdf(staff)
    docx = make_report(fmt="docx")
    with pytest.raises(issuing.AlreadyIssued) as refused:
        issuing.issue_report(report_id=docx.pk, by=staff, details=DETAILS)
    assert refused.value.earlier == [first]
    assert "01/BC-SCT" in str(refused.value)
    docx.refresh_from_db()
    assert not docx.is_issued and last_number() == 1


@pytest.mark.django_db
def test_a_twin_issued_between_the_check_of_the_form_and_the_issue_is_refused(client, staff):
    """The form saw no earlier issue; the service, under the register's lock, does: the page
    comes back (409) naming it and asking for the confirmation, no number taken."""
    first = issued_pdf(staff)
    docx = make_report(fmt="docx")
    client.force_login(staff)
    real = issuing.earlier_issues
    calls = []

    def not_yet_for_the_form(report):
        calls.append(report.pk)
        return [] if len(calls) == 1 else real(report)

    with mock.patch.object(issuing, "earlier_issues", not_yet_for_the_form):
        response = client.post(reverse("reports:issue", args=[docx.pk]), FORM)
    assert response.status_code == 409
    assert 'id="already-issued"' in response.text and "01/BC-SCT" in response.text
    assert f'name="seen_issues" value="{first.pk}"' in response.text
    docx.refresh_from_db()
    assert not docx.is_issued and last_number() == 1


@pytest.mark.django_db(transaction=True)
def test_two_twins_issued_at_once_cannot_both_be_issued():
    staff = UserFactory(username="canbo_song_song", role=Role.STAFF)
    drafts = [make_report(fmt="pdf"), make_report(fmt="docx")]
    started = threading.Barrier(2)

    def slow_build(report, path, progress):
        time.sleep(0.3)  # both transactions are open at once
        path.write_bytes(b"document")

    outcomes = []

    def issue(pk):
        try:
            started.wait(timeout=10)
            issuing.issue_report(report_id=pk, by=staff, details=DETAILS)
            outcomes.append("issued")
        except issuing.AlreadyIssued:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(exc)
        finally:
            connection.close()

    with mock.patch.object(generation, "build_file", slow_build):
        threads = [threading.Thread(target=issue, args=[draft.pk]) for draft in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["issued", "refused"]
    assert list(Report.objects.issued().values_list("number", flat=True)) == [1]
    assert last_number() == 1


@pytest.mark.django_db
def test_the_register_export_writes_the_issue_date_as_dd_mm_yyyy(client, staff):
    pdf = make_report(fmt="pdf")
    on_5_march = dataclasses.replace(DETAILS, issue_date=date(2026, 3, 5))
    issuing.issue_report(report_id=pdf.pk, by=staff, details=on_5_march)
    client.force_login(staff)
    response = client.get(reverse("reports:register_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=1, column=3).value == "Ngày ban hành"
    cell = sheet.cell(row=2, column=3)
    assert cell.value == datetime(2026, 3, 5)
    assert cell.number_format == "dd/mm/yyyy"
    page = client.get(reverse("reports:register")).text
    assert "05/03/2026" in page
