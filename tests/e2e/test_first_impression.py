"""First impression (issue 8): every page of the admin's navigation at a projector's 1280x720
and a laptop's 1920x1080 without an exception; and, with UPDATE_SCREENSHOTS=1, the README's
screenshots of the main pages, saved to docs/screenshots/<name>.png (CI leaves them alone)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from browser_helpers import exceptions, goto, login, nav_names, new_page, open_nav, pages_that_raise, wait_idle

from components.nav import PAGES
from db.engine import get_engine
from db.models import Issue, WorkingGroup

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Streamlit scrolls inside its own container, so a "full page" shot is only the viewport: a tall
# viewport shows the headline figures and the first charts, with the navigation beside them.
SHOT_SIZE = {"width": 1280, "height": 1500}


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)], ids=["projector", "laptop"])
def test_every_admin_page_opens_without_an_exception(browser, app_server, width, height):
    page = new_page(browser, app_server, width, height)
    try:
        login(page, "admin")
        names = nav_names(page)
        assert len(names) == len(PAGES)
        failed = pages_that_raise(page, names)
        assert not failed, f"pages raised at {width}x{height}: {failed}"
    finally:
        page.context.close()


def _first(server, statement):
    with get_engine(server.database_url).connect() as c:
        return c.execute(statement).scalar()


@pytest.mark.skipif(os.environ.get("UPDATE_SCREENSHOTS") != "1",
                    reason="set UPDATE_SCREENSHOTS=1 to rewrite docs/screenshots/")
def test_screenshots_of_the_main_pages(browser, app_server):
    group_id = _first(app_server, sa.select(WorkingGroup.id).where(WorkingGroup.status == "active")
                      .order_by(WorkingGroup.id))
    issue_id = _first(app_server, sa.select(Issue.id).where(Issue.confidential == False,  # noqa: E712
                                                             Issue.status == "in_dialogue").order_by(Issue.id.desc()))
    # (file name, a navigation link or a URL)
    shots = [("overview", "Overview"), ("working_groups", "Working groups"),
             ("group_profile", f"/working_groups?id={group_id}"),
             ("activities", "Activities and calendar"), ("issues", "Issues"),
             ("issue", f"/issues?id={issue_id}"), ("funding", "Funding"),
             ("transparency", "Public transparency"), ("scorecard", "Company scorecard"),
             ("reports", "Reports")]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, app_server, SHOT_SIZE["width"], SHOT_SIZE["height"])
    try:
        login(page, "admin")
        for name, target in shots:
            if target.startswith("/"):
                goto(page, app_server, target)
                page.locator("[data-testid='stMain'] h1").first.wait_for()
            else:
                open_nav(page, target)
            if name == "reports":  # show a prepared report's preview, not an empty form
                page.get_by_role("button", name="Prepare report").first.click()
                page.get_by_role("button", name="Download PDF").wait_for(timeout=120000)
            _let_charts_draw(page)
            assert not exceptions(page), (name, exceptions(page))
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    finally:
        page.context.close()


def _let_charts_draw(page) -> None:
    """Vega draws after the script run ends: wait for every chart's canvas or svg."""
    wait_idle(page)
    for chart in page.locator("[data-testid='stVegaLiteChart']:visible").all():  # not those in closed tabs
        chart.locator("canvas, svg").first.wait_for()
    # the last chart's transition: wait until no animation is running, not for a fixed time
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
