"""Helpers for browser tests: log in and move around the app as a person would, and read
what the screen shows. Fixtures are in conftest.py."""
from __future__ import annotations

import re
import time

from server import settle

AS_OF = "2026-11-27"
PASSWORDS = {"admin": "demo-admin-1", "coordinator": "demo-coordinator-1",
             "hq": "demo-hq-2026", "viewer": "demo-viewer-1"}
NAV_LINKS = "[data-testid='stSidebarNav'] a"
EXCEPTION = "[data-testid='stException']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def new_page(browser, server, width: int = 1280, height: int = 900):
    """A page in a new browser context (no cookies), opened on the app's front page."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(server.url)
    settle(page)
    return page


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
    """Open a URL in the app (a new session: the login cookie restores the user, and the
    cookie component's report may rerun the page once more: wait for that rerun too)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{server.url}/{path.lstrip('/')}")
    page.wait_for_selector(NAV_LINKS + ", input[type='password']", timeout=60000)
    wait_idle(page)
    try:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=1500)
    except PlaywrightTimeout:
        pass
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
            text = main_text(page)
            shown = text if len(text) < 3000 else f"{text[:1000]}\n[...]\n{text[-2000:]}"
            raise AssertionError(f"{regex.pattern!r} did not appear; the page shows:\n{shown}")
        time.sleep(0.3)


def wait_heading(page, text: str, level: str = "h1") -> None:
    """Wait for a heading of the main area whose text is exactly `text`."""
    page.locator(f"[data-testid='stMain'] {level}").filter(
        has_text=re.compile(f"^{re.escape(text)}\\s*$")).first.wait_for(timeout=60000)


def pick(page, scope, label: str, option: str) -> None:
    """Choose `option` in the st.selectbox labelled `label` inside `scope` (a combobox: open
    it, click the option). A click during an expander's opening animation can be lost: retry."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = scope.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("listbox").wait_for(timeout=5000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.get_by_role("option", name=option, exact=True).click()
    page.get_by_role("listbox").wait_for(state="detached")
