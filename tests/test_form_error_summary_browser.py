"""After a failed save the error summary is where the user looks, and the bar of the main menu
fits the window (Debian Chromium through Playwright against a live server)."""

import pytest

from accounts.models import Role

from .browser import signed_in_page, wait_for_request_threads
from .factories import AnnualReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"


def _summary_in_view(page) -> dict:
    return page.evaluate(
        """() => {
            const summary = document.querySelector("[data-error-summary]");
            const box = summary.getBoundingClientRect();
            return {
                focused: document.activeElement === summary,
                inView: box.top >= 0 && box.bottom <= window.innerHeight,
                scrollY: window.scrollY,
            };
        }"""
    )


def test_a_failed_save_of_the_annual_report_focuses_the_error_summary(browser, live_server):
    user = UserFactory(username="coso_loi", role=Role.FACILITY, password=PASSWORD)
    report = AnnualReportFactory(state="draft")
    user.facilities.add(report.facility)
    page = signed_in_page(browser, live_server, "coso_loi", PASSWORD, height=700)
    try:
        page.goto(f"{live_server.url}/assessments/reports/{report.pk}/edit/")
        page.fill("#id_water_m3", "12.5")
        with page.expect_navigation():
            page.click("button[name=save]")

        summary = page.locator("[data-error-summary]")
        assert summary.get_attribute("role") == "alert"
        assert summary.locator("h2").inner_text() == "Chưa lưu được: có 1 lỗi cần sửa"
        state = _summary_in_view(page)
        assert state["focused"] and state["inView"], state

        # The link takes the user to the field itself, with the focus in it.
        summary.locator("a[href='#id_water_m3']").click()
        assert page.evaluate("document.activeElement.id") == "id_water_m3"
    finally:
        page.context.close()
        wait_for_request_threads()


def test_a_failed_save_of_a_facility_focuses_the_error_summary(browser, live_server, facility):
    UserFactory(username="canbo_loi", role=Role.STAFF, password=PASSWORD)
    page = signed_in_page(browser, live_server, "canbo_loi", PASSWORD, height=700)
    try:
        page.goto(f"{live_server.url}/facilities/{facility.pk}/edit/")
        page.fill("#id_contact_email", "abc")
        with page.expect_navigation():
            page.click("main form button[type=submit]")

        summary = page.locator("[data-error-summary]")
        assert summary.locator("a[href='#id_contact_email']").count() == 1
        state = _summary_in_view(page)
        assert state["focused"] and state["inView"], state
    finally:
        page.context.close()
        wait_for_request_threads()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_staff_menu_bar_needs_no_sideways_scroll(browser, live_server, language):
    UserFactory(
        username="canbo_menu",
        role=Role.STAFF,
        password=PASSWORD,
        language=language,
        full_name="Nguyễn Thị Thu Hương Lan",
    )
    page = signed_in_page(browser, live_server, "canbo_menu", PASSWORD, width=1280, height=768)
    try:
        assert page.locator("html").get_attribute("lang") == language
        # Playwright's Chromium hides scrollbars; a desktop browser's classic one takes 17 px
        # of the window's width on a long page without changing its media width: pad for it.
        page.evaluate("document.documentElement.style.paddingRight = '17px'")
        for width in (1200, 1240, 1280, 1320, 1366, 1400):
            page.set_viewport_size({"width": width, "height": 768})
            sizes = page.evaluate(
                """() => {
                    const select = document.querySelector(".language-select");
                    return {
                        scroll: document.documentElement.scrollWidth,
                        client: document.documentElement.clientWidth,
                        selectRight: select.getBoundingClientRect().right + 17,
                    };
                }"""
            )
            assert sizes["scroll"] <= sizes["client"], (width, sizes)
            assert sizes["selectRight"] <= sizes["client"], (width, sizes)
    finally:
        page.context.close()
        wait_for_request_threads()
