"""Staff import a spreadsheet in a real browser (Debian Chromium driven by Playwright) against a
live server, then find an imported facility by an unaccented search (issue 3, acceptance)."""

from pathlib import Path

import pytest
from django.db import connections

from accounts.models import Role
from facilities.models import ImportJob
from facilities.reference import load_admin_units

from ..browser import ARTEFACTS, wait_for_request_threads
from ..celery_helpers import celery_worker
from ..factories import UserFactory, make_tax_code
from ..reports.report_worker_helpers import report_worker_env, reserved_queue
from .import_helpers import csv_bytes, good_row, make_references
from .import_job_helpers import BIG, big_csv

BIG_VN = f"{BIG:,}".replace(",", ".")  # counts are written the Vietnamese way: 2.500

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Nhap-tep-2026!"
COMMUNE = "09259"  # Phường Nhân Hòa, Bắc Ninh (province 27), a pre-2025 GSO code
TARGET = "Công ty TNHH Giấy Hải Dương"
OTHERS = (  # each shares a word or two with the target, none matches "giay hai duong"
    "Công ty TNHH Giấy Phong Khê",
    "Công ty TNHH May Hải Dương",
    "Công ty Cổ phần Bia Bắc Ninh",
)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    # While Playwright's loop runs, asgiref keys Django's connections by context, so the test
    # body had a connection of its own: close it, or it outlives the test database.
    connections.close_all()
    context.close()
    wait_for_request_threads()


def import_file(tmp_path: Path) -> Path:
    names = (TARGET, *OTHERS)
    rows = [
        good_row(n, name=name, commune_code=COMMUNE, vsic_code="1701" if n < 3 else "1103")
        for n, name in enumerate(names, start=1)
    ]
    path = tmp_path / "co-so-bac-ninh.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_staff_imports_a_file_and_finds_a_facility_without_accents(
    page, live_server, settings, tmp_path
):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    UserFactory(username="canbo_nhaptep", role=Role.STAFF, password=PASSWORD)

    log_in(page, live_server, "canbo_nhaptep")
    page.goto(live_server.url + "/facilities/")
    with page.expect_navigation():
        page.click("main >> text=Nhập từ tệp")
    assert page.locator("h1").inner_text() == "Nhập danh sách cơ sở từ tệp"

    page.set_input_files("#id_file", str(import_file(tmp_path)))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    assert page.locator("h1").inner_text() == "Kiểm tra tệp co-so-bac-ninh.csv"
    assert page.locator("#count-create").inner_text() == "4"
    assert page.locator("#count-update").inner_text() == "0"

    with page.expect_navigation():
        page.click("#import-confirm-form button[type=submit]")
    assert page.url == live_server.url + "/facilities/"
    assert "Đã nhập tệp co-so-bac-ninh.csv: thêm 4, cập nhật 0" in page.locator("main").inner_text()
    assert page.locator("#facility-table tbody tr").count() == 4

    page.fill("#id_q", "giay hai duong")
    with page.expect_navigation():
        page.click("#facility-filter button[type=submit]")

    rows = page.locator("#facility-table tbody tr")
    assert rows.count() == 1
    assert TARGET in rows.first.inner_text()
    assert make_tax_code(1) in rows.first.inner_text()
    assert page.locator("#id_q").input_value() == "giay hai duong"
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "import-search.png"), full_page=True)
    assert (ARTEFACTS / "import-search.png").stat().st_size > 0


@pytest.mark.integration
def test_big_file_progress_bar_turns_into_the_preview_then_the_result(
    page, live_server, settings, tmp_path
):
    """More than 2,000 rows: a real Celery worker checks and imports the file while the page
    polls its progress (static/js/import-progress.js)."""
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    UserFactory(username="canbo_teplon", role=Role.STAFF, password=PASSWORD)
    path = tmp_path / "lon.csv"
    path.write_bytes(big_csv())

    with reserved_queue() as queue:
        log_in(page, live_server, "canbo_teplon")
        page.goto(live_server.url + "/facilities/import/")
        page.set_input_files("#id_file", str(path))
        with page.expect_navigation():
            page.click("#import-form button[type=submit]")
        assert "/facilities/import/jobs/" in page.url
        assert page.locator("h1").inner_text() == "Nhập tệp lon.csv"
        # No worker yet: the job waits in the queue and the page shows its progress bar.
        bar = page.locator("#import-job-progress")
        assert bar.locator(".import-state").inner_text() == "Đang chờ kiểm tra"
        assert bar.locator(".progress").get_attribute("aria-valuenow") == "0"

        with celery_worker(report_worker_env(tmp_path, settings), log_dir=tmp_path, queue=queue):
            # The script reloads the page once the check has ended: the preview replaces the bar.
            page.locator("#count-create").wait_for(timeout=60_000)
            assert page.locator("#count-create").inner_text() == BIG_VN
            assert bar.count() == 0
            with page.expect_navigation():
                page.click("#import-confirm-form button[type=submit]")
            page.locator("#import-result").wait_for(timeout=60_000)
            result = page.locator("#import-result").inner_text()
    assert f"Đã nhập tệp lon.csv: thêm {BIG_VN}, cập nhật 0, giữ nguyên 0 cơ sở." in result
    with page.expect_navigation():
        page.click("main >> text=Xem danh sách cơ sở")
    assert page.locator("#facility-count").inner_text().endswith(f"{BIG_VN} cơ sở")
    assert ImportJob.objects.get().state == ImportJob.State.DONE
