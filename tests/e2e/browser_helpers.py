"""Helpers for browser tests: log in and move around the app as a person would, and read
what the screen shows. Fixtures are in conftest.py."""
from __future__ import annotations

import re

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # without playwright the browser tests skip (server.chromium_or_skip)
    PlaywrightError = PlaywrightTimeout = Exception

AS_OF = "2026-11-27"
PASSWORDS = {"admin": "demo-admin-1", "coordinator": "demo-coordinator-1",
             "hq": "demo-hq-2026", "viewer": "demo-viewer-1"}
NAV_LINKS = "[data-testid='stSidebarNav'] a"
EXCEPTION = "[data-testid='stException']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


LOGIN_FORM = "input[type='password']"


def shown_text(page, limit: int = 3000) -> str:
    """The main area's text (or the whole body's), cut to a readable length for a failure."""
    try:
        text = page.locator("[data-testid='stMain']").first.inner_text(timeout=5000)
    except PlaywrightError:
        text = page.locator("body").inner_text()
    return text if len(text) < limit else f"{text[:1000]}\n[...]\n{text[-(limit - 1000):]}"


def fail(page, what: str) -> None:
    """Give up with what the screen shows, not only "timeout"."""
    raise AssertionError(f"{what}; the page shows:\n{shown_text(page)}")


def new_page(browser, server, width: int = 1280, height: int = 900):
    """A page in a new browser context (no cookies), opened on the app's login form."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    goto(page, server, "/", expect="login")
    return page


def wait_idle(page, timeout_ms: int = 60000) -> None:
    """Wait until the app's script run has finished and no rerun is pending (the app sets
    'initial', 'running', 'rerunRequested' or 'notRunning' on its root element)."""
    try:
        page.wait_for_selector(IDLE, timeout=timeout_ms)
    except PlaywrightTimeout:
        fail(page, f"the app was still running after {timeout_ms / 1000:.0f} s")


def expect_screen(page, expect: str) -> None:
    """Wait for the app to show the navigation (logged in) or the login form (logged out) and
    to finish its run; fail at once, with the screen's text, if it shows the other one."""
    assert expect in ("navigation", "login"), expect
    try:
        page.wait_for_selector(f"{NAV_LINKS}, {LOGIN_FORM}")
    except PlaywrightTimeout:
        fail(page, f"neither the navigation nor the login form appeared (expected the {expect})")
    wait_idle(page)
    if page.locator(LOGIN_FORM).count() and expect == "navigation":
        fail(page, "the login form appeared where a logged-in page was expected")
    if page.locator(NAV_LINKS).count() and expect == "login":
        fail(page, "the navigation appeared where the login form was expected")


def goto(page, server, path: str, expect: str = "navigation") -> None:
    """Open a URL of the app in this tab (a new app session: the login cookie restores the
    user on its first run) and wait for the screen `expect`ed: "navigation" or "login"."""
    page.goto(f"{server.url}/{path.lstrip('/')}")
    expect_screen(page, expect)


def reload(page, expect: str = "navigation") -> None:
    page.reload()
    expect_screen(page, expect)


