"""End-to-end flows in headless Chromium against a freshly started, demo-seeded server (issue 8):
every role opens every page of its navigation; a coordinator schedules an activity, records
it as held with attendance typed into the grid and sees the calendar and the attendance rate
change; a coordinator logs an issue and moves it to resolved; an HQ user downloads the company
report; a viewer cannot reach an admin page by URL."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from browser_helpers import (
    PASSWORDS,
    exceptions,
    goto,
    login,
    main_text,
    nav_names,
    open_nav,
    pages_that_raise,
    pick,
    wait_for_text,
    wait_heading,
    wait_idle,
)

from components.nav import allowed_pages
from db.engine import get_engine
from db.models import Activity, Attendance, Issue, IssueUpdate, WorkingGroup
from db.users import load_actor

pytestmark = pytest.mark.e2e


def query(server, statement):
    """Read the server's database from the test (SQLite in WAL mode: reads do not block it)."""
    with get_engine(server.database_url).connect() as c:
        return c.execute(statement).all()


def metric(page, name: str) -> str:
    """The shown value of the KPI tile called `name`."""
    tile = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(name)}\\s*$")))
    tile.first.wait_for()
    return tile.first.locator("[data-testid='stMetricValue']").inner_text().strip()


def table_total(page) -> int:
    """The row count a components.tables.table caption states ("N rows" / "Showing N of M rows")."""
    found = wait_for_text(page, r"Showing [\d,]+ of ([\d,]+) rows|\b([\d,]+) rows\b")
    return int((found.group(1) or found.group(2)).replace(",", ""))


def alerts_total(page) -> int:
    found = wait_for_text(page, r"([\d,]+) of ([\d,]+) open issues that need attention|No open issue needs attention")
    return int(found.group(2).replace(",", "")) if found.group(2) else 0


ATTENDED, PARTICIPANTS, WOMEN = 3, 4, 5  # columns of the attendance grid as shown (org_id is hidden)


def grid_cell(grid, row: int, column: int):
    """A cell of an st.data_editor as its accessible table (which mirrors the canvas) shows it."""
    return grid.locator(f"[data-testid='glide-cell-{column}-{row}']")


def coordinator_group(server) -> int:
    """The first of the demo coordinator's working groups."""
    return min(load_actor("coordinator").group_ids)


# --------------------------------------------------------------------------- 1. every role, every page


@pytest.mark.parametrize("user", list(PASSWORDS))
def test_each_role_opens_every_page_of_its_navigation(page, app_server, user):
    login(page, user)
    names = nav_names(page)
    expected = [spec.title for spec in allowed_pages(load_actor(user))]
    assert names == expected, f"{user} sees {names}, expected {expected}"
    # test_first_impression opens every admin page twice (two screen sizes): here only their own
    visit = ["Users", "Audit log", "Backup"] if user == "admin" else names
    failed = pages_that_raise(page, visit)
    assert not failed, f"{user}: pages raised: {failed}"


# --------------------------------------------------------------------------- 2. activity and attendance


