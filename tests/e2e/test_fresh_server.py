"""The pages/ trap (shared/style.md): until some session has called st.navigation, a freshly
started server routes /<page> straight to pages/<page>.py, without app.py and its login.
Each test starts a new server and asks it FIRST for one page's URL, as a visitor who never
logged in, and finds no data on the screen."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from components.nav import PAGES
from db.engine import get_engine
from db.models import Organisation, WorkingGroup
from browser_helpers import login, wait_heading
from server import browser_page, settle, streamlit_server

pytestmark = pytest.mark.e2e

DATA_SELECTORS = ["[data-testid='stDataFrame']", "[data-testid='stMetric']", "[data-testid='stVegaLiteChart']",
                  "[data-testid='stArrowVegaLiteChart']", "[data-testid='stTable']", "[data-testid='stDeckGlJsonChart']",
                  "[data-testid='stDownloadButton']", "[data-testid='stJson']"]
# Admin-only pages first: the worst leak.
ORDER = sorted(PAGES, key=lambda spec: (Path(spec.path).stem not in ("users", "audit_log", "backup"), spec.path))


def database_texts(url: str) -> list[str]:
    """Names only the database knows: working groups and organisations."""
    engine = get_engine(url)
    with engine.connect() as c:
        groups = list(c.execute(sa.select(WorkingGroup.name)).scalars())
        orgs = list(c.execute(sa.select(Organisation.name).order_by(Organisation.id).limit(40)).scalars())
    assert groups and orgs, "the demo database is empty"
    return groups + orgs


@pytest.mark.parametrize("spec", ORDER, ids=lambda spec: Path(spec.path).stem)
def test_a_fresh_servers_first_request_for_a_page_shows_the_login_form_and_no_data(demo_db, spec):
    secrets = database_texts(demo_db)
    url_path = Path(spec.path).stem
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with browser_page() as page:
            page.goto(f"{server.url}/{url_path}")
            # The folder's run of the page hands over to app.py: the visitor gets the login
            # form itself, at the address asked for (so logging in opens that page).
            page.wait_for_selector("input[type='password']", timeout=60000)
            settle(page)  # the run has ended: nothing more arrives
            found = {selector: page.locator(selector).count() for selector in DATA_SELECTORS}
            assert not any(found.values()), f"/{url_path} showed data elements to a stranger: {found}"
            text = page.inner_text("body")
            leaked = [name for name in secrets if name in text]
            assert not leaked, f"/{url_path} showed database text to a stranger: {leaked[:5]}"
            assert page.url.rstrip("/").endswith(f"/{url_path}"), page.url
            # Streamlit's own list of the pages/ folder (file names, admin pages) is gone: the
            # login run's navigation is hidden (item 20 of issue 12)
            assert page.locator("[data-testid='stSidebarNav'] a").count() == 0, \
                f"/{url_path} showed the folder's page list: {page.locator('[data-testid=stSidebarNav]').inner_text()}"


def test_logging_in_from_a_fresh_servers_first_request_opens_the_page_asked_for(demo_db):
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with browser_page() as page:
            page.goto(f"{server.url}/audit_log")
            login(page, "admin")
            wait_heading(page, "Audit log")
            assert page.url.rstrip("/").endswith("/audit_log"), page.url
