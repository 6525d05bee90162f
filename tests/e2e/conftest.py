"""Browser-test fixtures: one headless Chromium per session (Debian's, never a download), one
freshly started, demo-seeded app server per test module, a new browser context (no cookies)
per test.

Without chromium or playwright the tests skip with the reason; under REQUIRE_BROWSER=1 (CI)
they fail instead (server.chromium_or_skip). The helpers tests call live in browser_helpers.py
(a second conftest module cannot be imported by name)."""
from __future__ import annotations

import secrets

import pytest
from browser_helpers import AS_OF, new_page
from server import CHROMIUM_ARGS, chromium_or_skip, streamlit_server

from db import engine as db_engine

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


@pytest.fixture
def browser():
    """The shared headless Chromium (skips, or fails under REQUIRE_BROWSER=1, without it).
    Asked for per test: it is started again after a test that closed it (see above), where a
    session-scoped fixture would hand out the closed one."""
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
            server.cookie_key = env["COOKIE_KEY"]
            yield server
    finally:
        db_engine.use_database(None)
        cleanup()


@pytest.fixture
def page(browser, app_server):
    """A logged-out page on this module's server, 1280x900."""
    page = new_page(browser, app_server)
    yield page
    page.context.close()


