"""Accessibility, second round, in a real browser (Debian Chromium through Playwright against a
live server): a day-first date field's own error is shown under it, not only its red border
(static/js/portal.js wraps the input in an input group with its calendar button), and the
facility user's menu bar fits every desktop width without cutting the language switch."""

import pytest
from django.urls import reverse

from accounts.models import Role

from .browser import signed_in_page, wait_for_request_threads
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Vong-hai-a11y-2026!"


def test_a_bad_date_shows_its_own_error_under_the_field(browser, live_server):
    UserFactory(username="canbo_ngay", role=Role.STAFF, password=PASSWORD)
    page = signed_in_page(browser, live_server, "canbo_ngay", PASSWORD)
    try:
        page.goto(live_server.url + reverse("assessments:activity_create"))
        page.fill("#id_date", "31/02/2026")
        with page.expect_navigation():
            page.click("main form button[type=submit]")

        field = page.locator("#id_date")
        assert "is-invalid" in field.get_attribute("class")
        described_by = field.get_attribute("aria-describedby").split()
        assert "id_date_error" in described_by
        error = page.locator("#id_date_error")
        assert error.is_visible()
        assert error.inner_text().strip()
        # Under the input and its calendar button, not beside them.
        field_box, error_box = field.bounding_box(), error.bounding_box()
        assert error_box["y"] >= field_box["y"] + field_box["height"] - 1
        # The calendar button is still there, with its name, beside the input.
        button = page.get_by_role("button", name="Chọn ngày", exact=True)
        assert button.is_visible()
        assert abs(button.bounding_box()["y"] - field_box["y"]) <= 1
    finally:
        page.context.close()
        wait_for_request_threads()


# Every desktop width from the one where the menu may still be collapsed (992 px) to 1440 px,
# around the 1200 px breakpoint where it becomes a single row in every pixel.
WIDTHS = sorted({*range(992, 1441, 8), *range(1196, 1232)})


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_facility_menu_bar_needs_no_sideways_scroll(browser, live_server, facility, language):
    user = UserFactory(
        username="coso_menu",
        role=Role.FACILITY,
        password=PASSWORD,
        language=language,
        full_name="Nguyễn Thị Thu Hương Lan",
    )
    user.facilities.add(facility)
    page = signed_in_page(browser, live_server, "coso_menu", PASSWORD, width=1200, height=768)
    try:
        assert page.locator("html").get_attribute("lang") == language
        # Playwright's Chromium hides scrollbars; a desktop browser's classic one takes 17 px
        # of the window's width on a long page without changing its media width: pad for it.
        page.evaluate("document.documentElement.style.paddingRight = '17px'")
        too_wide = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 768})
            sizes = page.evaluate(
                """() => {
                    const bar = document.querySelector(".navbar-portal > .container-fluid");
                    const select = document.querySelector(".language-select");
                    return {
                        scroll: document.documentElement.scrollWidth,
                        client: document.documentElement.clientWidth,
                        bar: bar.scrollWidth - bar.clientWidth,
                        selectRight: select.getBoundingClientRect().right + 17,
                        rows: new Set(
                            [...document.querySelectorAll("#main-menu > li")].map(
                                (item) => Math.round(item.getBoundingClientRect().top)
                            )
                        ).size,
                    };
                }"""
            )
            if (
                sizes["scroll"] > sizes["client"]
                or sizes["bar"] > 0
                or sizes["selectRight"] > sizes["client"]
                # From 1200 px the menu is one row (below, it is behind the menu button).
                or (width >= 1200 and sizes["rows"] != 1)
            ):
                too_wide.append((width, sizes))
        assert too_wide == []
    finally:
        page.context.close()
        wait_for_request_threads()
