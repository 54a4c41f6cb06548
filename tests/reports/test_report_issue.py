"""Draft and issue (issue 15 point 3; DESIGN §5 "Report files"): numbers of the outgoing register,
frozen files, officials see issued documents only, the register page and its XLSX export."""

import dataclasses
import hashlib
import threading
import time
import zipfile
from datetime import date, timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from reports import generation, issuing
from reports.generation import IssuedReportProtected, Outcome
from reports.models import DocumentCounter, Report

from ..factories import FacilityFactory, UserFactory
from .report_files_data import build_report_data
from .report_view_helpers import make_report, write_narrative

DETAILS = issuing.IssueDetails(
    signer_name="Nguyễn Văn Ký",
    signer_title="GIÁM ĐỐC",
    recipients="UBND tỉnh\nBộ Công Thương\nLưu: VT, QLCN.",
)


@pytest.fixture(autouse=True)
def narrative_written(db):
    """Every section staff write is written: a document is issued with none left empty."""
    write_narrative(2018)


@pytest.fixture
def no_enqueue():
    with mock.patch.object(generation, "_enqueue") as enqueue:
        yield enqueue


def built_draft(fmt="docx", by=None) -> Report:
    """A draft built in this process, as the worker would."""
    report = generation.report_request(kind="annual_progress", year=2018, fmt=fmt, by=by)
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED, report.error
    report.refresh_from_db()
    return report


def on(day: date) -> issuing.IssueDetails:
    return dataclasses.replace(DETAILS, issue_date=day)


def fake_build(report, path, progress):
    path.write_bytes(f"document {report.pk} {report.number_label}".encode())