def login(page, user: str, password: str | None = None) -> None:
    """Log in through the form; the navigation appears once the browser has stored the login
    cookie (components/auth.py), so a link opened next is logged in too."""
    password = password if password is not None else PASSWORDS[user]
    page.locator(LOGIN_FORM).first.wait_for(state="visible")
    wait_idle(page)
    page.get_by_role("textbox", name=re.compile("username", re.I)).first.fill(user)
    page.get_by_role("textbox", name=re.compile("password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("^log in$", re.I)).first.click()
    try:
        page.wait_for_selector(NAV_LINKS)
    except PlaywrightTimeout:
        fail(page, f"{user} did not get the navigation after logging in")
    wait_idle(page)


def log_out(page) -> None:
    """Click "Log out" and wait for the login form. Not expect_screen: the navigation is still on
    the screen until the click's run replaces it, and the app may look idle before that run starts."""
    wait_idle(page)
    page.get_by_role("button", name="Log out").click()
    try:
        page.wait_for_selector(LOGIN_FORM)
    except PlaywrightTimeout:
        fail(page, "the login form did not appear after 'Log out'")
    expect_screen(page, "login")


def nav_names(page) -> list[str]:
    return [name.strip() for name in page.locator(NAV_LINKS).all_inner_texts() if name.strip()]


def open_nav(page, name: str) -> None:
    """Click a sidebar link once the app is idle, and wait for that page's title and the end
    of its run."""
    wait_idle(page)
    page.locator(NAV_LINKS).filter(has_text=re.compile(f"^{re.escape(name)}$")).first.click()
    try:
        wait_heading(page, name)
    except PlaywrightTimeout:
        fail(page, f"the page {name!r} did not open")
    wait_idle(page)


def exceptions(page) -> list[str]:
    """The text of every exception element on the screen."""
    return [text[:500] for text in page.locator(EXCEPTION).all_inner_texts()]


def pages_that_raise(page, names: list[str]) -> dict[str, list[str]]:
    """Open each named page from the navigation; the exceptions of those that showed any."""
    failed = {}
    for name in names:
        open_nav(page, name)
        if exceptions(page):
            failed[name] = exceptions(page)
    return failed


WORD_JOINER = "\u2060"  # invisible; components/text.md puts it inside addresses in stored text


def main_text(page) -> str:
    """The main area's text as the person reads it (without invisible word joiners)."""
    return page.locator("[data-testid='stMain']").inner_text().replace(WORD_JOINER, "")


def wait_for_text(page, pattern: str | re.Pattern, timeout: float = 60) -> re.Match:
    """Wait until the main area's text (as the person reads it: innerText, with its line
    breaks, without word joiners) matches `pattern`; the browser checks on every change.
    Returns the match."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    flags = "i" if regex.flags & re.IGNORECASE else ""
    try:
        page.wait_for_function(
            "([source, flags]) => new RegExp(source, flags).test("
            "(document.querySelector(\"[data-testid='stMain']\")?.innerText ?? '').replaceAll('\\u2060', ''))",
            arg=[regex.pattern, flags], timeout=timeout * 1000, polling="raf")
    except PlaywrightTimeout:
        fail(page, f"{regex.pattern!r} did not appear")
    found = regex.search(main_text(page))
    if not found:  # the text changed again between the two looks: wait for the app, look again
        wait_idle(page)
        found = regex.search(main_text(page))
    if not found:
        fail(page, f"{regex.pattern!r} appeared and went away again")
    return found


def wait_for_button(page, name: str, timeout_ms: int = 60000) -> None:
    """Wait for a visible button of that name; give up with the screen's text."""
    try:
        page.get_by_role("button", name=name).first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        fail(page, f"no {name!r} button appeared")


def wait_heading(page, text: str, level: str = "h1") -> None:
    """Wait for a heading of the main area whose text is exactly `text`."""
    page.locator(f"[data-testid='stMain'] {level}").filter(
        has_text=re.compile(f"^{re.escape(text)}\\s*$")).first.wait_for(timeout=60000)


def pick(page, scope, label: str, option: str) -> None:
    """Choose `option` in the st.selectbox labelled `label` inside `scope`: once the app is
    idle, open the box and click the option. A rerun can redraw the list under the click (the
    option is then detached): open the box again and find the option anew, a few times at
    most, and check that the box shows the choice. Outside a form the choice starts a run that
    may begin after wait_idle has returned: the caller waits for that run's effect."""
    box = scope.get_by_role("combobox", name=label)
    for _attempt in range(3):
        wait_idle(page)
        try:
            box.scroll_into_view_if_needed()
            box.click()
            page.get_by_role("listbox").wait_for(timeout=10000)
            page.get_by_role("option", name=option, exact=True).click(timeout=10000)
            page.get_by_role("listbox").wait_for(state="detached", timeout=10000)
        except PlaywrightError:
            page.keyboard.press("Escape")  # close a list left open by the redraw
            continue
        wait_idle(page)
        if _shown_choice(box) == option:
            return
    fail(page, f"could not choose {option!r} in {label!r} (it shows {_shown_choice(box)!r})")


def _shown_choice(box) -> str:
    """What a selectbox shows as chosen: its input's value, or the text drawn in its place."""
    value = box.evaluate("el => el.value ?? ''")
    if value:
        return value.strip()
    return box.locator("xpath=ancestor::*[@data-testid='stSelectbox'][1]").inner_text().strip()
