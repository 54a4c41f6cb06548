"""The dashboard on a 360×640 phone, in a real browser (Debian Chromium via Playwright): the year
and group selects of its filter form shrink to the screen, however long their longest option (the
group select's groupings), so the page never scrolls sideways — in both languages."""

import pytest
from django.urls import reverse

from accounts.models import Role

from .browser import wait_for_request_threads
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Man-hinh-hep-2026!"
NARROW = {"width": 360, "height": 640}


@pytest.fixture
def narrow_page(browser, live_server):
    UserFactory(username="canbo_hep", role=Role.STAFF, password=PASSWORD)
    context = browser.new_context(locale="vi-VN", viewport=NARROW)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "canbo_hep")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    yield page
    context.close()
    wait_for_request_threads()


def _widths(page) -> dict:
    return page.evaluate(
        """() => ({
            viewport: window.innerWidth,
            page: document.documentElement.scrollWidth,
            group: document.querySelector('#id_group').getBoundingClientRect().right,
            year: document.querySelector('#id_year').getBoundingClientRect().right,
        })"""
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dashboard_filter_selects_fit_a_360px_screen(narrow_page, live_server, language):
    narrow_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    narrow_page.goto(live_server.url + reverse("reports:dashboard"))
    widths = _widths(narrow_page)
    assert widths["page"] <= widths["viewport"], widths
    assert widths["group"] <= widths["viewport"], widths
    assert widths["year"] <= widths["viewport"], widths
    # The select is still usable: the chosen grouping can be changed and read.
    options = narrow_page.locator("#id_group option")
    assert options.count() > 1
