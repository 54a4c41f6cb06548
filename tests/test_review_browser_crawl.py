"""The portal as a staff member walks it in a real browser (Debian Chromium via Playwright):
every same-site link reachable from the home page (breadth-first, one page per URL shape) answers
below 400, no page logs a JavaScript error or fails to load a stylesheet, script, font or image,
nothing is fetched from another host (no CDN), and every page has a <title> and one <h1>.

Plus what such a walk found: in English the dashboard's group tables wrote 72.4 and the counts
1,234 (the portal writes numbers the Vietnamese way in both languages); history tables pushed an
English page wider than a 375-px phone; the chart of forty wards squeezed their bars into a fixed
height and named only one ward in three.

One live server, one browser and one set of demo data (ops.demo.seed_demo) for the module; the
data is committed, so the module flushes the tables at its end and restores the reference data."""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.data_version import data_changed
from facilities.models import Facility
from ops.demo import DEMO_PASSWORD, seed_demo

from .browser import launch_chromium, wait_for_request_threads
from .conftest import restore_reference_data
from .factories import make_tax_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MAX_PAGES = 120
# Never followed: signing out ends the walk's session; the admin is the superuser's.
SKIP = ("logout", "/admin/")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        # Enough facilities for the 2025 wards to outnumber what a fixed-height chart can name.
        seed_demo(facilities=30, seed=7)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            wait_for_request_threads()
            call_command("flush", interactive=False, verbosity=0)
            restore_reference_data()


@pytest.fixture(scope="module")
def browser(site):
    """Closed before the live server stops (its keep-alive sockets hold request threads)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def signed_in(browser, site):
    """canbo's signed-in browser state, from one pass through the login form (before any test
    opens its own database transaction)."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(site.url + reverse("accounts:login"))
    page.fill("#id_username", "canbo")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == site.url + "/", "canbo did not sign in"
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_context(browser, site, signed_in):
    contexts = []

    def open_context(language="vi", width=1366):
        context = browser.new_context(
            locale="vi-VN", viewport={"width": width, "height": 900}, storage_state=signed_in
        )
        contexts.append(context)
        if language == "en":
            context.add_cookies([{"name": "django_language", "value": "en", "url": site.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        return context, page

    yield open_context
    for context in contexts:
        context.close()


def _shape(url: str) -> str:
    """/facilities/12/?page=2 -> /facilities/N/?page: one page of each shape is enough."""
    parts = urlparse(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    return path + "?" + "&".join(sorted(q.split("=")[0] for q in parts.query.split("&") if q))


def test_staff_walk_finds_no_broken_link_script_error_or_missing_file(site, open_context):
    context, page = open_context()
    problems = []
    current = {"url": ""}
    page.on(
        "console",
        lambda m: m.type == "error" and problems.append(f"{current['url']}: console {m.text}"),
    )
    page.on("pageerror", lambda e: problems.append(f"{current['url']}: script {e}"))

    def on_response(response):
        kind = response.request.resource_type
        if response.status >= 400 and kind in ("stylesheet", "script", "font", "image"):
            problems.append(f"{current['url']}: {kind} {response.url} {response.status}")

    def on_request(request):
        if not request.url.startswith((site.url, "data:", "blob:")):
            problems.append(f"{current['url']}: request to another host {request.url}")

    page.on("response", on_response)
    page.on("request", on_request)

    home = site.url + "/"
    queue = deque([(home, "")])
    seen = {home}
    shapes = {_shape(home)}
    visited = 0
    while queue and visited < MAX_PAGES:
        url, offered_by = queue.popleft()
        current["url"] = url
        answer = context.request.get(url)
        if answer.status >= 400:
            problems.append(f"{url} (a link on {offered_by}): HTTP {answer.status}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue  # an export or a download: its status is what counts
        page.goto(url)
        visited += 1
        if not page.title().strip():
            problems.append(f"{url}: no <title>")
        # The API page's Swagger UI adds the schema's own heading once it has loaded.
        headings = page.evaluate(
            "[...document.querySelectorAll('h1')].filter(h => !h.closest('#swagger-ui')).length"
        )
        if headings != 1:
            problems.append(f"{url}: {headings} <h1>")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            target = urldefrag(urljoin(page.url, href))[0]
            if not target.startswith(site.url) or any(s in target for s in SKIP):
                continue
            shape = _shape(target)
            if target in seen or shape in shapes:
                continue
            seen.add(target)
            shapes.add(shape)
            queue.append((target, url))

    assert visited >= 60, f"the walk reached only {visited} pages"
    assert problems == []


def test_dashboard_tables_write_figures_the_vietnamese_way_in_english(open_context, site):
    _, page = open_context("en")
    page.goto(site.url + reverse("reports:dashboard") + "?year=2025")

    cells = page.locator("#group-table tbody td strong, #priority-groups tbody td strong")
    figures = [text for text in cells.all_inner_texts() if text != "—"]
    assert figures
    # 72,4 — never 72.4 (DESIGN: Vietnamese notation in both languages).
    assert [f for f in figures if not re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d", f)] == []


def test_ward_chart_names_every_ward_with_room_for_its_bars(open_context, site):
    _, page = open_context()
    page.goto(site.url + reverse("reports:dashboard") + "?year=2025&group=ward")

    axis = page.evaluate(
        """() => { const chart = Chart.getChart(document.getElementById('group-chart'));
            return {labels: chart.data.labels.length, ticks: chart.scales.y.ticks.length,
                    height: chart.scales.y.height, bars: chart.data.datasets.length}; }"""
    )
    assert axis["labels"] > 12, "too few wards in the demo to need room"
    assert axis["ticks"] == axis["labels"]
    # At least 6 px for each of a ward's bars (one per indicator).
    assert axis["height"] / axis["labels"] >= 6 * axis["bars"]


@pytest.mark.parametrize("page_name", ["establishments", "milestones"])
def test_plan_pages_fit_a_phone_in_english(open_context, site, page_name):
    _, page = open_context("en", width=375)
    if page_name == "establishments":
        page.goto(site.url + reverse("reports:establishments"))
    else:
        page.goto(site.url + reverse("reports:plan"))
        with page.expect_navigation():
            page.locator("a[href$='/milestones/']").first.click()
    assert page.locator("#history-table").count() == 1

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than a 375px phone"


def test_counts_of_a_thousand_and_more_are_grouped_the_vietnamese_way(site, client):
    """The registry list counts 1.030 facilities in both languages, never 1030 or 1,030."""
    template = Facility.objects.order_by("pk").first()
    existing = Facility.objects.count()
    extra = 1030 - existing
    clones = []
    for n in range(extra):
        clone = Facility.objects.get(pk=template.pk)
        clone.pk = None
        clone.tax_code = make_tax_code(500_000 + n)
        clone.name = f"Cơ sở thử {n}"
        clones.append(clone)
    Facility.objects.bulk_create(clones)
    data_changed()  # bulk_create sends no signal: the registry's cached size must follow
    client.force_login(User.objects.get(username="canbo"))

    for language in ("vi", "en"):
        client.cookies["django_language"] = language
        page = client.get(reverse("facilities:list")).content.decode()
        count = re.search(r'id="facility-count">([^<]*)<', page).group(1)
        assert count.startswith("1.030 / 1.030"), (language, count)
