"""On a 375 px phone (Debian Chromium through Playwright against a live server): the wide tables
scroll inside their own box, the page never sideways, also when a header cell holds a
screen-reader-only label (Bootstrap's .visually-hidden is position:absolute, see
static/css/portal.css); and a failed login's error summary takes the focus."""

import pytest
from django.urls import reverse

from accounts.models import Role

from .browser import signed_in_page, wait_for_request_threads
from .factories import AssessmentFactory, OptionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Dien-thoai-375-2026!"
PHONE = {"width": 375, "height": 740}


def _widths(page, table_id: str) -> dict:
    return page.evaluate(
        """(tableId) => ({
            viewport: document.documentElement.clientWidth,
            page: document.documentElement.scrollWidth,
            table: document.getElementById(tableId).scrollWidth,
            header: document.querySelectorAll(`#${tableId} th .visually-hidden`).length,
        })""",
        table_id,
    )


def _assert_scrolls_in_its_box(page, table_id: str):
    widths = _widths(page, table_id)
    # The page is a real case: a wide table with a hidden header label, wider than the phone.
    assert widths["header"] == 1, widths
    assert widths["table"] > widths["viewport"], widths
    assert widths["page"] <= widths["viewport"], widths


def test_a_draft_assessments_options_fit_a_phone(browser, live_server, facility):
    user = UserFactory(username="coso_dt", role=Role.FACILITY, password=PASSWORD)
    user.facilities.add(facility)
    assessment = AssessmentFactory(facility=facility, state="draft")
    OptionFactory(assessment=assessment)
    page = signed_in_page(browser, live_server, "coso_dt", PASSWORD, **PHONE)
    try:
        page.goto(live_server.url + reverse("assessments:assessment_detail", args=[assessment.pk]))
        _assert_scrolls_in_its_box(page, "option-table")
    finally:
        page.context.close()
        wait_for_request_threads()


def test_the_option_library_fits_a_phone_for_staff(browser, live_server, facility):
    UserFactory(username="canbo_dt", role=Role.STAFF, password=PASSWORD)
    OptionFactory(assessment=AssessmentFactory(facility=facility, state="approved"))
    page = signed_in_page(browser, live_server, "canbo_dt", PASSWORD, **PHONE)
    try:
        page.goto(live_server.url + reverse("assessments:option_library"))
        _assert_scrolls_in_its_box(page, "library-examples")
    finally:
        page.context.close()
        wait_for_request_threads()


def test_a_failed_login_focuses_its_error_summary(browser, live_server):
    UserFactory(username="coso_sai", role=Role.FACILITY, password=PASSWORD)
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("#id_username", "coso_sai")
        page.fill("#id_password", "mat-khau-sai")
        with page.expect_navigation():
            page.click("main form button[type=submit]")

        summary = page.locator("[data-error-summary]")
        assert summary.get_attribute("role") == "alert"
        assert "mật khẩu không đúng" in summary.inner_text()
        # The summary, not the username field's autofocus, has the focus.
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    finally:
        context.close()
        wait_for_request_threads()
