"""Every main page of every role in a real browser (Debian Chromium via Playwright): no serious or
critical axe-core violation (tests/vendor/axe.min.js) and no sideways scrolling, at 1366×768 and,
for the facility user's pages, on a 390×844 phone too.

One live server, one browser and one set of demo data (ops.demo.seed_demo) serve the whole module;
each role signs in once through the login form and its session is reused. The data is committed,
so the module flushes the tables at its end and restores the reference data, as a transactional
test does."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from assessments.models import AnnualReport, Assessment
from ops.demo import DEMO_PASSWORD, seed_demo

from .browser import ARTEFACTS, axe_violations, launch_chromium, wait_for_request_threads
from .conftest import restore_reference_data

# django_db: the test database must exist; the tests themselves write nothing (the live server's
# threads read the module's committed data).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LOGINS = {Role.STAFF: "canbo", Role.OFFICIAL: "lanhdao", Role.FACILITY: "coso"}


def _url(name, *keys):
    """A page's path from the demo objects (`keys` name them in the `objects` dict)."""
    return lambda objects: reverse(name, args=[objects[key] for key in keys])


STAFF_PAGES = {
    "home": _url("home"),
    "facility-list": _url("facilities:list"),
    "facility-detail": _url("facilities:detail", "facility"),
    "facility-form": _url("facilities:edit", "facility"),
    "facility-import": _url("facilities:import"),
    "report-list": _url("assessments:report_list"),
    "review-queue": _url("assessments:review_queue"),
    "report-detail": _url("assessments:report_detail", "report"),
    "report-form": _url("assessments:report_create", "facility"),
    "assessment-list": _url("assessments:assessment_list"),
    "assessment-detail": _url("assessments:assessment_detail", "assessment"),
    "activity-form": _url("assessments:activity_create"),
    "dashboard": _url("reports:dashboard"),
    "plan": _url("reports:plan"),
    "documents": _url("reports:list"),
    "findings": _url("assessments:quality_findings"),
    "users": _url("accounts:user_list"),
}
OFFICIAL_PAGES = {
    "home": _url("home"),
    "dashboard": _url("reports:dashboard"),
    "facility-list": _url("facilities:list"),
    "facility-detail": _url("facilities:detail", "facility"),
    "documents": _url("reports:list"),
    "help": _url("reports:help"),
}
FACILITY_PAGES = {
    "home": _url("home"),
    "facility-detail": _url("facilities:detail", "facility"),
    "report-list": _url("assessments:report_list"),
    "report-form": _url("assessments:report_edit", "draft"),
    "report-detail": _url("assessments:report_detail", "report"),
    "assessment-list": _url("assessments:assessment_list"),
}
ANONYMOUS_PAGES = {
    "login": _url("accounts:login"),
    # The help page needs a login (it redirects here); the password reset page is the other
    # page a visitor reaches.
    "password-reset": _url("accounts:password_reset"),
}

CASES = [
    *[(Role.STAFF, page, DESKTOP) for page in STAFF_PAGES],
    *[(Role.OFFICIAL, page, DESKTOP) for page in OFFICIAL_PAGES],
    *[(Role.FACILITY, page, size) for size in (DESKTOP, PHONE) for page in FACILITY_PAGES],
    *[("", page, DESKTOP) for page in ANONYMOUS_PAGES],
]
PAGES = {
    Role.STAFF: STAFF_PAGES,
    Role.OFFICIAL: OFFICIAL_PAGES,
    Role.FACILITY: FACILITY_PAGES,
    "": ANONYMOUS_PAGES,
}


def _case_id(case):
    role, page, size = case
    return f"{role or 'anonymous'}-{page}-{size['width']}"


def _demo_objects() -> dict:
    seed_demo(facilities=12, seed=5)
    coso = User.objects.get(username=LOGINS[Role.FACILITY])
    facility = coso.facilities.order_by("pk").first()
    reports = AnnualReport.objects.filter(facility=facility)
    # The facility user's form: a draft of the newest year (the demo's states are random).
    draft = reports.order_by("-year").first()
    AnnualReport.objects.filter(pk=draft.pk).update(state="draft")
    report = reports.exclude(pk=draft.pk).order_by("-year").first()
    assessment = Assessment.objects.order_by("pk").first()
    return {
        "facility": facility.pk,
        "draft": draft.pk,
        "report": report.pk,
        "assessment": assessment.pk,
    }


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The live server and the demo objects, for the whole module."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        objects = _demo_objects()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server, objects
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            wait_for_request_threads()
            call_command("flush", interactive=False, verbosity=0)
            restore_reference_data()


