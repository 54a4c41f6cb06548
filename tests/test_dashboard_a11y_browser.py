"""Keyboard and screen-reader use of the dashboard and a facility's charts, in a real browser
(Debian Chromium via Playwright):

- WCAG 3.2.2: ↑/↓ on a focused select (the dashboard's year and group, the language switch) only
  changes the choice; Enter (or the form's button) sends it, a pointer's pick still sends it;
- the facility's progress and intensity charts draw the saving lines over the bars, from a 0 %
  axis, under the same name;
- at 390×844 the table scroll boxes of the progress, intensity and benchmark pages pass axe
  (`scrollable-region-focusable`: reachable with the keyboard, named)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role

from .browser import ARTEFACTS, axe_violations, wait_for_request_threads
from .factories import FacilityFactory, IndustryCodeFactory, UserFactory
from .reports.indicator_helpers import report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Ban-phim-2026!"
PHONE = {"width": 390, "height": 844}
TARGET_LINE = "Chỉ tiêu tiết kiệm của Kế hoạch, mức thấp (8 %)"


@pytest.fixture
def data():
    # The seeded plan and factors are there: conftest restores them after a flushing test.
    bricks = IndustryCodeFactory(code="23", name="Sản xuất sản phẩm từ khoáng phi kim loại khác")
    own = FacilityFactory(name="Công ty Gạch Tuynel Quế Võ", industry=bricks)
    for year, coal in ((2016, 100), (2017, 95), (2018, 88), (2019, 86), (2020, 84)):
        report(own, year, coal_t=Decimal(coal), aware=True)
    for n, coal in enumerate((50, 60, 70, 80, 90, 100, 110, 120, 130)):
        peer = FacilityFactory(name=f"Công ty Gạch Cùng Ngành {n}", industry=bricks)
        report(peer, 2020, coal_t=Decimal(coal))
    UserFactory(username="canbo_banphim", role=Role.STAFF, password=PASSWORD)
    return own


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_page(path, viewport=None):
        # axe goes in as a <script>: the portal's Content-Security-Policy would refuse it.
        context = browser.new_context(
            locale="vi-VN", viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("#id_username", "canbo_banphim")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    wait_for_request_threads()


def _mark(page):
    """A flag in the page's window: gone once the page has been reloaded."""
    page.evaluate("window.__notReloaded = true")


def _not_reloaded(page) -> bool:
    page.wait_for_timeout(600)  # a submit() would have started the navigation by then
    return page.evaluate("window.__notReloaded === true")


def test_arrow_keys_on_the_dashboard_selects_do_not_reload_the_page(open_page, data):
    page = open_page(reverse("reports:dashboard") + "?year=2020")
    year = page.locator("#year-form select[name=year]")
    url = page.url

    year.focus()
    _mark(page)
    page.keyboard.press("ArrowUp")
    assert _not_reloaded(page)
    assert page.url == url
    assert year.input_value() == "2019"
    assert page.evaluate("document.activeElement.name") == "year"
    page.keyboard.press("ArrowUp")
    assert _not_reloaded(page)
    assert year.input_value() == "2018"

    group = page.locator("#year-form select[name=group]")
    group.focus()
    before = group.input_value()
    page.keyboard.press("ArrowDown")
    assert _not_reloaded(page)
    assert group.input_value() != before

    # Enter sends the choices, as the "Xem" button does.
    year.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Chỉ tiêu Kế hoạch SXSH năm 2018"
    assert "year=2018" in page.url

    # A pick (the pointer's choice in the list, or a script's) still loads the year at once.
    with page.expect_navigation():
        page.select_option("#year-form select[name=year]", "2017")
    assert page.locator("h1").inner_text() == "Chỉ tiêu Kế hoạch SXSH năm 2017"
    assert page.js_errors == []


def test_arrow_keys_on_the_language_switch_do_not_reload_the_page(open_page, data):
    page = open_page(reverse("reports:dashboard") + "?year=2020")
    select = page.locator("#language-form select")
    assert page.locator("#language-form button[type=submit]").count() == 0

    select.focus()
    _mark(page)
    page.keyboard.press("ArrowDown")
    assert _not_reloaded(page)
    assert select.input_value() == "en"
    assert page.evaluate("document.activeElement.name") == "language"
    # A keyboard user is offered a button to send the choice, next in the tab order.
    button = page.locator("#language-form button[type=submit]")
    assert button.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.js_errors == []


def test_saving_lines_over_the_bars_from_zero_under_one_name(open_page, data):
    page = open_page(reverse("reports:facility_progress", args=[data.pk]))
    progress = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById('progress-chart'));
            return {
                orders: chart.data.datasets.map(d => [d.type, d.order || 0]),
                labels: chart.data.datasets.map(d => d.label),
            };
        }"""
    )
    bars = [order for kind, order in progress["orders"] if kind == "bar"]
    lines = [order for kind, order in progress["orders"] if kind == "line"]
    # Chart.js draws a lower `order` on top.
    assert min(bars) > max(lines), progress["orders"]
    assert TARGET_LINE in progress["labels"]

    page.goto(page.url.replace("/progress/", "/intensity/"))
    intensity = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById('intensity-chart'));
            return {
                orders: chart.data.datasets.map(d => [d.type, d.order || 0]),
                labels: chart.data.datasets.map(d => d.label),
                savingMin: chart.scales.saving.min,
            };
        }"""
    )
    bars = [order for kind, order in intensity["orders"] if kind == "bar"]
    lines = [order for kind, order in intensity["orders"] if kind == "line"]
    assert min(bars) > max(lines), intensity["orders"]
    # The 8 % line is above the x-axis, not on it.
    assert intensity["savingMin"] == 0
    assert TARGET_LINE in intensity["labels"]
    assert "Chỉ tiêu tiết kiệm của Kế hoạch, mức cao (13 %)" in intensity["labels"]
    assert page.js_errors == []


@pytest.mark.parametrize("name", ["facility_progress", "facility_intensity", "sector_scores"])
def test_table_scroll_boxes_pass_axe_on_a_phone(open_page, data, name):
    args = [data.pk] if name != "sector_scores" else []
    page = open_page(reverse(f"reports:{name}", args=args), PHONE)
    assert page.locator(".table-responsive").count() >= 1

    violations = axe_violations(page)
    if violations:
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"a11y-scroll-{name}.png"), full_page=True)
    assert violations == []
