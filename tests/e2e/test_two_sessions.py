"""No lost updates, in two browsers (issue 12, item 10): two sessions open the same
organisation's edit form and both change its name; the first save goes through, the second is
refused with the stored values shown and what its user typed kept, and the stored name is the
first one's until the second user, having seen it, saves again."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from browser_helpers import exceptions, login, new_page, open_nav, pick, wait_for_text, wait_idle

from db.engine import get_engine
from db.models import Organisation
from db.reads.common import organisations
from db.users import load_actor
from db.writes.organisations import editable_organisation_ids

pytestmark = pytest.mark.e2e

REFUSED = "Someone else saved this record while you were editing it."


def stored_name(server, org_id: int) -> str:
    with get_engine(server.database_url).connect() as c:
        return c.execute(sa.select(Organisation.name).where(Organisation.id == org_id)).scalar_one()


def in_front(page):
    """Bring this session's window to the front: a page behind another draws no animation
    frames, and wait_for_text looks at the screen on each frame."""
    page.bring_to_front()
    return page


def open_organisation_form(page, name: str):
    """Data entry, "Working groups and members", "Organisations", then the organisation `name`:
    returns its edit form."""
    from playwright.sync_api import expect  # here: without playwright the browser tests skip

    in_front(page)
    open_nav(page, "Data entry and import")
    panel = page.locator("[data-testid='stMain']")  # the first section, Working groups and members
    panel.locator("[data-testid='stButtonGroup']").get_by_text("Organisations", exact=True).click()  # "What to edit"
    wait_idle(page)
    pick(page, panel, "Organisation", name)
    form = page.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Save organisation"))
    # the run the pick started draws this organisation's form in place of the new one's
    expect(form.get_by_role("textbox", name="Name")).to_have_value(name)
    wait_idle(page)
    return form


def test_the_second_of_two_sessions_saving_one_organisation_is_refused(browser, page, app_server):
    # An organisation the demo coordinator may edit (only their groups have it as a member),
    # the first in the form's list, so that the picker shows it without scrolling.
    coordinator = load_actor("coordinator")
    editable = editable_organisation_ids(coordinator)
    listed = organisations()
    org_id, name = next((int(i), n) for i, n in zip(listed["id"], listed["name"]) if i in editable)
    first_name, second_name = f"{name} (first session)", f"{name} (second session)"

    from playwright.sync_api import expect

    second = new_page(browser, app_server)  # another browser context: another session
    try:
        login(in_front(page), "coordinator")
        login(in_front(second), "coordinator")
        first_form = open_organisation_form(page, name)
        second_form = open_organisation_form(second, name)  # both forms open on the same version

        in_front(page)
        first_form.get_by_role("textbox", name="Name").fill(first_name)
        first_form.get_by_role("button", name="Save organisation").click()
        wait_for_text(page, "Organisation saved.")
        assert stored_name(app_server, org_id) == first_name

        in_front(second)
        second_form.get_by_role("textbox", name="Name").fill(second_name)
        second_form.get_by_role("button", name="Save organisation").click()
        wait_for_text(second, REFUSED)
        wait_for_text(second, "Stored values now:")
        assert stored_name(app_server, org_id) == first_name  # the first save stays
        expect(second_form.get_by_role("textbox", name="Name")).to_have_value(second_name)  # typed, kept

        # Having seen the stored values, saving again is deliberate and goes through.
        second_form.get_by_role("button", name="Save organisation").click()
        wait_for_text(second, "Organisation saved.")
        assert stored_name(app_server, org_id) == second_name
        assert not exceptions(page) and not exceptions(second)
    finally:
        second.context.close()
