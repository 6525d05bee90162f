"""A reload of a sub-page keeps a logged-in user on that page (the login cookie restores the
session; login_sleep_time=0 keeps the first run from being interrupted, shared/style.md)."""
from __future__ import annotations

import re

import pytest

from server import browser_page, settle, streamlit_server

pytestmark = pytest.mark.e2e


def log_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name=re.compile("username", re.I)).first.fill(username)
    page.get_by_role("textbox", name=re.compile("password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("log in", re.I)).first.click()
    settle(page)
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60000)
    settle(page)


@pytest.mark.parametrize("username,password,link,path,title", [
    ("admin", "demo-admin-1", "Audit log", "audit_log", "Audit log"),
    ("viewer", "demo-viewer-1", "Organisations", "organisations", "Organisations"),
])
def test_a_reload_keeps_the_user_on_the_sub_page(demo_db, username, password, link, path, title):
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with browser_page() as page:
            page.goto(server.url)
            settle(page)
            log_in(page, username, password)
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text=link).first.click()
            settle(page)
            page.wait_for_url(re.compile(f"/{path}$"), timeout=30000)
            page.get_by_role("heading", name=title).first.wait_for(timeout=30000)
            page.reload()
            settle(page)
            page.get_by_role("heading", name=title).first.wait_for(timeout=60000)
            settle(page)
            assert re.search(f"/{path}$", page.url), page.url
            assert page.locator("input[type='password']").count() == 0
            assert page.get_by_role("heading", name=title).count() >= 1
            assert page.locator("[data-testid='stException']").count() == 0
            assert page.get_by_role("button", name="Log out").count() == 1  # the sidebar survived too
