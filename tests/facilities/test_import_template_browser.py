"""Staff download the import template in a real browser (Chromium), fill it in with one good row
and one with a wrong commune code, and read an error that names the column as the file heads it
and by its letter (issue 16 point 7)."""

import io
from pathlib import Path

import pytest
from django.db import connections
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accounts.models import Role
from facilities.import_columns import COLUMN_KEYS, LABELS
from facilities.reference import load_admin_units

from ..browser import ARTEFACTS, wait_for_request_threads
from ..factories import UserFactory
from .import_helpers import good_row

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Mau-nhap-2026!"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    connections.close_all()
    context.close()
    wait_for_request_threads()


def test_the_downloaded_template_lists_codes_and_errors_name_the_column(
    page, live_server, settings, tmp_path
):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)
    UserFactory(username="canbo_mau", role=Role.STAFF, password=PASSWORD)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "canbo_mau")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.goto(live_server.url + "/facilities/import/")
    with page.expect_download() as download:
        page.click("text=Tải tệp mẫu (.xlsx)")
    template = Path(tmp_path / "mau.xlsx")
    download.value.save_as(template)
    workbook = load_workbook(template)
    wards = [r[0] for r in workbook["XaPhuong"].iter_rows(min_row=2, values_only=True) if r[0]]
    communes = [r[3] for r in workbook["XaPhuong"].iter_rows(min_row=2, values_only=True) if r[3]]
    assert len(wards) > 50 and len(communes) > 100  # Bắc Ninh since 2025, and its old parts
    data = workbook["DuLieu"]
    covered = {str(dv.sqref).split(":")[0] for dv in data.data_validations.dataValidation}
    for key in ("commune_code", "ward_code", "vsic_code", "ownership", "status"):
        assert f"{get_column_letter(COLUMN_KEYS.index(key) + 1)}2" in covered, key
    good = good_row(1, commune_code=communes[0], ward_code="", vsic_code="10")
    bad = good_row(2, commune_code="99999", ward_code="", vsic_code="10")
    for number, row in enumerate((good, bad), start=2):  # where people type: rows 2 and 3
        for column, key in enumerate(COLUMN_KEYS, start=1):
            data.cell(row=number, column=column, value=row[key])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled = tmp_path / "mau-da-dien.xlsx"
    filled.write_bytes(buffer.getvalue())

    page.set_input_files("#id_file", str(filled))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    cells = page.locator("#import-problems tbody tr").first.locator("td")
    letter = get_column_letter(COLUMN_KEYS.index("commune_code") + 1)
    assert cells.nth(0).inner_text() == "3"
    assert cells.nth(1).inner_text() == f"{letter} («{LABELS['commune_code']}»)"
    assert "99999" in cells.nth(2).inner_text()
    assert page.locator("#import-problems tbody tr").count() == 1
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "import-template-error.png"), full_page=True)
