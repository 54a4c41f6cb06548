"""An official requests a report in a real browser (Debian Chromium through Playwright), watches
the progress bar fill while a real Celery worker builds it, and downloads the file."""

import pytest
from django.db import connections

from accounts.models import Role

from ..browser import ARTEFACTS, wait_for_request_threads
from ..factories import UserFactory
from .report_files_data import build_report_data
from .report_worker_helpers import prefork_worker, report_worker_env, reserved_queue

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def report_queue():
    with reserved_queue() as queue:
        yield queue


PASSWORD = "Bao-cao-2026!"


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    connections.close_all()  # the test body's own connection while Playwright's loop runs
    context.close()
    wait_for_request_threads()


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_official_requests_watches_and_downloads(
    page, live_server, report_queue, tmp_path, settings
):
    build_report_data()
    UserFactory(username="lanhdao_trinhduyet", role=Role.OFFICIAL, password=PASSWORD)
    # Slow enough (0.4 s a step) for the page to show the bar moving.
    env = report_worker_env(tmp_path, settings, REPORT_TEST_DELAY=0.4)
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue):
        log_in(page, live_server, "lanhdao_trinhduyet")
        page.click("#main-menu >> text=Thống kê")  # the section's drop-down
        page.click("nav >> text=Báo cáo tổng hợp")
        page.click("text=Tạo báo cáo")
        page.select_option("#id_year", "2018")
        page.check("input[name=format][value=pdf]")
        with page.expect_navigation():
            page.click("#report-request-form button[type=submit]")
        assert page.url == live_server.url + "/reports/files/"

        bar = page.locator("#report-table tbody tr").first.locator(".progress")
        seen = set()
        for _ in range(300):
            seen.add(int(bar.get_attribute("aria-valuenow")))
            if 100 in seen:
                break
            page.wait_for_timeout(100)
        link = page.locator("#report-table .report-download").first
        link.wait_for(state="visible")
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        ARTEFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(800)  # let the bar's CSS transition finish for the screenshot
        page.screenshot(path=str(ARTEFACTS / "report.png"), full_page=True)
        width = bar.locator(".progress-bar").evaluate("el => el.style.width")
        state = page.locator("#report-table .report-state").first.inner_text()

    assert 100 in seen
    assert any(0 < value < 100 for value in seen), seen  # the bar moved while we watched
    assert state == "Hoàn thành"
    assert download.suggested_filename.startswith("bao-cao-sxsh-2018-")
    assert download.suggested_filename.endswith(".pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    assert width == "100%"