@pytest.fixture(scope="module")
def browser(site):
    """As conftest's, but closed before the live server stops (its keep-alive sockets hold
    request threads and their database connections)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def sessions(browser, site):
    """Each role's signed-in browser state (cookies), from one pass through the login form."""
    server, _ = site
    states = {"": None}
    for role, username in LOGINS.items():
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        page.goto(server.url + reverse("accounts:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.url == server.url + "/", f"{username} did not sign in"
        states[role] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def open_page(browser, site, sessions):
    server, objects = site
    contexts = []

    def open_page(role, name, viewport):
        # axe is injected as a <script>; the portal's Content-Security-Policy would refuse it.
        context = browser.new_context(
            locale="vi-VN", viewport=viewport, storage_state=sessions[role], bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        path = PAGES[role][name](objects)
        response = page.goto(server.url + path)
        assert response.status == 200, path
        assert page.url.startswith(server.url + path), f"{path} redirected to {page.url}"
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_page_is_accessible_and_fits_the_screen(open_page, case):
    role, name, viewport = case
    page = open_page(role, name, viewport)

    violations = axe_violations(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if violations or overflow > 0:
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"a11y-{_case_id(case)}.png"), full_page=True)
    assert violations == []
    assert overflow <= 0, f"{overflow}px wider than the {viewport['width']}px screen"


def _bottoms(page, selector):
    return page.eval_on_selector_all(
        selector, "els => els.map(e => Math.round(e.getBoundingClientRect().bottom))"
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.OFFICIAL, Role.FACILITY])
def test_menu_fits_one_line_at_1366(open_page, role):
    page = open_page(role, "home", DESKTOP)

    items = _bottoms(page, "#main-menu > li")
    assert len(items) >= 5
    # Every top-level item, the user menu and the language switch on the same line.
    bottoms = set(items + _bottoms(page, "#user-menu, #language-form select"))
    assert max(bottoms) - min(bottoms) <= 8, bottoms
    current = page.locator('#main-menu [aria-current="page"]')
    assert current.count() == 1
    assert current.inner_text() == "Trang chủ"


@pytest.mark.parametrize("width", [1024, 390])
def test_language_switch_is_readable_on_narrow_screens(open_page, width):
    page = open_page(Role.STAFF, "home", {"width": width, "height": 800})

    select = page.locator("#language-form select")
    assert select.is_visible()
    # The chosen language's name is not cut: the box is wider than its text.
    fits = select.evaluate(
        "s => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(s).font;"
        " return s.clientWidth - c.measureText(s.selectedOptions[0].text).width; }"
    )
    assert fits > 24  # room for the padding and the arrow
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_menu_opens_a_section_and_marks_the_current_page(open_page):
    page = open_page(Role.STAFF, "review-queue", DESKTOP)

    toggle = page.locator("#main-menu .dropdown-toggle.active")
    assert toggle.inner_text() == "Báo cáo & đánh giá"
    toggle.click()
    current = page.locator('#main-menu .dropdown-menu.show [aria-current="page"]')
    assert current.inner_text() == "Báo cáo chờ duyệt"
    with page.expect_navigation():
        page.locator("#main-menu .dropdown-menu.show").get_by_text("Hạn nộp báo cáo năm").click()
    assert page.locator("h1").inner_text() == "Hạn nộp báo cáo năm"


def test_facility_user_sees_report_status_on_a_phone(open_page):
    page = open_page(Role.FACILITY, "report-list", PHONE)

    status = page.locator("#report-table tbody tr").first.locator(".badge")
    assert status.is_visible()
    box = status.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    # The staff's filters (district, sector) are not offered to a facility.
    assert page.locator("#report-filter select[name=district]").count() == 0
    assert page.locator("#report-filter select[name=division]").count() == 0


def test_date_input_reads_day_first_whatever_the_browser(open_page):
    # Chromium's own <input type="date"> showed mm/dd/yyyy here even with the vi-VN locale: the
    # portal's date fields are text typed dd/mm/yyyy, with the browser's picker on a button.
    page = open_page(Role.STAFF, "activity-form", DESKTOP)

    date = page.locator("#id_date")
    assert date.get_attribute("type") == "text"
    assert date.get_attribute("placeholder") == "dd/mm/yyyy"
    button = page.locator("#id_date ~ .date-picker-button")
    assert button.is_visible()
    assert button.get_attribute("aria-label") == "Chọn ngày"
    # The picker's choice (as the browser gives it, yyyy-mm-dd) is written back day first.
    page.locator("#id_date ~ input[type=date]").evaluate(
        "p => { p.value = '2026-01-31'; p.dispatchEvent(new Event('change')); }"
    )
    assert date.input_value() == "31/01/2026"
    assert axe_violations(page) == []
