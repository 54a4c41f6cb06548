"""What a new user meets walking through the portal in a real browser (Debian Chromium driven by
Playwright): confirmations before destructive actions, pages that fit a phone, Vietnamese errors
on forms submitted empty."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import BackupCode, Role
from accounts.two_factor import new_backup_codes

from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"
PHONE = {"width": 390, "height": 844}


def _page(browser, viewport=None):
    context = browser.new_context(
        locale="vi-VN", viewport=viewport or {"width": 1366, "height": 768}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser):
    page = _page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser):
    page = _page(browser, PHONE)
    yield page
    page.context.close()


def _log_in(page, live_server, username):
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def _answer_dialogs(page, *, accept):
    """Answer every confirm() of the page; return the questions asked."""
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", answer)
    return questions


def _click_and_dismiss(page, selector: str) -> list[str]:
    """Click `selector` and cancel the confirmation it asks for; the questions asked."""
    questions = _answer_dialogs(page, accept=False)
    page.click(selector)
    page.wait_for_timeout(300)  # a form that was sent anyway would be navigating by now
    return questions


def test_revoking_an_api_token_asks_first(page, live_server):
    user = UserFactory(username="coso_thuhoi", role=Role.FACILITY, password=PASSWORD)
    token, _key = tokens.issue(user, "Phần mềm kế toán")
    _log_in(page, live_server, "coso_thuhoi")
    page.goto(live_server.url + reverse("accounts:security"))

    questions = _click_and_dismiss(page, "#api-tokens button:has-text('Thu hồi')")

    assert len(questions) == 1
    assert "Phần mềm kế toán" in questions[0]
    token.refresh_from_db()
    assert token.is_usable
    assert page.url == live_server.url + reverse("accounts:security")


def test_a_confirmed_revocation_revokes(page, live_server):
    user = UserFactory(username="coso_thuhoi2", role=Role.FACILITY, password=PASSWORD)
    token, _key = tokens.issue(user, "Phần mềm kế toán")
    _log_in(page, live_server, "coso_thuhoi2")
    page.goto(live_server.url + reverse("accounts:security"))

    questions = _answer_dialogs(page, accept=True)
    with page.expect_navigation():
        page.click("#api-tokens button:has-text('Thu hồi')")

    assert len(questions) == 1
    token.refresh_from_db()
    assert not token.is_usable
    assert "Đã thu hồi" in page.locator("#api-tokens").inner_text()


def test_new_backup_codes_are_made_only_after_a_confirmation(page, live_server):
    user = UserFactory(username="coso_maduphong", role=Role.FACILITY, password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    new_backup_codes(user)
    codes_before = set(BackupCode.objects.filter(device__user=user).values_list("pk", flat=True))
    _log_in(page, live_server, "coso_maduphong")
    page.fill("#id_code", f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(live_server.url + reverse("accounts:security"))

    questions = _click_and_dismiss(page, "button:has-text('Tạo mã dự phòng mới')")

    assert len(questions) == 1
    assert "mã dự phòng cũ" in questions[0]
    codes_after = set(BackupCode.objects.filter(device__user=user).values_list("pk", flat=True))
    assert codes_after == codes_before
    assert page.url == live_server.url + reverse("accounts:security")


def test_the_user_list_fits_a_phone(phone_page, live_server, facility):
    UserFactory(username="canbo_dienthoai", role=Role.STAFF, password=PASSWORD)
    member = UserFactory(
        username="coso_ten_dang_nhap_dai", role=Role.FACILITY, full_name="Nguyễn Thị Minh Khai"
    )
    member.facilities.add(facility)
    _log_in(phone_page, live_server, "canbo_dienthoai")

    phone_page.goto(live_server.url + reverse("accounts:user_list"))

    assert "coso_ten_dang_nhap_dai" in phone_page.locator("main").inner_text()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def test_password_change_submitted_empty_says_so_in_vietnamese(page, live_server):
    UserFactory(username="coso_doimatkhau", role=Role.FACILITY, password=PASSWORD)
    _log_in(page, live_server, "coso_doimatkhau")
    page.goto(live_server.url + reverse("accounts:password_change"))

    # The portal's own messages, not the browser's (which speak the browser's language).
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    errors = page.locator("main .invalid-feedback").all_inner_texts()
    assert len(errors) == 3
    assert all("Trường này là bắt buộc." in error for error in errors)


@pytest.mark.parametrize("url", ["facilities:list", "reports:dashboard"])
def test_the_registry_and_the_dashboard_fit_a_phone(phone_page, live_server, facility, url):
    """Their button and filter rows wrap instead of pushing "Thêm cơ sở" or "Quản lý chỉ tiêu"
    off a 390 px screen; the dashboard's period is named once, without its years repeated."""
    from assessments.models import PlanPeriod

    PlanPeriod.objects.create(
        code="KH2021", name="Kế hoạch SXSH giai đoạn 2021–2030", start_year=2021, end_year=2030
    )
    UserFactory(username="canbo_dienthoai", role=Role.STAFF, password=PASSWORD)
    _log_in(phone_page, live_server, "canbo_dienthoai")

    phone_page.goto(live_server.url + reverse(url))

    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    main = phone_page.locator("main").inner_text()
    if url == "reports:dashboard":
        assert "Kế hoạch SXSH giai đoạn 2021–2030" in main and "(2021–2030)" not in main
        assert phone_page.locator("#year-form select").first.bounding_box()["width"] >= 90
