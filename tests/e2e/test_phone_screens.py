"""Issue 18 (18): on a phone (360x740, touch) the pages a coordinator uses in the field (the issue
form, an activity's attendance, an issue's page) fit the screen's width: the page never scrolls
sideways and every input and button is within reach. A grid or table may scroll inside its own
box; the page may not. The issue form can be filled and sent at that size."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from browser_helpers import goto, login, pick, wait_for_text, wait_heading, wait_idle

from db.engine import get_engine
from db.models import Activity, Issue, WorkingGroup
from db.users import load_actor

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 360, 740

# The page's width as laid out (the document's, and the main area's, which is the box that
# scrolls), every visible input, button or picker whose box runs past the screen's right edge
# unless it sits in a box inside the page that scrolls sideways on its own (a grid, a tab bar),
# and every line of text Streamlit cuts with "…" because it does not fit.
OVERFLOW = """(width) => {
  const main = document.querySelector("[data-testid='stMain']");
  const scrolls = (el) => {
    for (let box = el.parentElement; box && box !== main; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (box.scrollWidth > box.clientWidth + 1 && /auto|scroll|hidden/.test(style.overflowX)) return true;
    }
    return false;
  };
  const past = [];
  for (const el of main.querySelectorAll(
      "input, textarea, select, button, [role='combobox'], [role='checkbox'], [role='tab']")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if (box.right > width + 0.5 && !scrolls(el)) {
      const name = el.getAttribute("aria-label") || el.innerText || el.getAttribute("name") || el.tagName;
      past.push(`${el.tagName} ${name.trim().slice(0, 60)} ends at ${Math.round(box.right)}px`);
    }
  }
  const cut = [...main.querySelectorAll(".stMarkdownEllipsis, .stMarkdownBadge")]
    .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .map((el) => el.textContent.trim().slice(0, 80));
  return {pageWidth: Math.max(document.documentElement.scrollWidth, main.scrollWidth),
          innerWidth: window.innerWidth, past, cut};
}"""


def query(server, statement):
    with get_engine(server.database_url).connect() as c:
        return c.execute(statement).all()


def assert_fits(page, where: str) -> None:
    wait_idle(page)
    found = page.evaluate(OVERFLOW, WIDTH)
    # A phone browser zooms out to show a page wider than the screen: innerWidth then grows
    assert found["innerWidth"] == WIDTH, f"{where}: the browser zoomed out to {found['innerWidth']} px"
    assert found["pageWidth"] <= WIDTH, f"{where}: the page is {found['pageWidth']} px wide on a {WIDTH} px phone"
    assert found["past"] == [], f"{where}: out of reach past the right edge: {found['past']}"
    assert found["cut"] == [], f"{where}: text cut short with '…': {found['cut']}"


@pytest.fixture
def phone(browser, app_server):
    """The demo coordinator, logged in on a phone-sized touch screen."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(60000)
    goto(page, app_server, "/", expect="login")
    assert_fits(page, "the login form")
    login(page, "coordinator")
    yield page
    context.close()


def coordinator_group(server) -> tuple[int, str]:
    group_id = min(load_actor("coordinator").group_ids)
    return group_id, query(server, sa.select(WorkingGroup.name).where(WorkingGroup.id == group_id))[0][0]


def test_the_sidebar_starts_closed_on_a_phone(phone):
    """Open, it would cover the page: the navigation waits behind the button at the top left."""
    opener = phone.locator("[data-testid='stExpandSidebarButton']")
    assert opener.get_attribute("aria-expanded") == "false"
    box = opener.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    assert phone.locator("[data-testid='stSidebar']").bounding_box()["x"] < 0  # drawn off the screen
    assert_fits(phone, "the first page")


def test_a_coordinator_logs_an_issue_on_a_phone(phone, app_server):
    group_id, group_name = coordinator_group(app_server)
    title = "Phone: fence cut near the well"
    goto(phone, app_server, f"/issues?group={group_id}")
    wait_heading(phone, "Register", "h3")
    assert_fits(phone, "the issue register")

    phone.get_by_text("Log an issue", exact=True).first.click()
    form = phone.locator("[data-testid='stForm']").filter(has=phone.get_by_role("button", name="Log the issue"))
    form.get_by_role("textbox", name="Title").wait_for()
    assert_fits(phone, "the register's 'Log an issue' form")
    pick(phone, form, "Working group", group_name)
    form.get_by_role("textbox", name="Title").fill(title)
    form.get_by_role("textbox", name="Description").fill("The fence around the village well was cut overnight.")
    pick(phone, form, "Severity", "High")
    form.get_by_text("Anonymous", exact=True).tap()
    form.get_by_role("button", name="Log the issue").tap()
    case_number = wait_for_text(phone, r"Issue logged with case number (\S+)\.").group(1)
    rows = query(app_server, sa.select(Issue.title, Issue.severity, Issue.anonymous)
                 .where(Issue.case_number == case_number))
    assert [tuple(r) for r in rows] == [(title, "high", True)]
    assert_fits(phone, "the register after logging an issue")


def test_the_data_entry_issue_form_fits_a_phone(phone, app_server):
    goto(phone, app_server, "/data_entry?section=issues")
    phone.locator("[data-testid='stForm']").get_by_role("button", name="Log the issue").wait_for()
    assert_fits(phone, "Data entry, Issues")


def test_an_activity_s_attendance_fits_a_phone(phone, app_server):
    group_id, _name = coordinator_group(app_server)
    activity_id, title = query(app_server, sa.select(Activity.id, Activity.title).where(
        Activity.group_id == group_id, Activity.status == "scheduled").order_by(Activity.starts_at))[0]
    goto(phone, app_server, f"/activities?id={activity_id}")
    wait_heading(phone, title)
    phone.get_by_role("tab", name="Record as held").wait_for()
    grid = phone.locator("[data-testid='stForm'] [data-testid='stDataFrame']").first
    grid.wait_for()
    assert_fits(phone, "an activity's page")
    box = grid.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"the attendance grid spans {box}"
    save = phone.get_by_role("button", name="Save as held")
    save.scroll_into_view_if_needed()
    assert save.bounding_box()["x"] + save.bounding_box()["width"] <= WIDTH


def test_an_issue_s_page_fits_a_phone(phone, app_server):
    group_id, _name = coordinator_group(app_server)
    issue_id, case, title = query(app_server, sa.select(Issue.id, Issue.case_number, Issue.title).where(
        Issue.group_id == group_id, Issue.retired == False).order_by(Issue.id))[0]  # noqa: E712
    goto(phone, app_server, f"/issues?id={issue_id}")
    wait_heading(phone, f"{case} · {title}")
    phone.get_by_role("button", name="Save the status").wait_for()
    assert_fits(phone, "an issue's page")
    heading = phone.locator("[data-testid='stMain'] h1").first.bounding_box()
    assert heading["x"] + heading["width"] <= WIDTH, f"the case number and title run to {heading}"
    assert re.search(r"Update this issue", phone.locator("[data-testid='stMain']").inner_text())
