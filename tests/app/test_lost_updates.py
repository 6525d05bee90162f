"""No lost updates: every edit form keeps the version of the record it was opened with, so a
save after someone else changed the record is refused, the stored value stays, what the user
typed stays in the form and the stored values are shown beside it."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlmodel import select

from db.engine import session_scope
from db.models import (
    Activity,
    Commitment,
    Membership,
    MembershipUpdate,
    Organisation,
    OrganisationUpdate,
    Site,
    SiteUpdate,
    WorkingGroup,
    WorkingGroupUpdate,
    WorkPlanItem,
)
from db.permissions import SYSTEM
from db.writes import activities as activity_writes
from db.writes import commitments as commitment_writes
from db.writes import groups as group_writes
from db.writes import organisations as org_writes
from db.writes import workplans as plan_writes
from tests.app.form_page import click, errors, forms
from tests.app.groups_fixtures import build_with_users

REFUSED = "Someone else saved this record while you were editing it."
GROUP_A = {"name": "Ashanti Group", "country": "GH", "level": "regional", "focus": "security_human_rights",
           "lead": "joint", "timezone": "Africa/Accra"}


@pytest.fixture
def world(empty_db):
    world = build_with_users()
    world.site = org_writes.create_site(SYSTEM, {"name": "Obuasi Mine", "country": "GH", "region": "Ashanti",
                                                 "latitude": 6.2, "longitude": -1.67, "company_id": world.company})
    group_writes.update_group(SYSTEM, world.group_a, 1, WorkingGroupUpdate(**GROUP_A, site_ids=[world.site]))
    return world


def open_form(tmp_path, module: str, username: str = "admin1", part: str | None = None):
    at = forms(tmp_path, module, username)
    if part:
        at.segmented_control(key="fg_part").set_value(part).run()
    return at


def refused(at) -> bool:
    return REFUSED in errors(at) and any(c.value == "Stored values now:" for c in at.caption)


def typed_save_is_refused(at, widget: str, key: str, typed: str, save: str) -> None:
    """Type into a field and save: refused, the stored values shown, and what was typed kept."""
    getattr(at, widget)(key=key).input(typed)
    click(at, save)
    assert refused(at)
    assert getattr(at, widget)(key=key).value == typed


def stored(model, row_id):
    with session_scope() as s:
        return s.get(model, row_id)


def test_organisation_form_refuses_a_save_over_another_sessions_change(world, tmp_path):
    at = open_form(tmp_path, "components.forms_groups", part="Organisations")
    at.selectbox(key="fg_org_pick").set_value(world.gov).run()
    org_writes.update_organisation(SYSTEM, world.gov, 1, OrganisationUpdate(name="Ministry of Lands and Mines"))
    typed_save_is_refused(at, "text_input", f"fo_{world.gov}_name", "Lands Ministry", "Save organisation")
    assert stored(Organisation, world.gov).name == "Ministry of Lands and Mines"
    # having seen the stored values, saving again is deliberate and goes through
    click(at, "Save organisation")
    assert (stored(Organisation, world.gov).name, stored(Organisation, world.gov).version) == ("Lands Ministry", 3)


def test_site_form_refuses_a_save_over_another_sessions_change(world, tmp_path):
    at = open_form(tmp_path, "components.forms_groups", "coord1", part="Sites")
    at.selectbox(key="fg_site_pick").set_value(world.site).run()
    org_writes.update_site(SYSTEM, world.site, 1, SiteUpdate(region="Ashanti South"))
    typed_save_is_refused(at, "text_input", f"fs_{world.site}_region", "Ashanti North", "Save site")
    assert stored(Site, world.site).region == "Ashanti South"


def test_group_form_refuses_a_save_over_another_sessions_change(world, tmp_path):
    at = open_form(tmp_path, "components.forms_groups", "coord1")
    k = f"fg_{world.group_a}"
    group_writes.update_group(SYSTEM, world.group_a, 2, WorkingGroupUpdate(**GROUP_A, site_ids=[world.site],
                                                        description="Meets in Obuasi."))
    typed_save_is_refused(at, "text_area", f"{k}_desc", "Meets in Kumasi.", "Save working group")
    assert stored(WorkingGroup, world.group_a).description == "Meets in Obuasi."


def test_membership_form_refuses_a_save_over_another_sessions_change(world, tmp_path):
    with session_scope() as s:
        member = s.exec(select(Membership).where(Membership.org_id == world.gov,
                                                 Membership.group_id == world.group_a)).one()
    at = open_form(tmp_path, "components.forms_groups", "coord1", part="Memberships")
    group_writes.change_membership(SYSTEM, member.id, 1, MembershipUpdate(role="chair"))
    k = f"mem_entry_{world.group_a}"
    at.selectbox(key=f"{k}_pick").set_value(member.id)
    at.selectbox(key=f"{k}_newrole").set_value("observer")
    click(at, "Save membership")
    assert refused(at)
    assert stored(Membership, member.id).role == "chair"


def test_commitment_status_form_refuses_a_save_over_another_sessions_change(world, tmp_path):
    at = open_form(tmp_path, "components.forms_commitments", "coord1")
    commitment_id = at.selectbox(key="fc_pick").value
    current = stored(Commitment, commitment_id)
    commitment_writes.update_status(SYSTEM, commitment_id, current.version, "dropped")
    at.selectbox(key=f"fc_status_{commitment_id}_status").set_value("in_progress")
    click(at, "Save status")
    assert refused(at)
    assert stored(Commitment, commitment_id).status == "dropped"


def open_scheduled_activity(world, tmp_path):
    """The coordinator's "Update an activity" forms, opened on group A's scheduled activity."""
    with session_scope() as s:
        activity = s.exec(select(Activity).where(Activity.group_id == world.group_a,
                                                 Activity.status == "scheduled")).one()
    at = open_form(tmp_path, "components.forms_activities", "coord1")
    at.segmented_control(key="fa_mode").set_value("Update an activity").run()
    at.selectbox(key="fa_activity").set_value(activity.id).run()
    return at, activity


def test_activity_cancel_refuses_a_save_over_another_sessions_change(world, tmp_path):
    at, activity = open_scheduled_activity(world, tmp_path)
    activity_writes.postpone(SYSTEM, activity.id, activity.version)  # someone marks it postponed
    at.checkbox(key=f"fa_cancel_sure_{activity.id}").check()
    click(at, "Cancel activity")
    assert refused(at)
    assert stored(Activity, activity.id).status == "postponed"


def test_proposal_decision_refuses_a_click_over_another_sessions_change(world, tmp_path):
    with session_scope() as s:
        item = s.exec(select(WorkPlanItem).where(WorkPlanItem.proposal == "proposed")).one()
    at = open_form(tmp_path, "components.forms_workplans", "coord1")
    with session_scope() as s:  # the proposer changes it after the coordinator opened the page
        s.get(WorkPlanItem, item.id).title = "HQ idea, revised"
        s.get(WorkPlanItem, item.id).version = item.version + 1
    next(b for b in at.button if b.key == f"adopt_{item.id}").click().run()
    assert not at.exception, at.exception
    assert REFUSED in " | ".join(e.value for e in at.error)
    assert stored(WorkPlanItem, item.id).proposal == "proposed"


def test_work_plan_items_table_refuses_a_save_over_another_sessions_change(world, tmp_path):
    """The table shows 20% when opened; someone saves 60%; saving the table must not put 20% back."""
    at = open_form(tmp_path, "components.forms_workplans", "coord1")
    with session_scope() as s:
        item = s.exec(select(WorkPlanItem).where(WorkPlanItem.title == "Guard training")).one()
        item_id, version = item.id, item.version
    plan_writes.save_items(SYSTEM, pd.DataFrame([{"id": item_id, "version": version, "title": "Guard training",
                                                  "status": "in_progress", "progress": 60}]))
    click(at, "Save status and progress")
    assert refused(at)
    assert stored(WorkPlanItem, item_id).progress == 60


def test_a_save_through_one_form_moves_the_other_forms_on_that_record_on(world, tmp_path):
    """The user's own save is not "someone else's": postponing, then cancelling goes through."""
    at, activity = open_scheduled_activity(world, tmp_path)
    click(at, "Postpone")
    assert stored(Activity, activity.id).status == "postponed"
    at.checkbox(key=f"fa_cancel_sure_{activity.id}").check()
    click(at, "Cancel activity")
    assert not at.error, [e.value for e in at.error]
    assert stored(Activity, activity.id).status == "cancelled"


def test_a_form_opened_again_later_starts_from_the_record_as_it_is_then(world, tmp_path):
    at = open_form(tmp_path, "components.forms_groups", part="Organisations")
    at.selectbox(key="fg_org_pick").set_value(world.gov).run()
    at.segmented_control(key="fg_part").set_value("Sites").run()  # the form is left unsaved
    org_writes.update_organisation(SYSTEM, world.gov, 1, OrganisationUpdate(name="Ministry of Lands and Mines"))
    at.segmented_control(key="fg_part").set_value("Organisations").run()
    at.selectbox(key="fg_org_pick").set_value(world.gov).run()
    assert at.text_input(key=f"fo_{world.gov}_name").value == "Ministry of Lands and Mines"
    at.text_input(key=f"fo_{world.gov}_name").input("Lands Ministry")
    click(at, "Save organisation")
    assert not at.error, [e.value for e in at.error]
    assert (stored(Organisation, world.gov).name, stored(Organisation, world.gov).version) == ("Lands Ministry", 3)
