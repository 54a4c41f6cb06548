"""One click requests a report in all three formats (issue 16 point 7): the "Tạo cả 3 định dạng"
button of the request page, within REPORT_MAX_ACTIVE_JOBS — all or nothing, with the reason shown
when it is refused."""

from unittest import mock

import pytest
from django.urls import reverse

from reports.models import Report
from reports.tasks import generate_report_task

URL = reverse("reports:request")


@pytest.fixture
def enqueued():
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def post_all(client, **data):
    """The form as the browser sends it when the second button is pressed (no format chosen)."""
    return client.post(
        URL, {"kind": "annual_progress", "year": "2018", "all_formats": "1", **data}, follow=True
    )


def test_the_page_has_the_button_and_says_what_it_needs(client, official, settings):
    settings.REPORT_MAX_ACTIVE_JOBS = 4
    client.force_login(official)
    page = client.get(URL).text
    assert 'name="all_formats"' in page and "Tạo cả 3 định dạng" in page
    assert "tối đa 4 báo cáo chờ hoặc đang tạo" in page


def test_it_queues_pdf_xlsx_and_docx(
    client, official, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_all(client)
    assert response.redirect_chain[-1][0] == reverse("reports:list")
    reports = Report.objects.order_by("format")
    assert [(r.kind, r.year, r.format) for r in reports] == [
        ("annual_progress", 2018, "docx"),
        ("annual_progress", 2018, "pdf"),
        ("annual_progress", 2018, "xlsx"),
    ]
    assert all(r.requested_by == official and r.state == "queued" for r in reports)
    assert enqueued.call_count == 3
    assert "Đã gửi yêu cầu tạo" in response.text
    assert "PDF, Excel (XLSX), Word (DOCX)" in response.text


def test_the_limit_of_three_is_enough_and_a_fourth_job_is_refused(client, official, settings):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    client.force_login(official)
    with mock.patch.object(generate_report_task, "apply_async"):
        post_all(client)
        assert Report.objects.filter(requested_by=official).count() == 3
        # Another year needs three more places: nothing is queued, and the page says why.
        response = post_all(client, year="2017")
    assert Report.objects.filter(requested_by=official).count() == 3
    assert not Report.objects.filter(year=2017).exists()
    assert "Chưa tạo báo cáo nào" in response.text
    assert "cần 3 lượt" in response.text and "đang có 3 báo cáo" in response.text


def test_all_or_nothing_when_only_some_places_are_free(client, official, settings):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    Report.objects.create(kind="annual_progress", year=2016, format="pdf", requested_by=official)
    client.force_login(official)
    with mock.patch.object(generate_report_task, "apply_async"):
        response = post_all(client)
    assert not Report.objects.filter(year=2018).exists()
    assert "cần 3 lượt" in response.text and "đang có 1 báo cáo" in response.text


def test_jobs_already_running_are_shared_not_counted(client, official, staff, settings):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    # The official already asked for the PDF; staff (who see every job) get their two new jobs
    # beside one of their own.
    shared = Report.objects.create(
        kind="annual_progress", year=2018, format="pdf", requested_by=official
    )
    Report.objects.create(kind="annual_progress", year=2016, format="pdf", requested_by=staff)
    client.force_login(staff)
    with mock.patch.object(generate_report_task, "apply_async"):
        response = post_all(client)
    mine = Report.objects.filter(requested_by=staff, year=2018)
    assert sorted(mine.values_list("format", flat=True)) == ["docx", "xlsx"]
    assert Report.objects.filter(year=2018, format="pdf").get() == shared
    assert "Đang được tạo theo một yêu cầu trước" in response.text


def test_the_ministry_table_has_only_its_xlsx(client, staff):
    client.force_login(staff)
    with mock.patch.object(generate_report_task, "apply_async"):
        post_all(client, kind="ministry_table")
    assert list(Report.objects.values_list("kind", "format")) == [("ministry_table", "xlsx")]


def test_a_single_format_still_needs_a_format(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"kind": "annual_progress", "year": "2018"})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_it_requires_login(client, db):
    response = client.post(URL, {"kind": "annual_progress", "year": "2018", "all_formats": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Report.objects.exists()


def test_it_refuses_facility_users(client, facility_user):
    client.force_login(facility_user)
    response = client.post(URL, {"kind": "annual_progress", "year": "2018", "all_formats": "1"})
    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize("data", [{"year": "1999"}, {"kind": "other"}])
def test_it_rejects_bad_input(client, staff, data):
    client.force_login(staff)
    response = client.post(
        URL, {"kind": "annual_progress", "year": "2018", "all_formats": "1", **data}
    )
    assert response.status_code == 200
    assert not Report.objects.exists()
