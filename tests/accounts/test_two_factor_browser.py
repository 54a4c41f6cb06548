"""Two-factor login through a real browser (Debian Chromium driven by Playwright)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role

from ..browser import ARTEFACTS
from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_staff_logs_in_with_password_and_code(page, live_server, settings):
    settings.OTP_REQUIRED_ROLES = ("staff", "official")
    user = UserFactory(username="canbo_2fa", role=Role.STAFF, password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "canbo_2fa")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")

    # The second step: no work page yet.
    assert page.url.startswith(live_server.url + "/accounts/two-factor/")
    assert page.locator("h1").inner_text() == "Xác thực hai lớp"
    page.goto(live_server.url + "/facilities/")
    assert page.url.startswith(live_server.url + "/accounts/two-factor/")

    page.fill("#id_code", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")

    assert page.url == live_server.url + "/facilities/"
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Trang làm việc của cán bộ Sở Công Thương"
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "staff-home-2fa.png"), full_page=True)


def test_staff_without_device_sees_the_qr_code(page, live_server, settings):
    settings.OTP_REQUIRED_ROLES = ("staff", "official")
    UserFactory(username="canbo_moi", role=Role.STAFF, password=PASSWORD)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "canbo_moi")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")

    assert page.url.startswith(live_server.url + "/accounts/two-factor/setup/")
    qr = page.locator("#totp-qr svg")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "two-factor-setup.png"), full_page=True)
    device = TOTPDevice.objects.get(user__username="canbo_moi")
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.startswith(live_server.url + "/accounts/two-factor/backup-codes/")
    assert page.locator("#backup-codes li").count() == 10
    page.screenshot(path=str(ARTEFACTS / "two-factor-backup-codes.png"), full_page=True)
