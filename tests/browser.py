"""The one Chromium launch of the browser tests: Debian's /usr/bin/chromium driven by Playwright
(it never downloads a browser). `tests/conftest.py` turns `launch_chromium` into the module-scoped
`browser` fixture that every `*_browser.py` file uses."""

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artefacts"


@contextmanager
def launch_chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_for_request_threads(timeout: float = 5.0) -> None:
    """The live server closes a request thread's database connection when the browser closes
    the keep-alive socket; wait for that, or the flush after the test races with it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any("process_request_thread" in t.name for t in threading.enumerate()):
            return
        time.sleep(0.05)


def signed_in_page(browser, live_server, username, password, *, width=1280, height=900):
    """A new Vietnamese browser page, signed in through the real login form."""
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (tests/vendor/axe.min.js) on the page as it is; return the violations of
    the given impacts, each {"id", "impact", "help", "nodes": ["selector: why", …]}.
    axe goes in as a <script>: open the page in a context with `bypass_csp=True`, or the
    portal's Content-Security-Policy refuses it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    return [v for v in results if v["impact"] in impacts]
