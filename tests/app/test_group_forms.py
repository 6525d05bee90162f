"""The working group, membership, organisation, site and work plan forms, and recording an
activity as held with its attendance sheet: valid and invalid input through the forms,
checking the database and the audit log afterwards, and coordinators kept to their groups."""
from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.models import (
    Activity,
    Attendance,
    AuditEntry,
    GroupInitiative,
    GroupSite,
    Membership,
    Organisation,
    Site,
    WorkingGroup,
    WorkingGroupUpdate,
    WorkPlan,
    WorkPlanItem,
)
from db.permissions import SYSTEM
from db.reads import activities as activity_reads
from db.writes import activities as activity_writes
from db.writes import groups as group_writes
from db.writes import organisations as org_writes
from db.writes import workplans as plan_writes
from tests.app.form_page import click, errors, forms, save_new_organisation
from tests.app.groups_fixtures import build_with_users
from tests.conftest import actor


@pytest.fixture
def world(empty_db):
    world = build_with_users()
    world.site = org_writes.create_site(SYSTEM, {"name": "Obuasi Mine", "country": "GH", "region": "Ashanti",
                                                 "latitude": 6.2, "longitude": -1.67, "company_id": world.company})
    world.site2 = org_writes.create_site(SYSTEM, {"name": "Tarkwa Mine", "country": "GH", "region": "Western",
                                                  "latitude": 5.3, "longitude": -1.99, "company_id": world.company})
    return world


def successes(at) -> str:
    return " | ".join(s.value for s in at.success)


def audit(table: str, row_id: int | None = None) -> list[AuditEntry]:
    with session_scope() as s:
        query = select(AuditEntry).where(AuditEntry.table_name == table)
        if row_id is not None:
            query = query.where(AuditEntry.row_id == row_id)
        return list(s.exec(query.order_by(AuditEntry.id)).all())


def count(model) -> int:
    with session_scope() as s:
        return s.execute(select(sa.func.count()).select_from(model)).scalar_one()


def get(model, row_id):
    with session_scope() as s:
        return s.get(model, row_id)


# --------------------------------------------------------------------------- working groups


