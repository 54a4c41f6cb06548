"""The issued document says exactly what the reviewed draft said (DESIGN §5 "Report files":
issuing gives the draft its number, date, signer and recipients and freezes it). Issuing builds
the document once more; when the figures or the narrative have changed since the draft was built
(more annual reports approved, the narrative edited) — or the draft predates the kept fingerprint
of its content — it is refused on the issue page: nothing issued, no number of the register
taken, the draft and its file untouched, and staff are asked for a new draft.

Through the pages: request (POST /reports/files/new/), the build as the worker runs it (in this
process), download, the issue page."""

import re
from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from assessments.services import annual_report_approve
from reports import generation
from reports.models import DocumentCounter, Report, ReportNarrative

from ..factories import AnnualReportFactory, FacilityFactory
from .file_text import docx_text
from .report_files_data import YEAR, build_report_data
from .report_view_helpers import write_narrative

ISSUE_FORM = {
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Nguyễn Văn Ký",
    "recipients": "UBND tỉnh\nBộ Công Thương\nLưu: VT, QLCN.",
    "confirm": "on",
}
CHANGED = "Số liệu hoặc nội dung báo cáo đã thay đổi kể từ khi tạo dự thảo này"
NEW_DRAFT = "hãy tạo dự thảo mới, rà soát rồi ban hành"


@pytest.fixture
def data(staff):
    """The report data of 2018, and two more facilities whose 2018 reports await review; the
    narrative is written (no section of an issued document may be left empty)."""
    with mock.patch.object(generation, "_enqueue"):
        built = build_report_data()
        write_narrative(YEAR)
        paper = built.facilities[1]
        built.submitted = [
            AnnualReportFactory(
                facility=FacilityFactory(commune=paper.commune, industry=paper.industry),
                year=YEAR,
                state="submitted",
                aware=True,
                applies_cp=True,
            )
            for _ in range(2)
        ]
        yield built


def request_draft(client, fmt="docx") -> Report:
    """Staff ask for the draft on the request page; the worker builds it (here, in-process)."""
    before = set(Report.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("reports:request"), {"kind": "annual_progress", "year": YEAR, "format": fmt}
    )
    assert response.status_code == 302
    [report] = Report.objects.exclude(pk__in=before)
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    return report


def downloaded(client, report: Report) -> bytes:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def issue(client, report: Report):
    return client.post(reverse("reports:issue", args=[report.pk]), ISSUE_FORM)


def assert_nothing_issued(client, draft: Report, draft_bytes: bytes) -> None:
    """The draft is still the draft, with its file, and the register's counter is untouched."""
    before = (draft.file.name, draft.sha256)
    draft.refresh_from_db()
    assert not draft.is_issued and draft.number is None and draft.issue_date is None
    assert (draft.file.name, draft.sha256) == before
    assert downloaded(client, draft) == draft_bytes
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()
    assert not Report.objects.issued().exists()


@pytest.mark.django_db
def test_a_draft_whose_figures_changed_is_not_issued_and_no_number_is_taken(client, staff, data):
    client.force_login(staff)
    draft = request_draft(client)
    draft_bytes = downloaded(client, draft)
    fresh = client.get(reverse("reports:issue", args=[draft.pk])).text
    assert 'id="stale-not-issuable"' not in fresh and "Tạo dự thảo mới" not in fresh
    assert "Số: …/BC-SCT" in docx_text(draft_bytes)
    assert "33,3 % (2/6)" in docx_text(draft_bytes)  # 2 approved reports, 6 facilities

    # Staff approve the two reports awaiting review after the draft was built.
    for report in data.submitted:
        annual_report_approve(report=report, by=staff)

    page = client.get(reverse("reports:issue", args=[draft.pk])).text
    assert "giữ nguyên nội dung của dự thảo" in page  # the page says what issuing does
    # It says on opening that this draft can no longer be issued, with the way to a new one.
    assert 'id="stale-not-issuable"' in page and NEW_DRAFT in page
    assert "Tạo dự thảo mới" in page
    response = issue(client, draft)
    assert response.status_code == 409
    assert CHANGED in response.text and NEW_DRAFT in response.text
    assert "Tạo dự thảo mới" in response.text
    assert_nothing_issued(client, draft, draft_bytes)

    # A new draft shows the new figures; reviewed and issued, it is the first number.
    again = request_draft(client)
    again_text = docx_text(downloaded(client, again))
    assert "66,7 % (4/6)" in again_text
    response = issue(client, again)
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.number_label == "01/BC-SCT"
    issued_text = docx_text(downloaded(client, again))
    assert "Số: 01/BC-SCT" in issued_text and "66,7 % (4/6)" in issued_text
    assert DocumentCounter.objects.get(year=again.issue_date.year).last_number == 1


