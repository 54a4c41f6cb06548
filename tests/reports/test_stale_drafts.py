"""A draft whose data changed after it was built says so (the list and the detail page), next to
its download, and offers to build it again: issuing already refuses it (ContentChanged), and a
draft downloaded and used as it is would carry the old figures. The comparison is the one issuing
makes (`Report.content_differs` of the fingerprint of the content gathered now). Issued documents
are frozen — what was issued stays what it was — and are never marked.

Through the pages: request (POST /reports/files/new/), the build as the worker runs it (in this
process), the list and the detail page."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services import annual_report_approve
from reports import generation
from reports.models import Report, ReportNarrative

from ..factories import AnnualReportFactory, FacilityFactory
from .file_text import docx_text
from .report_files_data import YEAR, build_report_data
from .report_view_helpers import write_narrative

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")
STALE = "Số liệu đã thay đổi sau khi tạo báo cáo này; hãy tạo lại trước khi dùng."
TEXT_CHANGED = (
    "Phần nội dung do Sở viết (tồn tại, hạn chế; phương hướng; kiến nghị) đã được sửa sau khi "
    "tạo báo cáo này; hãy tạo lại trước khi dùng."
)
MARK = 'class="report-stale'
ISSUE_FORM = {
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Nguyễn Văn Ký",
    "recipients": "UBND tỉnh\nBộ Công Thương\nLưu: VT, QLCN.",
    "confirm": "on",
}


@pytest.fixture
def data(staff):
    """The report data of 2018 with its narrative, and two more 2018 reports awaiting review."""
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


def request_draft(client, fmt) -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("reports:request"), {"kind": "annual_progress", "year": YEAR, "format": fmt}
    )
    assert response.status_code == 302
    [report] = Report.objects.exclude(pk__in=before)
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    return report


def row(page: str, report: Report) -> str:
    start = page.index(f'<tr id="report-{report.pk}"')
    return page[start : page.index("</tr>", start)]


def detail(client, report: Report) -> str:
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return response.text


def approve_the_waiting_reports(data, staff) -> None:
    for report in data.submitted:
        annual_report_approve(report=report, by=staff)


def test_drafts_say_their_data_changed_and_offer_to_build_them_again(client, staff, data):
    client.force_login(staff)
    drafts = [request_draft(client, fmt) for fmt in ("pdf", "xlsx", "docx")]
    old_text = docx_text(b"".join(client.get(reverse("reports:download", args=[drafts[2].pk]))))

    # Fresh drafts: nothing to say.
    page = client.get(LIST).text
    assert STALE not in page and MARK not in page
    for draft in drafts:
        assert STALE not in detail(client, draft)
    assert reverse("reports:issue", args=[drafts[2].pk]) in detail(client, drafts[2])

    # Two more 2018 reports approved: APPLY_PCT (and more) change.
    approve_the_waiting_reports(data, staff)

    page = client.get(LIST).text
    for draft in drafts:
        cells = row(page, draft)
        assert STALE in cells
        assert reverse("reports:download", args=[draft.pk]) in cells  # next to the download
        assert f'action="{reverse("reports:request")}"' in cells
        assert f'name="format" value="{draft.format}"' in cells
        assert STALE in detail(client, draft)
    # Issuing would be refused (ContentChanged): the detail page says so instead of offering it.
    page = detail(client, drafts[2])
    assert 'id="stale-not-issuable"' in page
    assert reverse("reports:issue", args=[drafts[2].pk]) not in page
    # The file still holds the old figures: that is why the page says so.
    assert docx_text(b"".join(client.get(reverse("reports:download", args=[drafts[2].pk])))) == (
        old_text
    )

    # "Tạo lại" asks for the same document; built, the new draft is not marked.
    response = client.post(
        reverse("reports:request"), {"kind": "annual_progress", "year": YEAR, "format": "docx"}
    )
    assert response.status_code == 302
    again = Report.objects.order_by("-pk").first()
    assert generation.report_generate(report_id=again.pk) == generation.Outcome.SUCCEEDED
    again.refresh_from_db()
    assert STALE not in row(client.get(LIST).text, again)
    assert STALE not in detail(client, again)
    assert STALE in row(client.get(LIST).text, drafts[2])


def test_a_changed_narrative_marks_the_draft_too(client, staff, data):
    """Marked, saying that the text changed, not the figures (test_stale_draft_parts.py)."""
    client.force_login(staff)
    draft = request_draft(client, "pdf")
    assert MARK not in detail(client, draft)

    narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
    narrative.direction = "Nội dung đã sửa sau khi tạo dự thảo."
    narrative.save()

    assert TEXT_CHANGED in detail(client, draft)
    assert TEXT_CHANGED in row(client.get(LIST).text, draft)
    assert STALE not in detail(client, draft)


def test_an_issued_document_is_never_marked(client, staff, data):
    client.force_login(staff)
    issued = request_draft(client, "docx")
    response = client.post(reverse("reports:issue", args=[issued.pk]), ISSUE_FORM)
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.is_issued
    draft = request_draft(client, "pdf")

    approve_the_waiting_reports(data, staff)

    page = client.get(LIST).text
    assert STALE not in row(page, issued)
    assert STALE in row(page, draft)
    assert STALE not in detail(client, issued)


def test_the_language_of_the_page_does_not_make_a_fresh_draft_stale(client, staff, data):
    """The content is gathered in the portal's language whatever the reader's, as it is built."""
    client.force_login(staff)
    draft = request_draft(client, "docx")
    client.cookies["django_language"] = "en"

    page = client.get(LIST).text
    assert 'lang="en"' in page
    assert MARK not in row(page, draft)
    assert MARK not in detail(client, draft)


def copy_of(draft: Report) -> Report:
    """Another succeeded draft of the same document (same year, kind and content)."""
    copy = Report.objects.create(
        kind=draft.kind,
        year=draft.year,
        format=draft.format,
        state=Report.State.SUCCEEDED,
        progress=100,
        requested_by=draft.requested_by,
        content_sha256=draft.content_sha256,
        figures_sha256=draft.figures_sha256,
    )
    copy.file.save(copy.download_name, ContentFile(b"%PDF-1.7\n"), save=True)
    return copy


def test_the_list_gathers_the_content_once_per_document_not_per_row(
    client, staff, data, django_assert_max_num_queries
):
    client.force_login(staff)
    draft = request_draft(client, "pdf")
    approve_the_waiting_reports(data, staff)
    client.get(LIST)  # warm up what is cached between requests
    with CaptureQueriesContext(connection) as one_row:
        assert STALE in client.get(LIST).text

    for _ in range(12):
        copy_of(draft)

    with django_assert_max_num_queries(len(one_row)):
        page = client.get(LIST).text
    assert page.count(STALE) == 13