def test_admin_creates_a_group_with_initiatives_and_sites(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.text_input(key="fg_0_name").input("  Western Region Working Group  ")
    at.selectbox(key="fg_0_country").select("GH")
    at.selectbox(key="fg_0_tz").select("Africa/Accra")
    at.selectbox(key="fg_0_level").select("regional")
    at.selectbox(key="fg_0_lead").select("civil_society")
    at.date_input(key="fg_0_est").set_value(date(2019, 3, 1))
    at.multiselect(key="fg_0_init").set_value(["vpshr", "eiti"])
    at.multiselect(key="fg_0_sites").set_value([world.site2])
    at.text_area(key="fg_0_desc").input("Meets quarterly in Takoradi.")
    click(at, "Save working group")
    assert "Working group saved." in successes(at), errors(at)
    with session_scope() as s:
        group = s.exec(select(WorkingGroup).where(WorkingGroup.name == "Western Region Working Group")).one()
        assert (group.country, group.timezone, group.level, group.lead, group.established_on, group.description) == (
            "GH", "Africa/Accra", "regional", "civil_society", date(2019, 3, 1), "Meets quarterly in Takoradi.")
        assert sorted(s.exec(select(GroupInitiative.initiative).where(GroupInitiative.group_id == group.id)).all()) == ["eiti", "vpshr"]
        assert s.exec(select(GroupSite.site_id).where(GroupSite.group_id == group.id)).all() == [world.site2]
    entry = audit("working_group", group.id)[-1]
    assert (entry.action, entry.username) == ("create", "admin1")
    assert json.loads(entry.after)["name"] == "Western Region Working Group"


def test_group_refused_without_country_and_with_short_name_keeps_what_was_typed(world, tmp_path):
    before = count(WorkingGroup), len(audit("working_group"))
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.text_input(key="fg_0_name").input("WG")
    at.text_area(key="fg_0_desc").input("Draft description")
    click(at, "Save working group")
    assert "at least 3 characters" in errors(at)
    assert at.text_input(key="fg_0_name").value == "WG"
    assert at.text_area(key="fg_0_desc").value == "Draft description"
    at.text_input(key="fg_0_name").input("Volta Working Group")
    click(at, "Save working group")
    assert "Fill in this field (at least 2 characters)." in errors(at)  # the country, shown beside it
    assert (count(WorkingGroup), len(audit("working_group"))) == before


def test_coordinator_edits_own_group_sites_and_initiatives(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "coord1")
    picker = at.selectbox(key="fg_group_pick")
    assert picker.options == ["Ashanti Group"]  # no "new group", no other group
    k = f"fg_{world.group_a}"
    assert at.text_input(key=f"{k}_name").value == "Ashanti Group"
    at.multiselect(key=f"{k}_init").set_value(["vpshr"])
    at.multiselect(key=f"{k}_sites").set_value([world.site, world.site2])
    at.selectbox(key=f"{k}_status").select("dormant")
    click(at, "Save working group")
    assert "Working group saved." in successes(at), errors(at)
    group = get(WorkingGroup, world.group_a)
    assert (group.status, group.version) == ("dormant", 2)
    with session_scope() as s:
        assert sorted(s.exec(select(GroupSite.site_id).where(GroupSite.group_id == world.group_a)).all()) == sorted([world.site, world.site2])
    update = audit("working_group", world.group_a)[-1]
    assert (update.action, update.username) == ("update", "coord1")
    assert (json.loads(update.before)["status"], json.loads(update.after)["status"]) == ("active", "dormant")
    links = audit("group_links", world.group_a)[-1]
    assert json.loads(links.before) == {"initiatives": [], "site_ids": []}
    assert json.loads(links.after) == {"initiatives": ["vpshr"], "site_ids": sorted([world.site, world.site2])}


def test_group_with_unknown_time_zone_is_refused_by_the_write(world):
    with pytest.raises(ValidationFailed) as refused:
        group_writes.update_group(actor("coord1"), world.group_a, 1, WorkingGroupUpdate(
            name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
            lead="joint", timezone="Mars/Olympus"))
    assert "timezone" in refused.value.errors
    assert get(WorkingGroup, world.group_a).version == 1


def test_coordinator_refused_on_another_group(world):
    values = {"name": "Lima Group renamed", "country": "PE", "level": "national", "focus": "security_human_rights",
              "lead": "government", "timezone": "America/Lima"}
    with pytest.raises(PermissionDenied):
        group_writes.update_group(actor("coord1"), world.group_b, 1, WorkingGroupUpdate(**values))
    with pytest.raises(PermissionDenied):
        group_writes.add_membership(actor("coord1"), {"group_id": world.group_b, "org_id": world.gov, "since": date(2026, 1, 1)})
    with pytest.raises(PermissionDenied):
        plan_writes.create_work_plan(actor("coord1"), {"group_id": world.group_b, "title": "Plan 2027",
                                                       "period_start": date(2027, 1, 1), "period_end": date(2027, 12, 31)})
    assert get(WorkingGroup, world.group_b).name == "Lima Group"
    assert count(WorkPlan) == 1 and audit("membership") == []


# --------------------------------------------------------------------------- memberships


def _members_part(at):
    at.segmented_control(key="fg_part").set_value("Memberships").run()
    assert not at.exception, at.exception
    return at


def test_membership_add_change_role_and_end_never_deletes(world, tmp_path):
    at = _members_part(forms(tmp_path, "components.forms_groups", "coord1"))
    assert at.selectbox(key="fg_mem_group").options == ["Ashanti Group"]
    k = f"mem_entry_{world.group_a}"
    at.selectbox(key=f"{k}_org").set_value(world.guards)
    at.selectbox(key=f"{k}_role").select("observer")
    at.date_input(key=f"{k}_since").set_value(date(2026, 2, 1))
    click(at, "Add member")
    assert "Member added." in successes(at), errors(at)
    with session_scope() as s:
        added = s.exec(select(Membership).where(Membership.org_id == world.guards, Membership.group_id == world.group_a)).one()
    assert (added.role, added.since, added.until) == ("observer", date(2026, 2, 1), None)
    assert audit("membership", added.id)[-1].action == "create"

    at.selectbox(key=f"{k}_pick").set_value(added.id)
    at.selectbox(key=f"{k}_newrole").set_value("co_chair")
    click(at, "Save membership")
    assert "Membership updated." in successes(at), errors(at)
    assert get(Membership, added.id).role == "co_chair"

    at.selectbox(key=f"{k}_pick").set_value(added.id)
    at.date_input(key=f"{k}_until").set_value(date(2026, 10, 31))
    click(at, "Save membership")
    assert "Membership updated." in successes(at), errors(at)
    ended = get(Membership, added.id)
    assert (ended.until, ended.role, ended.version) == (date(2026, 10, 31), "co_chair", 3)
    last = audit("membership", added.id)[-1]
    assert (last.action, json.loads(last.before)["until"], json.loads(last.after)["until"]) == ("update", None, "2026-10-31")
    assert count(Membership) == 6  # five from the world plus this one: ended, not deleted


def test_membership_end_before_start_and_empty_change_are_refused(world, tmp_path):
    with session_scope() as s:
        member = s.exec(select(Membership).where(Membership.org_id == world.gov, Membership.group_id == world.group_a)).one()
    at = _members_part(forms(tmp_path, "components.forms_groups", "coord1"))
    k = f"mem_entry_{world.group_a}"
    click(at, "Add member")
    assert "Choose the organisation to add." in errors(at)
    at.selectbox(key=f"{k}_pick").set_value(member.id)
    click(at, "Save membership")
    assert "Choose a new role or the date the membership ended." in errors(at)
    at.selectbox(key=f"{k}_pick").set_value(member.id)
    at.date_input(key=f"{k}_until").set_value(date(2024, 6, 30))
    click(at, "Save membership")
    assert "on or after the start date" in errors(at)
    assert at.date_input(key=f"{k}_until").value == date(2024, 6, 30)
    stored = get(Membership, member.id)
    assert (stored.until, stored.version) == (None, 1)
    assert audit("membership") == []


def test_write_layer_has_no_membership_delete():
    assert not [name for name in dir(group_writes) if "delete" in name or "remove" in name]


# --------------------------------------------------------------------------- organisations and sites


def _part(at, name: str):
    at.segmented_control(key="fg_part").set_value(name).run()
    assert not at.exception, at.exception
    return at


def refused_new(at, form: str, name: str, save: str, refusal: str) -> None:
    """A new record with only a name and a country is refused, and the name stays typed."""
    at.text_input(key=f"{form}_0_name").input(name)
    at.selectbox(key=f"{form}_0_country").select("GH")
    click(at, save)
    assert refusal in errors(at)
    assert at.text_input(key=f"{form}_0_name").value == name


def test_organisation_create_with_parent_and_edit(world, tmp_path):
    at = _part(forms(tmp_path, "components.forms_groups", "admin1"), "Organisations")
    at.text_input(key="fo_0_name").input("Goldridge Tarkwa Ltd")
    at.selectbox(key="fo_0_kind").select("company")
    at.selectbox(key="fo_0_country").select("GH")
    at.selectbox(key="fo_0_parent").set_value(world.company)
    at.checkbox(key="fo_0_vp").check()
    click(at, "Save organisation")
    assert "Organisation saved." in successes(at), errors(at)
    with session_scope() as s:
        org = s.exec(select(Organisation).where(Organisation.name == "Goldridge Tarkwa Ltd")).one()
    assert (org.kind, org.country, org.parent_id, org.vpshr_participant, org.icoca_member) == (
        "company", "GH", world.company, True, False)
    assert audit("organisation", org.id)[-1].action == "create"

    at.selectbox(key="fg_org_pick").set_value(org.id).run()
    k = f"fo_{org.id}"
    assert at.text_input(key=f"{k}_name").value == "Goldridge Tarkwa Ltd"
    at.text_input(key=f"{k}_name").input("Goldridge Tarkwa Limited")
    at.checkbox(key=f"{k}_ic").check()
    click(at, "Save organisation")
    assert "Organisation saved." in successes(at), errors(at)
    edited = get(Organisation, org.id)
    assert (edited.name, edited.icoca_member, edited.parent_id, edited.version) == (
        "Goldridge Tarkwa Limited", True, world.company, 2)
    entry = audit("organisation", org.id)[-1]
    assert (json.loads(entry.before)["name"], json.loads(entry.after)["name"]) == ("Goldridge Tarkwa Ltd", "Goldridge Tarkwa Limited")


def test_coordinator_adds_organisations_without_a_parent_and_edits_only_their_groups_own(world, tmp_path):
    at = _part(forms(tmp_path, "components.forms_groups", "coord1"), "Organisations")
    # new, plus the organisations only group A uses (not the NGO also in group B, nor unused Shield Guards)
    assert sorted(at.selectbox(key="fg_org_pick").options) == sorted(
        ["New organisation", "Goldridge Mining", "Ministry of Lands", "Obuasi Youth Association"])
    assert not [s for s in at.selectbox if s.key == "fo_0_parent"]  # company families are the admins'
    save_new_organisation(at, "Goldridge Tarkwa Ltd", "company")
    assert "Organisation saved." in successes(at), errors(at)
    with session_scope() as s:
        org = s.exec(select(Organisation).where(Organisation.name == "Goldridge Tarkwa Ltd")).one()
    assert (org.parent_id, audit("organisation", org.id)[-1].username) == (None, "coord1")

    at.selectbox(key="fg_org_pick").set_value(world.gov).run()
    k = f"fo_{world.gov}"
    assert not [s for s in at.selectbox if s.key == f"{k}_parent"]
    at.text_input(key=f"{k}_name").input("Ministry of Lands and Natural Resources")
    click(at, "Save organisation")
    assert "Organisation saved." in successes(at), errors(at)
    edited = get(Organisation, world.gov)
    assert (edited.name, edited.parent_id, edited.version) == ("Ministry of Lands and Natural Resources", None, 2)


def test_organisation_duplicate_name_and_parent_loop_are_refused(world, tmp_path):
    at = _part(forms(tmp_path, "components.forms_groups", "admin1"), "Organisations")
    refused_new(at, "fo", "Goldridge Mining", "Save organisation", "already exists")
    with session_scope() as s:
        assert s.execute(select(sa.func.count()).where(Organisation.name == "Goldridge Mining")).scalar_one() == 1
    # Goldridge's subsidiary cannot become Goldridge's parent.
    child = org_writes.create_organisation(SYSTEM, {"name": "Goldridge Sub", "kind": "company", "country": "GH",
                                                    "parent_id": world.company})
    at.selectbox(key="fg_org_pick").set_value(world.company).run()
    at.selectbox(key=f"fo_{world.company}_parent").set_value(child)
    click(at, "Save organisation")
    assert "own parent" in errors(at)
    assert get(Organisation, world.company).parent_id is None


def test_site_create_and_refusals(world, tmp_path):
    at = _part(forms(tmp_path, "components.forms_groups", "coord1"), "Sites")
    refused_new(at, "fs", "Damang Pit", "Save site", "coordinates")
    at.number_input(key="fs_0_lat").set_value(5.5)
    at.number_input(key="fs_0_lon").set_value(-1.85)
    at.selectbox(key="fs_0_co").set_value(world.company)
    click(at, "Save site")
    assert "Site saved." in successes(at), errors(at)
    with session_scope() as s:
        site = s.exec(select(Site).where(Site.name == "Damang Pit")).one()
    assert (site.country, site.latitude, site.longitude, site.company_id) == ("GH", 5.5, -1.85, world.company)
    assert audit("site", site.id)[-1].username == "coord1"
    # the same name in the same country is refused
    at.selectbox(key="fg_site_pick").set_value(0).run()
    at.text_input(key="fs_0_name").input("Obuasi Mine")
    at.selectbox(key="fs_0_country").select("GH")
    at.number_input(key="fs_0_lat").set_value(6.0)
    at.number_input(key="fs_0_lon").set_value(-1.6)
    click(at, "Save site")
    assert "already exists" in errors(at)
    assert count(Site) == 3


def test_coordinator_edits_only_the_sites_their_groups_alone_cover(world, tmp_path):
    group_writes.update_group(SYSTEM, world.group_a, 1, WorkingGroupUpdate(
        name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
        lead="joint", timezone="Africa/Accra", site_ids=[world.site, world.site2]))
    group_writes.update_group(SYSTEM, world.group_b, 1, WorkingGroupUpdate(
        name="Lima Group", country="PE", level="national", focus="security_human_rights",
        lead="government", timezone="America/Lima", site_ids=[world.site2]))
    at = _part(forms(tmp_path, "components.forms_groups", "coord1"), "Sites")
    assert at.selectbox(key="fg_site_pick").options == ["New site", "Obuasi Mine"]
    at.selectbox(key="fg_site_pick").set_value(world.site).run()
    at.text_input(key=f"fs_{world.site}_region").input("Ashanti North")
    click(at, "Save site")
    assert "Site saved." in successes(at), errors(at)
    assert (get(Site, world.site).region, get(Site, world.site).version) == ("Ashanti North", 2)


# --------------------------------------------------------------------------- work plans


def _plan_id(title: str) -> int:
    with session_scope() as s:
        return s.exec(select(WorkPlan.id).where(WorkPlan.title == title)).one()


def new_plan(tmp_path, group_id: int, title: str, starts: date, ends: date):
    """The coordinator's work plan forms, after creating a plan for the group through them."""
    at = forms(tmp_path, "components.forms_workplans", "coord1")
    k = f"fw_plan_{group_id}"
    at.text_input(key=f"{k}_title").input(title)
    at.date_input(key=f"{k}_start").set_value(starts)
    at.date_input(key=f"{k}_end").set_value(ends)
    return click(at, "Create work plan")


def test_work_plan_and_item_created_through_the_forms(world, tmp_path):
    at = new_plan(tmp_path, world.group_a, "Work plan 2027", date(2027, 1, 1), date(2027, 12, 31))
    assert "Work plan created." in successes(at), errors(at)
    plan_id = _plan_id("Work plan 2027")
    assert audit("work_plan", plan_id)[-1].action == "create"

    i = f"fw_item_{world.group_a}"
    at.selectbox(key=f"{i}_plan").set_value(plan_id)
    at.text_input(key=f"{i}_title").input("Train private guards on the VPs")
    at.selectbox(key=f"{i}_kind").select("training")
    at.selectbox(key=f"{i}_owner").set_value(world.guards)
    at.date_input(key=f"{i}_due").set_value(date(2027, 6, 30))
    at.selectbox(key=f"{i}_status").select("in_progress")
    at.number_input(key=f"{i}_progress").set_value(40)
    click(at, "Add item")
    assert "Item added to the work plan." in successes(at), errors(at)
    with session_scope() as s:
        item = s.exec(select(WorkPlanItem).where(WorkPlanItem.title == "Train private guards on the VPs")).one()
    assert (item.work_plan_id, item.kind, item.owner_org_id, item.status, item.progress, item.proposal) == (
        plan_id, "training", world.guards, "in_progress", 40, "adopted")
    assert audit("work_plan_item", item.id)[-1].username == "coord1"


def test_work_plan_ending_before_it_starts_and_short_item_title_are_refused(world, tmp_path):
    before = count(WorkPlan), count(WorkPlanItem)
    at = new_plan(tmp_path, world.group_a, "Backwards plan", date(2027, 12, 31), date(2027, 1, 1))
    assert "end after it starts" in errors(at)
    assert at.text_input(key=f"fw_plan_{world.group_a}_title").value == "Backwards plan"
    i = f"fw_item_{world.group_a}"
    at.text_input(key=f"{i}_title").input("x")
    click(at, "Add item")
    assert "at least 3 characters" in errors(at)
    assert (count(WorkPlan), count(WorkPlanItem)) == before


def _items_frame(plan_id: int) -> pd.DataFrame:
    with session_scope() as s:
        items = s.exec(select(WorkPlanItem).where(WorkPlanItem.work_plan_id == plan_id).order_by(WorkPlanItem.id)).all()
        return pd.DataFrame([{"id": i.id, "version": i.version, "title": i.title, "status": i.status,
                              "progress": i.progress} for i in items])


def test_items_table_save_checks_every_row_before_writing(world):
    plan_id = _plan_id("Plan 2026")
    frame = _items_frame(plan_id)
    edited = frame.copy()
    guard = edited.index[edited["title"] == "Guard training"][0]
    radio = edited.index[edited["title"] == "Community radio"][0]
    edited.loc[guard, "progress"] = 150
    edited.loc[radio, ["status", "progress"]] = ["done", 80]
    audits = len(audit("work_plan_item"))
    with pytest.raises(ValidationFailed) as refused:
        plan_writes.save_items(actor("coord1"), edited)
    message = refused.value.errors["items"]
    assert "Guard training: progress must be a whole number from 0 to 100." in message
    assert "Community radio" in message and "100%" in message
    assert _items_frame(plan_id).equals(frame) and len(audit("work_plan_item")) == audits

    edited = frame.copy()
    edited.loc[guard, ["status", "progress"]] = ["done", 100]
    assert plan_writes.save_items(actor("coord1"), edited) == 1
    row = _items_frame(plan_id).loc[guard]
    assert (row["status"], row["progress"], row["version"]) == ("done", 100, 2)
    entry = audit("work_plan_item", int(row["id"]))[-1]
    assert (json.loads(entry.before)["progress"], json.loads(entry.after)["progress"]) == (20, 100)
    other = _items_frame(plan_id)
    other.loc[radio, "progress"] = 30
    with pytest.raises(PermissionDenied):
        plan_writes.save_items(actor("coord2"), other)
    assert _items_frame(plan_id).loc[radio, "progress"] == 20


# --------------------------------------------------------------------------- record held with attendance


@pytest.fixture
def past_activity(world):
    return activity_writes.schedule_activity(SYSTEM, {
        "group_id": world.group_a, "kind": "plenary", "title": "November plenary",
        "starts_at": datetime(2026, 11, 20, 9), "ends_at": datetime(2026, 11, 20, 12)})


def _held_page(tmp_path, activity_id: int):
    at = forms(tmp_path, "components.forms_activities", "coord1")
    at.segmented_control(key="fa_mode").set_value("Update an activity").run()
    at.selectbox(key="fa_activity").set_value(activity_id).run()
    assert not at.exception, at.exception
    return at


def test_record_held_through_the_form_with_the_default_sheet(world, tmp_path, past_activity):
    at = _held_page(tmp_path, past_activity)
    k = f"fa_held_{past_activity}"
    click(at, "Save as held")
    assert "outcomes" in errors(at).lower()
    assert get(Activity, past_activity).status == "scheduled"
    at.text_area(key=f"{k}_summary").input("Quarterly plenary at the district hall.")
    at.text_area(key=f"{k}_outcomes").input("Agreed a joint site visit.")
    click(at, "Save as held")
    assert "Activity recorded as held." in successes(at), errors(at)
    stored = get(Activity, past_activity)
    assert (stored.status, stored.outcomes, stored.version) == ("held", "Agreed a joint site visit.", 2)
    with session_scope() as s:
        rows = s.exec(select(Attendance).where(Attendance.activity_id == past_activity)).all()
    # the default sheet: every member on the day invited, none marked attended
    assert sorted(r.org_id for r in rows) == sorted([world.gov, world.company, world.ngo, world.community])
    assert all(r.invited and not r.attended and r.participants == 0 for r in rows)
    assert [e.action for e in audit("activity", past_activity)] == ["create", "update"]
    assert json.loads(audit("attendance", past_activity)[-1].after)["rows"][0]["activity_id"] == past_activity


def test_attendance_sheet_edits_saved_and_refused(world, past_activity):
    coord = actor("coord1")
    sheet = activity_reads.attendance_sheet(coord, past_activity)
    edited = sheet.copy()
    ngo = edited.index[edited["org_id"] == world.ngo][0]
    gov = edited.index[edited["org_id"] == world.gov][0]
    edited.loc[ngo, ["attended", "participants", "women"]] = [True, 3, 5]
    edited.loc[gov, ["attended", "participants"]] = [True, -2]
    with pytest.raises(ValidationFailed) as refused:
        activity_writes.record_held(coord, past_activity, 1, summary="", outcomes="Agreed", attendance=edited)
    message = refused.value.errors["attendance"]
    assert "Rights Watch Ghana: the number of women cannot be more than the participants" in message
    assert "Ministry of Lands: participants and women must be whole numbers of 0 or more." in message
    assert get(Activity, past_activity).status == "scheduled"  # nothing half-written
    assert count(Attendance) == 10 and audit("attendance") == []

    edited.loc[ngo, ["participants", "women"]] = [6, 4]
    edited.loc[gov, ["participants", "women"]] = [2, 0]
    activity_writes.record_held(coord, past_activity, 1, summary="", outcomes="Agreed", attendance=edited)
    with session_scope() as s:
        stored = {r.org_id: (r.attended, r.participants, r.women)
                  for r in s.exec(select(Attendance).where(Attendance.activity_id == past_activity))}
    assert stored[world.ngo] == (True, 6, 4) and stored[world.gov] == (True, 2, 0)
    assert stored[world.company] == (False, 0, 0)
    entry = audit("attendance", past_activity)[-1]
    assert json.loads(entry.before) == {"rows": []} and len(json.loads(entry.after)["rows"]) == 4
    with pytest.raises(PermissionDenied):
        activity_writes.save_attendance(actor("coord2"), past_activity, edited)