@pytest.mark.django_db
def test_a_draft_whose_narrative_changed_is_not_issued(client, staff, data):
    write_narrative(YEAR, shortcomings="Một số cơ sở chưa gửi báo cáo đúng hạn.")
    client.force_login(staff)
    draft = request_draft(client)
    draft_bytes = downloaded(client, draft)
    assert "Một số cơ sở chưa gửi báo cáo đúng hạn." in docx_text(draft_bytes)

    narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
    narrative.shortcomings = "Nội dung đã sửa sau khi rà soát dự thảo."
    narrative.save()

    page = client.get(reverse("reports:issue", args=[draft.pk])).text
    assert 'id="stale-not-issuable"' in page and "Tạo dự thảo mới" in page
    response = issue(client, draft)
    assert response.status_code == 409 and CHANGED in response.text
    assert_nothing_issued(client, draft, draft_bytes)


def without_issuing(text: str) -> str:
    """The document's text without what issuing writes: its number, the signer's name and the
    recipients of "Nơi nhận" (the date line is the same: built and issued the same day)."""
    text = text.replace("Số: 01/BC-SCT", "Số: …/BC-SCT").replace("Nguyễn Văn Ký", "")
    text = re.sub(r"Nơi nhận:.*?Lưu: VT[^.]*\.", "Nơi nhận:", text)
    return " ".join(text.split())


@pytest.mark.django_db
def test_an_unchanged_draft_is_issued_with_the_figures_staff_reviewed(client, staff, data):
    client.force_login(staff)
    draft = request_draft(client)
    draft_text = docx_text(downloaded(client, draft))
    # A facility registered meanwhile without a 2018 report changes nothing in the 2018 document
    # (established later): the draft is still what it says.
    FacilityFactory(name="Công ty đăng ký sau", established_year=2024)

    response = issue(client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_issued and draft.number_label == "01/BC-SCT"
    issued_text = docx_text(downloaded(client, draft))
    assert "Số: 01/BC-SCT" in issued_text and "Nguyễn Văn Ký" in issued_text
    assert "33,3 % (2/6)" in issued_text
    # Everything else — figures, tables, narrative, annex — is word for word the draft's.
    assert issued_text != draft_text
    assert without_issuing(issued_text) == without_issuing(draft_text)


@pytest.mark.django_db
def test_a_draft_built_on_another_day_and_issuing_body_is_still_issued(client, staff, settings):
    """What issuing changes legitimately is left out of the comparison: a draft built on 30 June
    2025 is headed by old Hải Dương; issued on 1 July 2025 it is headed by Hải Phòng."""
    settings.PORTAL_PROVINCE_CODE = 30  # old Hải Dương, part of Hải Phòng since 1 July 2025
    settings.PORTAL_PROVINCE = None
    with mock.patch.object(generation, "_enqueue"):
        build_report_data()
    write_narrative(YEAR)
    client.force_login(staff)
    with mock.patch("reports.files.content.timezone.localdate", return_value=date(2025, 6, 30)):
        draft = request_draft(client)
    assert "Hải Dương, ngày 30 tháng 6 năm 2025" in docx_text(downloaded(client, draft))

    with mock.patch("django.utils.timezone.localdate", return_value=date(2025, 7, 1)):
        response = issue(client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.issue_date == date(2025, 7, 1) and draft.number_label == "01/BC-SCT"
    text = docx_text(downloaded(client, draft))
    assert "Hải Phòng, ngày 01 tháng 7 năm 2025" in text and "Số: 01/BC-SCT" in text


@pytest.mark.django_db
def test_a_draft_built_before_the_fingerprint_was_kept_is_not_issued(client, staff, data):
    client.force_login(staff)
    draft = request_draft(client)
    draft_bytes = downloaded(client, draft)
    Report.objects.filter(pk=draft.pk).update(content_sha256="")  # as migration 0018 left it

    response = issue(client, draft)
    assert response.status_code == 409
    assert "được tạo trước khi Cổng lưu dấu nội dung dự thảo" in response.text
    assert NEW_DRAFT in response.text
    assert_nothing_issued(client, draft, draft_bytes)


@pytest.mark.django_db
def test_a_refused_pdf_draft_keeps_its_place_in_the_register(client, staff, data):
    """The PDF the same way; and a refusal takes no number: the next issue is still 01."""
    client.force_login(staff)
    draft = request_draft(client, fmt="pdf")
    other = request_draft(client, fmt="docx")
    annual_report_approve(report=data.submitted[0], by=staff)
    assert issue(client, draft).status_code == 409
    assert issue(client, other).status_code == 409
    fresh = request_draft(client, fmt="pdf")
    assert issue(client, fresh).status_code == 302
    fresh.refresh_from_db()
    assert fresh.number_label == "01/BC-SCT"
    assert list(Report.objects.issued().values_list("pk", flat=True)) == [fresh.pk]
