"""An official uses the indicator dashboard in a real browser (Debian Chromium via Playwright)."""

import pytest

from accounts.models import Role

from ..browser import ARTEFACTS
from ..factories import UserFactory
from .indicator_helpers import facility, report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Chi-tieu-2026!"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def data():
    # The seeded plan and factors are there: conftest restores them after a flushing test.
    gom = facility(name="Công ty Gốm Phù Lãng")
    report(gom, 2017, aware=True)
    report(gom, 2018, aware=True, applies_cp=True)
    nhua = facility(name="Công ty Nhựa Tiên Sơn")
    report(nhua, 2017)
    report(nhua, 2018, aware=True)
    UserFactory(username="lanhdao_chitieu", role=Role.OFFICIAL, password=PASSWORD)


def _log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "lanhdao_chitieu")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _card(page, code):
    return page.locator(f'.indicator-card[data-code="{code}"]')


def test_official_changes_the_year_and_opens_the_facilities_behind_a_number(
    page, live_server, data
):
    _log_in(page, live_server)
    page.click("#main-menu >> text=Thống kê")  # the section's drop-down
    with page.expect_navigation():
        page.click("#main-menu .dropdown-menu >> text=Chỉ tiêu")

    assert page.locator("h1").inner_text() == "Chỉ tiêu Kế hoạch SXSH năm 2018"
    assert _card(page, "AWARE_PCT").locator(".indicator-actual").inner_text() == "100,0"
    # Chart.js loaded from static/ and drew the trend charts.
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas.trend-chart'))"
        ".filter(c => Chart.getChart(c)).length"
    )
    assert drawn == 5

    with page.expect_navigation():
        page.select_option("#year-form select", "2017")
    assert page.locator("h1").inner_text() == "Chỉ tiêu Kế hoạch SXSH năm 2017"
    aware = _card(page, "AWARE_PCT")
    assert aware.locator(".indicator-actual").inner_text() == "50,0"
    assert aware.locator(".badge").inner_text() == "Chưa đạt"
    assert page.evaluate("Chart.getChart(document.getElementById('group-chart')) !== undefined")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)

    with page.expect_navigation():
        aware.locator("a.numerator-link").click()
    body = page.locator("main").inner_text()
    assert "Công ty Gốm Phù Lãng" in body
    assert "Công ty Nhựa Tiên Sơn" not in body
    assert "1 cơ sở" in page.locator("#facility-count").inner_text()
    assert page.js_errors == []
