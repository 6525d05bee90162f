"""Browser-test fixtures: one headless Chromium per session (Debian's, never a download), one
freshly started, demo-seeded app server per test module, a new browser context (no cookies)
per test, and helpers to log in and move around the app as a person would.

Without chromium or playwright the tests skip with the reason; under REQUIRE_BROWSER=1 (CI)
they fail instead (server.chromium_or_skip)."""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import pytest

from db import engine as db_engine
from server import CHROMIUM_ARGS, chromium_or_skip, settle, streamlit_server

AS_OF = "2026-11-27"
PASSWORDS = {"admin": "demo-admin-1", "coordinator": "demo-coordinator-1",
             "hq": "demo-hq-2026", "viewer": "demo-viewer-1"}
NAV_LINKS = "[data-testid='stSidebarNav'] a"
EXCEPTION = "[data-testid='stException']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

_playwright = None
_browser = None


def _shared_browser():
    """Start Playwright and Chromium once per session (closed after the last browser test)."""
    global _playwright, _browser
    if _browser is None:
        path = chromium_or_skip()
        from playwright.sync_api import sync_playwright

        _playwright = sync_playwright().start()
        _browser = _playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    return _browser


def _close_shared_browser() -> None:
    global _playwright, _browser
    if _browser is not None:
        _browser.close()
        _playwright.stop()
    _playwright = _browser = None


@pytest.hookimpl(trylast=True)  # after the fixtures' own teardown (contexts close first)
def pytest_runtest_teardown(item, nextitem):
    """Stop the shared browser once no test using it follows (other browser tests use
    server.browser_page, which starts its own Playwright: the two may not overlap)."""
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _close_shared_browser()


@pytest.fixture(scope="session")
def browser():
    """The session's headless Chromium (skips, or fails under REQUIRE_BROWSER=1, without it)."""
    return _shared_browser()


@pytest.fixture(scope="module")
def app_server(_templates):
    """A fresh app server for this module on a copy of the scale-1 demo database (seed 7, as of
    2026-11-27), in demo mode. Yields the server (url, port, log()) with `.database_url`."""
    url, cleanup = _templates(True).copy()
    env = {"DATABASE_URL": url, "APP_MODE": "demo", "DEMO_DATA": "off", "AS_OF_DATE": AS_OF,
           "COOKIE_KEY": secrets.token_urlsafe(32)}
    db_engine.use_database(url)  # the tests read the server's database through db/ too
    try:
        with streamlit_server(env) as server:
            server.database_url = url
            yield server
    finally:
        db_engine.use_database(None)
        cleanup()


def new_page(browser, server, width: int = 1280, height: int = 900):
    """A page in a new browser context (no cookies), opened on the app's front page."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(server.url)
    settle(page)
    return page


@pytest.fixture
def page(browser, app_server):
    """A logged-out page on this module's server, 1280x900."""
    page = new_page(browser, app_server)
    yield page
    page.context.close()


def wait_idle(page, timeout_ms: int = 60000) -> None:
    """Wait for the current script run to finish (a rerun may follow: wait for what you need)."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def login(page, user: str, password: str | None = None) -> None:
    """Log in through the form and wait for the navigation. The form appears only after the
    login cookie component's first report (components/auth.py), so wait for it, not a timer."""
    password = password if password is not None else PASSWORDS[user]
    username_box = page.get_by_role("textbox", name=re.compile("username", re.I)).first
    username_box.wait_for(state="visible", timeout=60000)
    wait_idle(page)
    username_box.fill(user)
    page.get_by_role("textbox", name=re.compile("password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("^log in$", re.I)).first.click()
    page.wait_for_selector(NAV_LINKS, timeout=60000)
    wait_idle(page)


def nav_names(page) -> list[str]:
    return [name.strip() for name in page.locator(NAV_LINKS).all_inner_texts() if name.strip()]


def open_nav(page, name: str) -> None:
    """Click a sidebar link and wait for that page's title and the end of its run."""
    page.locator(NAV_LINKS).filter(has_text=re.compile(f"^{re.escape(name)}$")).first.click()
    page.locator("[data-testid='stMain'] h1").filter(has_text=re.compile(f"^{re.escape(name)}\\s*$")).first.wait_for(timeout=60000)
    wait_idle(page)


def goto(page, server, path: str) -> None:
    """Open a URL in the app (a new session: the login cookie restores the user)."""
    page.goto(f"{server.url}/{path.lstrip('/')}")
    wait_idle(page)
    page.wait_for_selector(NAV_LINKS + ", input[type='password']", timeout=60000)
    wait_idle(page)


def exceptions(page) -> list[str]:
    """The text of every exception element on the screen."""
    return [text[:500] for text in page.locator(EXCEPTION).all_inner_texts()]


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def wait_for_text(page, pattern: str | re.Pattern, timeout: float = 60) -> re.Match:
    """Wait until the main area's text matches `pattern`; return the match."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    deadline = time.monotonic() + timeout
    while True:
        found = regex.search(main_text(page))
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{regex.pattern!r} did not appear; the page shows:\n{main_text(page)[:2000]}")
        time.sleep(0.3)
