"""Log in through a real browser (Debian Chromium driven by Playwright) against a live server."""

import pytest

from accounts.models import Role

from .browser import ARTEFACTS
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"


@pytest.fixture
def responses():
    """Every response the page loads, for the static-file checks."""
    return []


@pytest.fixture
def page(browser, responses):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("response", lambda response: responses.append(response))
    yield page
    context.close()


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def _static_status(responses, suffix):
    statuses = [r.status for r in responses if r.url.split("?")[0].endswith(suffix)]
    assert statuses, f"{suffix} was never requested"
    return statuses[-1]


def test_staff_logs_in_and_sees_work_page(page, responses, live_server):
    UserFactory(username="canbo_trinhduyet", role=Role.STAFF, password=PASSWORD)

    _log_in(page, live_server, "canbo_trinhduyet")

    assert page.url == live_server.url + "/"
    assert page.locator("h1").inner_text() == "Trang làm việc của cán bộ Sở Công Thương"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert _static_status(responses, "/bootstrap.min.css") == 200
    assert _static_status(responses, "/bootstrap.bundle.min.js") == 200
    assert _static_status(responses, "/css/portal.css") == 200
    # Bootstrap really applied: the navbar is a flex container only with its CSS loaded.
    assert page.locator("nav.navbar").evaluate("el => getComputedStyle(el).display") == "flex"

    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "staff-home.png"), full_page=True)
    assert (ARTEFACTS / "staff-home.png").stat().st_size > 0


def test_facility_user_sees_only_their_facility(
    page, responses, live_server, facility, other_facility
):
    user = UserFactory(username="coso_trinhduyet", role=Role.FACILITY, password=PASSWORD)
    user.facilities.add(facility)

    _log_in(page, live_server, "coso_trinhduyet")

    body = page.locator("main").inner_text()
    assert facility.name in body
    assert other_facility.name not in body
    assert _static_status(responses, "/bootstrap.min.css") == 200
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "facility-home.png"), full_page=True)

    # Their facility's page opens; the other one's is a 404 even by typed URL.
    page.click(f"text={facility.name}")
    page.wait_for_load_state("load")
    assert facility.tax_code in page.locator("main").inner_text()
    response = page.goto(live_server.url + f"/facilities/{other_facility.pk}/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("main").inner_text()


def test_wrong_password_stays_on_login_page(page, live_server):
    UserFactory(username="canbo_sai", role=Role.STAFF, password="Mot-mat-khau-khac-1")

    _log_in(page, live_server, "canbo_sai")

    assert page.url.startswith(live_server.url + "/accounts/login/")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator("main form").inner_text()


def test_staff_logs_out_from_the_user_menu(page, live_server):
    UserFactory(username="canbo_dangxuat", role=Role.STAFF, password=PASSWORD)
    _log_in(page, live_server, "canbo_dangxuat")

    # The menu opens only if Bootstrap's JavaScript loaded and runs.
    page.click("#user-menu")
    with page.expect_navigation():
        page.click("text=Đăng xuất")
    assert page.url.startswith(live_server.url + "/accounts/login/")

    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/accounts/login/?next=/")


def test_language_switcher_changes_the_page_language(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"

    with page.expect_navigation():
        page.select_option("#language-form select", "en")
    assert page.url == live_server.url + "/accounts/login/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("label[for=id_username]").inner_text().startswith("Username")