def test_coordinator_schedules_an_activity_records_attendance_and_sees_the_rate_change(page, app_server):
    group_id = coordinator_group(app_server)
    title = "E2E plenary on water access"
    login(page, "coordinator")

    goto(page, app_server, f"/working_groups?id={group_id}")
    rate_before = metric(page, "Attendance rate this year")
    goto(page, app_server, f"/activities?group={group_id}")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    listed_before = table_total(page)

    # Schedule it (Data entry, "Activities and attendance"), three days before the as-of date.
    open_nav(page, "Data entry and import")
    page.locator(".st-key-entry_section").get_by_text("Activities and attendance", exact=True).click()
    form = page.locator("[data-testid='stMain']")
    form.get_by_role("textbox", name="Title").first.wait_for()
    wait_idle(page)
    group_name = query(app_server, sa.select(WorkingGroup.name).where(WorkingGroup.id == group_id))[0][0]
    pick(page, form, "Working group", group_name)
    # The pick starts a run that draws this group's schedule form afresh (its fields are keyed
    # by group), and the app can look idle before that run begins: wait for the group's own
    # Title field (Streamlit gives a keyed widget the class st-key-<key>), or the typing is lost.
    page.locator(f".st-key-fa_sched_{group_id}_title input").wait_for()
    wait_idle(page)
    form.get_by_role("textbox", name="Title").first.fill(title)
    pick(page, form, "Kind", "Plenary meeting")
    form.get_by_role("spinbutton", name="day, Date").click()
    page.keyboard.type("24")
    form.get_by_role("spinbutton", name="month, Date").click()
    page.keyboard.type("11")
    form.get_by_role("button", name="Schedule activity").click()
    wait_for_text(page, "Activity scheduled.")
    rows = query(app_server, sa.select(Activity.id, Activity.status, Activity.group_id).where(Activity.title == title))
    assert len(rows) == 1 and rows[0].status == "scheduled" and rows[0].group_id == group_id, rows
    activity_id = rows[0].id

    # The calendar lists it: one more activity for the group, and its page opens from the URL.
    goto(page, app_server, f"/activities?group={group_id}")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    assert table_total(page) == listed_before + 1

    # Record it as held: tick "Attended" and type participants and women into the grid.
    goto(page, app_server, f"/activities?id={activity_id}")
    wait_heading(page, title)
    page.get_by_role("tab", name="Record as held").wait_for()
    wait_idle(page)
    page.get_by_role("textbox", name="Outcomes").fill("Agreed a joint visit to the water point.")
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    from playwright.sync_api import expect

    typed = {0: (7, 3), 1: (4, 4)}
    for row, (participants, women) in typed.items():
        grid.click(position={"x": 20, "y": 35 + 35 * row + 17})  # the organisation cell of that row
        for key in ("ArrowRight", "ArrowRight", "ArrowRight", "Space"):  # to "Attended" and tick it
            page.keyboard.press(key)
        expect(grid_cell(grid, row, ATTENDED)).to_have_text("true")
        page.keyboard.press("ArrowRight")
        for column, number in ((PARTICIPANTS, participants), (WOMEN, women)):
            page.keyboard.press("Enter")  # open the cell's editor, type, Tab commits and moves right
            editor = page.locator("#portal .gdg-input")
            editor.wait_for(state="visible")
            editor.fill(str(number))
            page.keyboard.press("Tab")
            editor.wait_for(state="detached")
            expect(grid_cell(grid, row, column)).to_have_text(str(number))
    page.get_by_role("button", name="Save as held").click()
    wait_for_text(page, "Activity recorded as held.")

    status = query(app_server, sa.select(Activity.status).where(Activity.id == activity_id))[0][0]
    assert status == "held"
    came = query(app_server, sa.select(Attendance.participants, Attendance.women)
                 .where(Attendance.activity_id == activity_id, Attendance.attended == True)  # noqa: E712
                 .order_by(Attendance.participants.desc()))
    assert [tuple(r) for r in came] == [(7, 3), (4, 4)]
    assert metric(page, "Organisations attending") == "2"
    assert metric(page, "Participants") == "11"

    goto(page, app_server, f"/working_groups?id={group_id}")
    rate_after = metric(page, "Attendance rate this year")
    assert rate_after != rate_before, f"the attendance rate stayed {rate_before}"
    assert not exceptions(page)


# --------------------------------------------------------------------------- 3. an issue, logged and resolved


