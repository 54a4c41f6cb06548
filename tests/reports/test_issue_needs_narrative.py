"""A document is not issued while a section staff write (III shortcomings, IV direction, V
recommendations) is empty: it would print "[Cán bộ Sở bổ sung nội dung trước khi ban hành.]",
numbered and frozen (reports/issuing.py `missing_sections`). The narrative page's title, its
message and its period picker (the years of the report request form)."""

from unittest import mock

import pytest
from django.urls import reverse

from reports import generation
from reports.forms import requestable_years
from reports.models import DocumentCounter, Report, ReportNarrative

from .report_files_data import YEAR, build_report_data
from .report_view_helpers import PDF_BYTES, make_report

pytestmark = pytest.mark.django_db

ISSUE_FORM = {
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Nguyễn Văn Ký",
    "recipients": "UBND tỉnh\nBộ Công Thương\nLưu: VT.",
    "confirm": "on",
}
WRITTEN = {
    "shortcomings": "Tỷ lệ cơ sở gửi báo cáo còn thấp.",
    "direction": "- Tập huấn cho cơ sở.",
    "recommendations": "Đề nghị Bộ Công Thương hỗ trợ kinh phí.",
}
SHORTCOMINGS = "III. Tồn tại, hạn chế và nguyên nhân"
DIRECTION = "IV. Phương hướng, nhiệm vụ kỳ tới"
RECOMMENDATIONS = "V. Kiến nghị, đề xuất"
PLACEHOLDER = "[Cán bộ Sở bổ sung nội dung trước khi ban hành.]"


def issue_url(report: Report) -> str:
    return reverse("reports:issue", args=[report.pk])


def narrative_url(year=YEAR, period="year") -> str:
    return reverse("reports:narrative", args=[year, period])


def assert_not_issued(report: Report) -> None:
    before = (report.file.name, report.sha256)
    report.refresh_from_db()
    assert not report.is_issued and report.number is None and report.issue_date is None
    assert report.issued_by is None and report.signer_name == ""
    assert (report.file.name, report.sha256) == before
    with report.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()


# --- issuing is refused while a section is empty -------------------------------------------------


def test_a_draft_without_the_narrative_is_not_issued_nor_numbered(client, staff):
    draft = make_report(by=staff)
    client.force_login(staff)
    with mock.patch.object(generation, "build_file") as build:
        response = client.post(issue_url(draft), ISSUE_FORM)
    assert response.status_code in (200, 409)  # the page again, with why; no redirect
    build.assert_not_called()
    page = response.text
    for section in (SHORTCOMINGS, DIRECTION, RECOMMENDATIONS):
        assert section in page
    assert "Chưa thể ban hành" in page
    assert f'href="{narrative_url()}"' in page  # where to write them
    assert_not_issued(draft)


def test_only_the_empty_sections_are_named(client, staff):
    ReportNarrative.objects.create(year=YEAR, shortcomings=WRITTEN["shortcomings"], direction="- ")
    draft = make_report(by=staff, fmt="docx")
    client.force_login(staff)
    response = client.post(issue_url(draft), ISSUE_FORM)
    assert response.status_code in (200, 409)
    page = response.text
    assert SHORTCOMINGS not in page
    assert DIRECTION in page  # a bullet mark alone prints the placeholder too
    assert RECOMMENDATIONS in page
    assert_not_issued(draft)


def test_a_half_year_document_needs_the_half_year_narrative(client, staff):
    ReportNarrative.objects.create(year=YEAR, period_kind="year", **WRITTEN)  # not this period's
    draft = make_report(by=staff, kind=Report.Kind.HALF_YEAR_PROGRESS)
    client.force_login(staff)
    response = client.post(issue_url(draft), ISSUE_FORM)
    assert response.status_code in (200, 409)
    assert SHORTCOMINGS in response.text
    assert f'href="{narrative_url(period="half")}"' in response.text
    assert_not_issued(draft)


def test_the_issue_page_says_so_beforehand(client, staff):
    """Needs the issue view to hand the draft to its form (ReportIssueForm(report=...))."""
    draft = make_report(by=staff)
    client.force_login(staff)
    page = client.get(issue_url(draft)).text
    assert 'id="narrative-missing"' in page
    for section in (SHORTCOMINGS, DIRECTION, RECOMMENDATIONS):
        assert section in page
    assert f'href="{narrative_url()}"' in page

    ReportNarrative.objects.create(year=YEAR, **WRITTEN)
    page = client.get(issue_url(draft)).text
    assert 'id="narrative-missing"' not in page and SHORTCOMINGS not in page


def test_with_the_narrative_written_first_the_draft_is_issued(client, staff):
    build_report_data()
    client.force_login(staff)
    assert client.post(narrative_url(), WRITTEN).status_code == 302
    draft = generation.report_request(kind="annual_progress", year=YEAR, fmt="docx", by=staff)
    assert generation.report_generate(report_id=draft.pk) == generation.Outcome.SUCCEEDED
    assert 'id="narrative-missing"' not in client.get(issue_url(draft)).text

    response = client.post(issue_url(draft), ISSUE_FORM)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_issued and draft.number_label == "01/BC-SCT"


# --- the narrative page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "title"),
    [("year", "Nội dung báo cáo cả năm 2019"), ("half", "Nội dung báo cáo 6 tháng đầu năm 2019")],
)
def test_the_narrative_page_says_the_period_once(client, staff, period, title):
    client.force_login(staff)
    page = client.get(narrative_url(2019, period)).text
    assert title in page
    assert "năm năm" not in page
    response = client.post(narrative_url(2019, period), WRITTEN, follow=True)
    assert f"Đã lưu {title[0].lower()}{title[1:]}." in response.text
    assert "năm năm" not in response.text


def test_the_period_picker_offers_the_years_of_the_request_form(client, staff):
    client.force_login(staff)
    years = requestable_years()
    assert 2016 in years  # the seeded 2016–2020 plan
    request_page = client.get(reverse("reports:request")).text
    page = client.get(narrative_url()).text
    picker = page.split('id="narrative-periods"')[1].split("</ul>")[0]
    for year in years:
        assert f'value="{year}"' in request_page
        assert f'href="{narrative_url(year)}"' in picker
        assert f'href="{narrative_url(year, "half")}"' in picker
    assert picker.count("<li") == 2 * len(years)
