"""Issue 18 (11, 13): at a laptop's 1280x800 no headline tile has its value or label cut short,
and the Overview shows both rows of its figures without scrolling."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from browser_helpers import goto, login, new_page, open_nav, wait_heading

from db.engine import get_engine
from db.models import Issue, WorkingGroup

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1280, 800
METRIC = "[data-testid='stMetric']"

# Every block inside a tile's value or label whose text is wider than its box (Streamlit cuts
# it with an ellipsis), or whose text runs past the tile's border.
CUT_TEXT = """() => {
  const cut = [];
  for (const tile of document.querySelectorAll("[data-testid='stMetric']")) {
    const edge = tile.getBoundingClientRect().right;
    for (const part of tile.querySelectorAll(
        "[data-testid='stMetricValue'], [data-testid='stMetricLabel']")) {
      for (const box of [part, ...part.querySelectorAll('*')]) {
        if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) cut.push(box.textContent);
      }
      const range = document.createRange();
      range.selectNodeContents(part);
      if (range.getBoundingClientRect().right > edge + 1) cut.push(part.textContent);
    }
  }
  return [...new Set(cut)];
}"""


def _cut_tiles(page) -> list[str]:
    page.locator(METRIC).first.wait_for()
    return page.evaluate(CUT_TEXT)


@pytest.fixture
def admin_page(browser, app_server):
    page = new_page(browser, app_server, WIDTH, HEIGHT)
    login(page, "admin")
    yield page
    page.context.close()


@pytest.mark.parametrize("name", ["Overview", "Public transparency", "Issues"])
def test_no_tile_is_cut_on_the_main_pages(admin_page, name):
    open_nav(admin_page, name)
    assert _cut_tiles(admin_page) == [], f"cut on {name}"


def test_no_date_tile_is_cut_on_an_issue_page(admin_page, app_server):
    with get_engine(app_server.database_url).connect() as c:
        issue_id, case = c.execute(sa.select(Issue.id, Issue.case_number).where(Issue.confidential == False)  # noqa: E712
                                   .order_by(Issue.id.desc())).first()
    goto(admin_page, app_server, f"/issues?id={issue_id}")
    admin_page.locator("[data-testid='stMain'] h1").filter(has_text=case).first.wait_for()
    assert _cut_tiles(admin_page) == []


def test_no_tile_is_cut_on_a_group_profile(admin_page, app_server):
    """Its labels are the longest ("Attendance rate this year" was cut to "Attendance rate this …")."""
    with get_engine(app_server.database_url).connect() as c:
        group_id, name = c.execute(sa.select(WorkingGroup.id, WorkingGroup.name)
                                   .where(WorkingGroup.status == "active").order_by(WorkingGroup.id)).first()
    goto(admin_page, app_server, f"/working_groups?id={group_id}")
    admin_page.locator("[data-testid='stMain'] h1").filter(has_text=name).first.wait_for()
    assert _cut_tiles(admin_page) == []


def test_the_overview_shows_both_rows_of_figures_without_scrolling(admin_page):
    open_nav(admin_page, "Overview")
    wait_heading(admin_page, "Overview")
    tiles = admin_page.locator(METRIC)
    tiles.nth(7).wait_for()
    assert tiles.count() == 8
    bottom = max(tiles.nth(i).bounding_box()["y"] + tiles.nth(i).bounding_box()["height"] for i in range(8))
    assert bottom <= HEIGHT, f"the second row of figures ends at {bottom:.0f} px, below the {HEIGHT} px screen"


def test_the_issue_register_starts_on_the_first_screen(admin_page):
    """A coordinator comes for the register: its heading and first rows come before the charts."""
    open_nav(admin_page, "Issues")
    heading = admin_page.locator("[data-testid='stMain'] h3").filter(has_text="Register").first
    top = heading.bounding_box()["y"]
    assert top < HEIGHT - 150, f"the register starts at {top:.0f} px on a {HEIGHT} px screen"
