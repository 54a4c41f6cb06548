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
