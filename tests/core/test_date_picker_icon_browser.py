"""The calendar button of a day-first date field (static/js/portal.js) in a real browser: its icon
is drawn (an inline SVG), not an emoji that shows as an empty box where no colour-emoji font is
installed (Debian's Chromium here), and the button is named for screen readers."""

import pytest
from django.urls import reverse

from accounts.models import Role

from ..browser import signed_in_page
from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Lich-chon-ngay-2026!"


def test_the_calendar_button_draws_its_icon_and_has_a_name(browser, live_server):
    UserFactory(username="canbo_lich", role=Role.STAFF, password=PASSWORD)
    page = signed_in_page(browser, live_server, "canbo_lich", PASSWORD)
    page.goto(live_server.url + reverse("assessments:activity_create"))

    button = page.locator("#id_date ~ .date-picker-button")
    assert button.is_visible()
    # No text at all, so no emoji (U+1F4C5 was written here) and no character outside the BMP.
    text = button.evaluate("b => b.textContent")
    assert text.strip() == "" and not any(ord(c) > 0xFFFF for c in text)
    icon = button.locator("svg")
    assert icon.count() == 1 and icon.get_attribute("aria-hidden") == "true"
    box = icon.bounding_box()
    assert box["width"] >= 12 and box["height"] >= 12
    assert icon.locator("path").count() >= 1
    # Its accessible name is the label, as assistive technology computes it.
    assert page.get_by_role("button", name="Chọn ngày", exact=True).count() == 1
    assert button.get_attribute("title") == "Chọn ngày"