def test_coordinator_logs_an_issue_and_resolves_it_and_the_register_and_alerts_follow(page, app_server):
    group_id = coordinator_group(app_server)
    group_name = query(app_server, sa.select(WorkingGroup.name).where(WorkingGroup.id == group_id))[0][0]
    title = "E2E blocked access road to the river"
    login(page, "coordinator")
    register = f"/issues?group={group_id}"
    goto(page, app_server, register)
    wait_heading(page, "Register", "h3")
    registered_before, alerts_before, open_before = table_total(page), alerts_total(page), metric(page, "Open")

    # Log it from the register: anonymous, critical, with a risk of violence (so it is an alert).
    page.get_by_text("Log an issue", exact=True).first.click()
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Log the issue"))
    form.get_by_role("textbox", name="Title").wait_for()
    pick(page, form, "Working group", group_name)
    form.get_by_role("textbox", name="Title").fill(title)
    form.get_by_role("textbox", name="Description").fill("Trucks block the only road to the river since Monday.")
    pick(page, form, "Severity", "Critical")
    form.get_by_text("Anonymous", exact=True).click()
    form.get_by_text("Risk of violence", exact=True).click()
    form.get_by_role("button", name="Log the issue").click()
    case_number = wait_for_text(page, r"Issue logged with case number (\S+)\.").group(1)
    rows = query(app_server, sa.select(Issue.id, Issue.status, Issue.severity).where(Issue.case_number == case_number))
    assert len(rows) == 1 and rows[0].status == "received" and rows[0].severity == "critical", rows
    issue_id = rows[0].id

    goto(page, app_server, register)
    wait_heading(page, "Register", "h3")
    assert table_total(page) == registered_before + 1
    assert alerts_total(page) == alerts_before + 1
    assert metric(page, "Open") == str(int(open_before.replace(",", "")) + 1)

    # Move it along the allowed transitions on its own page: received -> acknowledged -> resolved.
    goto(page, app_server, f"/issues?id={issue_id}")
    wait_heading(page, f"{case_number} · {title}")
    status_form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save the status"))
    informed_box = status_form.get_by_role("checkbox", name="The raiser was informed of this update")
    for status, note, informed in (("Acknowledged", "Called the community liaison.", True),
                                   ("Resolved", "The company moved the trucks; the road is open.", False)):
        wait_idle(page)
        pick(page, status_form, "New status", status)
        status_form.get_by_role("textbox", name="Note").fill(note)
        if informed:
            status_form.get_by_text("The raiser was informed of this update").click()
        status_form.get_by_role("button", name="Save the status").click()
        # (the issue page does not show the save's confirmation: the status line is the proof)
        wait_for_text(page, f"Now: {status}. ")
        wait_idle(page)
        # The next update starts afresh: no note, raiser not informed (it had stayed ticked).
        assert status_form.get_by_role("textbox", name="Note").input_value() == ""
        assert not informed_box.is_checked()
    assert query(app_server, sa.select(Issue.status).where(Issue.id == issue_id))[0][0] == "resolved"
    assert query(app_server, sa.select(IssueUpdate.to_status, IssueUpdate.raiser_informed)
                 .where(IssueUpdate.issue_id == issue_id).order_by(IssueUpdate.id))[-2:] == [
        ("acknowledged", True), ("resolved", False)]
    assert not exceptions(page)

    goto(page, app_server, register)
    wait_heading(page, "Register", "h3")
    assert table_total(page) == registered_before + 1  # still in the register, now resolved
    assert alerts_total(page) == alerts_before
    assert metric(page, "Open") == open_before


# --------------------------------------------------------------------------- 4. the company report


def test_hq_downloads_the_company_report(page, app_server):
    login(page, "hq")
    open_nav(page, "Reports")
    page.get_by_role("tab", name="Company annual report").click()
    page.get_by_role("button", name="Prepare report").first.click()
    button = page.get_by_role("button", name="Download PDF")
    button.wait_for(timeout=120000)
    with page.expect_download() as pdf:
        button.click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as workbook:
        page.get_by_role("button", name="Download Excel").first.click()
    content = open(workbook.value.path(), "rb").read()
    assert workbook.value.suggested_filename.endswith(".xlsx") and content[:2] == b"PK"
    assert not exceptions(page)


# --------------------------------------------------------------------------- 5. no admin pages for a viewer


def test_a_viewer_cannot_reach_an_admin_page_by_url(page, app_server):
    login(page, "viewer")
    for path, title in (("users", "Users"), ("audit_log", "Audit log"), ("backup", "Backup")):
        goto(page, app_server, f"/{path}")
        page.locator("[data-testid='stMain'] h1, [data-testid='stAlert']").first.wait_for()
        headings = [h.strip() for h in page.locator("[data-testid='stMain'] h1").all_inner_texts()]
        text = main_text(page)
        # Not in the viewer's navigation: Streamlit shows the default page (or the guard says no)
        assert headings == ["Overview"] or "Your role does not give access to this page." in text, \
            f"/{path} showed a viewer {headings}"
        assert title not in nav_names(page)
        assert "@demo.invalid" not in text and "demo-admin" not in text, f"/{path} listed accounts"
        assert page.locator("[data-testid='stDownloadButton']").count() == 0 or "Backup" not in text, \
            f"/{path} offered a download to a viewer"
        assert not exceptions(page)
