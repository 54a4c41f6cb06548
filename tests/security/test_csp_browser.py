"""The enforced Content-Security-Policy breaks nothing in a real browser (Debian Chromium through
Playwright): the pages of each role and the admin load with no "Refused to …" violation in the
console and no script error, and the scripts moved out of the templates still work."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from accounts.models import Role
from assessments.models import Participation
from sxsh_portal.urls import urlpatterns as portal_urlpatterns

from ..factories import ActivityFactory, OptionFactory, UserFactory
from ..reports.indicator_helpers import facility as make_facility
from ..reports.indicator_helpers import report as make_report
from ..reports.report_view_helpers import make_report as make_report_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _unsafe_page(request):
    return HttpResponse(
        '<!DOCTYPE html><html><body><script>document.title = "ran"</script>'
        '<div style="width: 5%">x</div></body></html>'
    )


# A URLconf with one page that breaks the policy, to prove the console listener sees violations.
urlpatterns = [*portal_urlpatterns, path("unsafe/", _unsafe_page)]


@pytest.fixture
def data():
    """A facility with approved reports (the dashboard's cards, bars and charts), an assessment
    with an option, an activity and a generated report file."""
    gom = make_facility(name="Công ty Gốm Phù Lãng")
    make_report(gom, 2017, aware=True)
    report = make_report(gom, 2018, aware=True, applies_cp=True)
    option = OptionFactory(assessment__facility=gom, assessment__state="draft")
    activity = ActivityFactory()
    Participation.objects.create(activity=activity, facility=gom, people=2)
    return {
        "facility": gom,
        "report": report,
        "assessment": option.assessment,
        "activity": activity,
        "file": make_report_file(),
    }


# Also recorded in the page: Chromium's console wording changes between versions ("Refused to
# execute inline script…" before, "Executing inline script violates…" now).
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.cspViolations = window.cspViolations || []).push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


def _is_csp_message(text: str) -> bool:
    return "Refused to" in text or "Content Security Policy" in text


def _open(browser, live_server, user=None):
    """A browser page logged in as `user` (a session made by the test client) that records every
    CSP violation and script error in `page.problems`."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.on(
        "console",
        lambda message: (
            page.problems.append(f"{page.url}: {message.text}")
            if _is_csp_message(message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
    return page


def _visit(page, live_server, urls):
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.header_value("content-security-policy"), url
        page.wait_for_load_state("load")
        page.wait_for_timeout(250)  # violation reports are queued as tasks
        recorded = page.evaluate("window.cspViolations || []")
        page.problems += [f"{page.url}: {violation}" for violation in recorded]


def test_staff_pages_raise_no_violation(browser, live_server, data):
    staff = UserFactory(username="canbo_csp", role=Role.STAFF)
    page = _open(browser, live_server, staff)
    f, r, a = data["facility"].pk, data["report"].pk, data["assessment"].pk
    _visit(
        page,
        live_server,
        [
            "/",
            "/facilities/",
            f"/facilities/{f}/",
            f"/facilities/{f}/edit/",
            "/facilities/import/",
            f"/assessments/reports/{r}/",
            f"/assessments/cp/{a}/",
            f"/assessments/activities/{data['activity'].pk}/",
            "/assessments/factors/",
            "/accounts/users/new/",
            "/reports/files/",
            f"/reports/files/{data['file'].pk}/",
            f"/reports/facility/{f}/intensity/",
            "/reports/dashboard/?year=2018",
        ],
    )
    # The dashboard's progress bars got their width from static/js/portal.js, Chart.js drew.
    widths = page.eval_on_selector_all("[data-bar-width]", "bars => bars.map(b => b.style.width)")
    assert widths and all(width.endswith("%") for width in widths)
    assert page.evaluate("document.querySelectorAll('canvas.trend-chart').length") > 0
    assert page.evaluate(
        "Array.from(document.querySelectorAll('canvas')).some(c => Chart.getChart(c))"
    )
    assert page.problems == []
    page.context.close()


def test_facility_and_official_pages_raise_no_violation(browser, live_server, data):
    representative = UserFactory(username="coso_csp", role=Role.FACILITY)
    representative.facilities.add(data["facility"])
    page = _open(browser, live_server, representative)
    f = data["facility"].pk
    _visit(
        page,
        live_server,
        ["/", f"/facilities/{f}/", "/assessments/reports/", f"/reports/facility/{f}/intensity/"],
    )
    assert page.problems == []
    # The intensity chart draws its bars first (Chart.js draws the sorted metas from the last):
    # the saving and target lines stay visible above them.
    drawn_last_to_first = page.evaluate(
        "Chart.getChart(document.getElementById('intensity-chart'))"
        ".getSortedVisibleDatasetMetas().map(m => m.type)"
    )
    assert drawn_last_to_first[-1] == "bar" and "line" in drawn_last_to_first[:-1]
    page.context.close()

    page = _open(browser, live_server, UserFactory(username="lanhdao_csp", role=Role.OFFICIAL))
    _visit(page, live_server, ["/", "/reports/dashboard/?year=2018", "/reports/files/new/"])
    assert page.problems == []
    page.context.close()


def test_the_api_page_renders_the_schema_without_violation(browser, live_server, data):
    page = _open(browser, live_server, UserFactory(username="lanhdao_api", role=Role.OFFICIAL))
    _visit(page, live_server, ["/reports/api/"])
    # Swagger UI (vendored) loaded the schema and listed both operations.
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.eval_on_selector_all(
        ".swagger-ui .opblock-summary-path", "nodes => nodes.map(n => n.textContent)"
    )
    assert {"/api/v1/indicators/", "/api/v1/facilities/"} <= {p.strip() for p in paths}
    assert page.problems == []
    page.context.close()


def test_the_admin_raises_no_violation(browser, live_server, data):
    superuser = UserFactory(
        username="quantri_csp", role=Role.STAFF, is_staff=True, is_superuser=True
    )
    page = _open(browser, live_server, superuser)
    _visit(
        page,
        live_server,
        [
            "/admin/",
            "/admin/facilities/facility/",
            f"/admin/facilities/facility/{data['facility'].pk}/change/",
            "/admin/accounts/user/add/",
            "/admin/assessments/activity/add/",
        ],
    )
    # The admin's own scripts ran (the sidebar toggle is added by nav_sidebar.js).
    assert page.locator("#toggle-nav-sidebar").count() == 1
    assert page.problems == []
    page.context.close()


def test_the_language_switcher_still_submits_itself(browser, live_server):
    page = _open(browser, live_server)
    _visit(page, live_server, ["/accounts/login/"])
    assert page.locator("html").get_attribute("lang") == "vi"

    with page.expect_navigation():
        page.select_option("#language-form select", "en")

    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.problems == []
    page.context.close()


def test_the_listener_sees_a_violation(browser, live_server, settings):
    settings.ROOT_URLCONF = __name__
    page = _open(browser, live_server)
    _visit(page, live_server, ["/unsafe/"])
    assert page.title() != "ran"  # the inline script was blocked
    console = [problem for problem in page.problems if "inline" in problem.lower()]
    assert any("script" in problem for problem in console), page.problems
    assert any("style" in problem for problem in console), page.problems
    assert any("script-src-elem blocked inline" in problem for problem in page.problems)
    assert any("style-src-attr blocked inline" in problem for problem in page.problems)
    page.context.close()
