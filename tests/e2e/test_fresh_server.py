"""The pages/ trap (shared/style.md): until some session has called st.navigation, a freshly
started server routes /<page> straight to pages/<page>.py, without app.py and its login.
Each test starts a new server and asks it FIRST for one page's URL, as a visitor who never
logged in, and finds the login form and no data on the screen. serve.py (the documented way to
run the app) turns folder routing off before the first request; `streamlit run app.py` relies
on the pages' role guard handing over to app.py."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from browser_helpers import login, wait_heading
from server import browser_page, settle, streamlit_server

from db.engine import get_engine
from db.models import Organisation, WorkingGroup

pytestmark = pytest.mark.e2e

DATA_SELECTORS = ["[data-testid='stDataFrame']", "[data-testid='stMetric']", "[data-testid='stVegaLiteChart']",
                  "[data-testid='stArrowVegaLiteChart']", "[data-testid='stTable']", "[data-testid='stDeckGlJsonChart']",
                  "[data-testid='stDownloadButton']", "[data-testid='stJson']"]
# Records, from the page's first paint on, whether Streamlit's list of the pages/ folder was
# ever drawn (it showed for about 1.5 s on a fresh server before the login form replaced it).
WATCH_FOR_FOLDER_LIST = """
window.__folderListSeen = null;
new MutationObserver(() => {
  const nav = document.querySelector("[data-testid='stSidebarNav']");
  if (nav && !window.__folderListSeen && nav.querySelector("a")) window.__folderListSeen = nav.innerText;
}).observe(document, {childList: true, subtree: true});
"""
# The admin pages (the worst leak) and the grievances. Every page run on its own, logged out,
# shows only the login prompt: tests/app/test_routing.py runs each one.
FIRST_PAGES = ["users", "audit_log", "backup", "issues"]


def database_texts(url: str) -> list[str]:
    """Names only the database knows: working groups and organisations."""
    engine = get_engine(url)
    with engine.connect() as c:
        groups = list(c.execute(sa.select(WorkingGroup.name)).scalars())
        orgs = list(c.execute(sa.select(Organisation.name).order_by(Organisation.id).limit(40)).scalars())
    assert groups and orgs, "the demo database is empty"
    return groups + orgs


def first_request(server, url_path: str, secrets: list[str], page) -> None:
    """Ask a fresh server first for /<url_path>: the login form at that address, nothing else."""
    page.goto(f"{server.url}/{url_path}")
    page.wait_for_selector("input[type='password']", timeout=60000)
    settle(page)  # the run has ended: nothing more arrives
    found = {selector: page.locator(selector).count() for selector in DATA_SELECTORS}
    assert not any(found.values()), f"/{url_path} showed data elements to a stranger: {found}"
    text = page.inner_text("body")
    leaked = [name for name in secrets if name in text]
    assert not leaked, f"/{url_path} showed database text to a stranger: {leaked[:5]}"
    # at the address asked for, so that logging in opens that page
    assert page.url.rstrip("/").endswith(f"/{url_path}"), page.url
    assert page.locator("[data-testid='stSidebarNav'] a").count() == 0, \
        f"/{url_path} left the folder's page list: {page.locator('[data-testid=stSidebarNav]').inner_text()}"


@pytest.mark.parametrize("url_path", FIRST_PAGES)
def test_a_fresh_servers_first_request_for_a_page_shows_the_login_form_and_no_data(demo_db, url_path):
    secrets = database_texts(demo_db)
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with browser_page() as page:
            page.add_init_script(WATCH_FOR_FOLDER_LIST)
            first_request(server, url_path, secrets, page)
            # Streamlit's own list of the pages/ folder (file names, admin pages) never shows,
            # not even for a moment before the login form (item 20 of issue 12).
            seen = page.evaluate("window.__folderListSeen")
            assert not seen, f"/{url_path} showed the folder's page list for a moment: {seen}"


def test_streamlit_run_app_py_hands_a_fresh_servers_first_page_over_to_the_login_form(demo_db):
    """Without serve.py the folder routes the first request to pages/users.py on its own; its
    guard hands over to app.py (the folder's names can show until then: README)."""
    secrets = database_texts(demo_db)
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}, script="app.py") as server:
        with browser_page() as page:
            first_request(server, "users", secrets, page)


def test_logging_in_from_a_fresh_servers_first_request_opens_the_page_asked_for(demo_db):
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with browser_page() as page:
            page.goto(f"{server.url}/audit_log")
            login(page, "admin")
            wait_heading(page, "Audit log")
            assert page.url.rstrip("/").endswith("/audit_log"), page.url