def file_bytes(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issuing_gives_consecutive_numbers_per_year(staff, mailoutbox):
    drafts = [make_report(fmt="pdf") for _ in range(4)]
    again = [draft.pk for draft in drafts]  # the same document: new numbers, confirmed
    with mock.patch.object(generation, "build_file", fake_build):
        labels = [
            issuing.issue_report(
                report_id=draft.pk, by=staff, details=on(date(2026, 2, day)), reissue_of=again
            ).number_label
            for day, draft in zip([1, 2, 3], drafts[:3], strict=True)
        ]
        next_year = issuing.issue_report(
            report_id=drafts[3].pk, by=staff, details=on(date(2027, 1, 5)), reissue_of=again
        )
    assert labels == ["01/BC-SCT", "02/BC-SCT", "03/BC-SCT"]
    assert (next_year.register_year, next_year.number_label) == (2027, "01/BC-SCT")
    assert DocumentCounter.objects.get(year=2026, doc_type="BC").last_number == 3


@pytest.mark.django_db
def test_an_issued_report_cannot_be_issued_again_nor_an_xlsx_or_unbuilt_one(staff):
    issued = make_report(fmt="pdf")
    with mock.patch.object(generation, "build_file", fake_build):
        issuing.issue_report(report_id=issued.pk, by=staff, details=DETAILS)
        for report in (
            issued,
            make_report(fmt="xlsx"),
            make_report(state=Report.State.RUNNING, fmt="pdf"),
        ):
            with pytest.raises(issuing.NotIssuable):
                issuing.issue_report(report_id=report.pk, by=staff, details=DETAILS)
    assert list(Report.objects.issued().values_list("number", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_number():
    staff = UserFactory(username="canbo_dong_thoi", role=Role.STAFF)
    drafts = [make_report(fmt="pdf") for _ in range(4)]
    again = [draft.pk for draft in drafts]  # the same document: new numbers, confirmed

    def slow_build(report, path, progress):
        time.sleep(0.3)  # both transactions are open at once
        fake_build(report, path, progress)

    errors = []

    def issue(pk):
        try:
            issuing.issue_report(report_id=pk, by=staff, details=DETAILS, reissue_of=again)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(generation, "build_file", slow_build):
        threads = [threading.Thread(target=issue, args=[draft.pk]) for draft in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    numbers = sorted(Report.objects.issued().values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


# --- frozen file ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issued_file_has_its_number_and_stays_byte_identical(
    staff, no_enqueue, settings, django_capture_on_commit_callbacks
):
    build_report_data()
    draft = built_draft("docx", by=staff)
    assert "Số: …/BC-SCT" in docx_text(file_bytes(draft))
    with django_capture_on_commit_callbacks(execute=True):
        issued = issuing.issue_report(report_id=draft.pk, by=staff, details=DETAILS)
    frozen = file_bytes(issued)
    assert "Số: 01/BC-SCT" in docx_text(frozen)
    assert hashlib.sha256(frozen).hexdigest() == issued.sha256
    # The draft's file was replaced: only the issued document is kept.
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "reports").iterdir()) == [
        issued.download_name
    ]

    # The data change, and someone asks for the same report again: a new draft, built anew.
    FacilityFactory(name="Công ty mới sau khi ban hành")
    again, created = generation.report_request_once(
        kind="annual_progress", year=2018, fmt="docx", by=staff
    )
    assert created and again.pk != issued.pk
    assert generation.report_generate(report_id=again.pk) == Outcome.SUCCEEDED
    # The worker never claims an issued document, whatever message reaches it.
    assert generation.report_generate(report_id=issued.pk) == Outcome.SKIPPED
    issued.refresh_from_db()
    again.refresh_from_db()
    assert file_bytes(issued) == frozen
    assert issued.sha256 == hashlib.sha256(frozen).hexdigest()
    assert not again.is_issued and "Số: …/BC-SCT" in docx_text(file_bytes(again))


@pytest.mark.django_db
def test_issued_documents_are_never_purged_nor_deleted(staff, client, settings):
    settings.REPORT_RETENTION_DAYS = 1
    issued, draft = make_report(fmt="pdf"), make_report(fmt="pdf")
    with mock.patch.object(generation, "build_file", fake_build):
        issued = issuing.issue_report(report_id=issued.pk, by=staff, details=DETAILS)
    long_ago = timezone.now() - timedelta(days=400)
    Report.objects.update(finished_at=long_ago)
    assert generation.report_files_purge() == 1
    issued.refresh_from_db()
    draft.refresh_from_db()
    assert issued.file and not issued.file_purged
    assert draft.file_purged

    with pytest.raises(IssuedReportProtected):
        generation.report_delete(report=issued)
    client.force_login(staff)
    url = reverse("reports:delete", args=[issued.pk])
    response = client.post(url, follow=True)
    assert "đã ban hành: không thể xóa" in response.text
    assert client.get(url).status_code == 302
    detail = client.get(issued.get_absolute_url()).text
    assert url not in detail  # no delete button for an issued document
    assert Report.objects.filter(pk=issued.pk).exists()


# --- who sees what -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officials_see_issued_documents_not_drafts(client, staff, official):
    draft = make_report(fmt="pdf", by=staff)
    scheduled = make_report(fmt="pdf", scheduled=True)
    issued = make_report(fmt="pdf", by=staff)
    with mock.patch.object(generation, "build_file", fake_build):
        issued = issuing.issue_report(report_id=issued.pk, by=staff, details=DETAILS)
    client.force_login(official)
    for hidden in (draft, scheduled):
        for name in ("detail", "progress", "download", "issue", "delete"):
            assert client.get(reverse(f"reports:{name}", args=[hidden.pk])).status_code == 404
    listing = client.get(reverse("reports:list")).text
    assert reverse("reports:detail", args=[draft.pk]) not in listing
    assert reverse("reports:detail", args=[scheduled.pk]) not in listing
    assert reverse("reports:detail", args=[issued.pk]) in listing
    assert client.get(issued.get_absolute_url()).status_code == 200
    response = client.get(reverse("reports:download", args=[issued.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == file_bytes(issued)
    assert client.get(reverse("reports:issue", args=[issued.pk])).status_code == 403
    assert client.post(reverse("reports:delete", args=[issued.pk])).status_code == 403


ISSUE_URLS = ["reports:register", "reports:register_export"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "register", "issue"),
    [
        ("anonymous", 302, 302),
        ("facility_user", 403, 403),
        ("official", 200, 404),
        ("staff", 200, 200),
    ],
)
def test_permission_matrix(client, request, role, register, issue):
    draft = make_report(fmt="pdf")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for name in ISSUE_URLS:
        assert client.get(reverse(name)).status_code == register, name
    issue_url = reverse("reports:issue", args=[draft.pk])
    assert client.get(issue_url).status_code == issue
    with mock.patch.object(generation, "build_file", fake_build):
        response = client.post(issue_url, {**form_data(), "confirm": "on"})
    assert response.status_code == (302 if role == "staff" else issue)
    draft.refresh_from_db()
    assert draft.is_issued == (role == "staff")


def form_data() -> dict:
    return {
        "signer_title": "KT. GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Ký",
        "recipients": "UBND tỉnh\n\n  Bộ Công Thương  \nLưu: VT.",
    }


# --- the issue page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_page_confirms_then_issues_and_tells_the_officials(
    client, staff, official, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://sxsh.example.gov.vn"
    UserFactory(username="canbo_khac", role=Role.STAFF, email="canbo.khac@example.gov.vn")
    draft = make_report(fmt="pdf", by=staff)
    client.force_login(staff)
    url = reverse("reports:issue", args=[draft.pk])
    page = client.get(url).text
    assert "Ban hành văn bản" in page and "Xác nhận ban hành" in page

    response = client.post(url, form_data())  # no confirmation ticked
    assert response.status_code == 200
    draft.refresh_from_db()
    assert not draft.is_issued

    with (
        mock.patch.object(generation, "build_file", fake_build),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {**form_data(), "confirm": "on"}, follow=True)
    assert "Đã ban hành văn bản số 01/BC-SCT" in response.text
    draft.refresh_from_db()
    assert draft.is_issued and draft.issued_by == staff
    assert draft.issue_date == timezone.localdate()
    assert draft.recipient_lines == ["- UBND tỉnh;", "- Bộ Công Thương;", "- Lưu: VT."]
    assert draft.sha256 in response.text
    [message] = mailoutbox
    assert message.bcc == [official.email]
    assert "01/BC-SCT" in message.subject
    assert f"https://sxsh.example.gov.vn/reports/files/{draft.pk}/download/" in message.body
    # Issuing again is refused: a new document needs a new draft.
    again = client.get(url, follow=True)
    assert "đã được ban hành với số 01/BC-SCT" in again.text


# --- the register --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_page_and_its_xlsx_export(client, staff, official):
    drafts = [make_report(fmt="pdf"), make_report(fmt="docx"), make_report()]
    hostile = issuing.IssueDetails(
        signer_name='=HYPERLINK("http://x")', signer_title="GIÁM ĐỐC", recipients="@SUM(1)\nUBND"
    )
    with mock.patch.object(generation, "build_file", fake_build):
        first = issuing.issue_report(report_id=drafts[0].pk, by=staff, details=DETAILS)
        second = issuing.issue_report(
            report_id=drafts[1].pk, by=staff, details=hostile, reissue_of=[first.pk]
        )
    client.force_login(official)
    page = client.get(reverse("reports:register")).text
    assert "Sổ đăng ký văn bản đi" in page
    for issued in (first, second):
        assert issued.number_label in page
        assert issued.sha256[:12] in page
        assert reverse("reports:download", args=[issued.pk]) in page
    assert reverse("reports:download", args=[drafts[2].pk]) not in page  # a draft

    response = client.get(reverse("reports:register_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Năm sổ", "Số, ký hiệu", "Ngày ban hành", "Trích yếu nội dung")
    assert [row[1] for row in rows[1:]] == ["01/BC-SCT", "02/BC-SCT"]
    assert rows[1][8] == first.sha256
    assert rows[1][7] == "- UBND tỉnh;\n- Bộ Công Thương;\n- Lưu: VT, QLCN."
    assert rows[2][5] == '=HYPERLINK("http://x")'  # text (quote prefix), no formula, no "'"
    assert sheet.cell(row=3, column=6).quotePrefix
    assert rows[2][7] == "- @SUM(1);\n- UBND;\n- Lưu: VT."  # text (quote prefix), no formula
