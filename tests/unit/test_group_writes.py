"""Writes for groups, memberships, work plans, attendance and commitments: permissions per
role and group, audit entries, validation messages."""
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import ConflictError, PermissionDenied, ValidationFailed
from db.models import (
    Activity,
    Attendance,
    AuditEntry,
    Commitment,
    Membership,
    MembershipUpdate,
    WorkingGroup,
    WorkingGroupUpdate,
    WorkPlanItem,
)
from db.users import load_actor
from db.writes import activities as aw
from db.writes import commitments as cw
from db.writes import groups as gw
from db.writes import workplans as pw
from tests.app.groups_fixtures import build_with_users


@pytest.fixture
def world(empty_db):
    return build_with_users()


def _audits(table: str) -> int:
    with session_scope() as s:
        return s.execute(select(sa.func.count(AuditEntry.id)).where(AuditEntry.table_name == table)).scalar()


GROUP = {"name": "Kivu Working Group", "country": "CD", "level": "provincial", "focus": "security_human_rights",
         "status": "active", "lead": "civil_society", "timezone": "Africa/Lubumbashi", "initiatives": ["vpshr", "eiti"],
         "site_ids": []}


def test_admin_creates_group_with_initiatives_and_audit(world):
    group_id = gw.create_group(load_actor("admin1"), GROUP)
    from db.reads.groups import profile

    assert profile(load_actor("admin1"), group_id).initiatives == ["eiti", "vpshr"]
    assert _audits("working_group") == 1


@pytest.mark.parametrize("username", ["coord1", "hq1", "viewer1"])
def test_only_admins_create_groups(world, username):
    with pytest.raises(PermissionDenied):
        gw.create_group(load_actor(username), GROUP)


def test_coordinator_edits_own_group_not_another(world):
    coord = load_actor("coord1")
    gw.update_group(coord, world.group_a, 1, WorkingGroupUpdate(**{**GROUP, "name": "Ashanti Regional Group", "country": "GH"}))
    with session_scope() as s:
        assert s.get(WorkingGroup, world.group_a).name == "Ashanti Regional Group"
    with pytest.raises(PermissionDenied):
        gw.update_group(coord, world.group_b, 1, WorkingGroupUpdate(**{**GROUP, "name": "Lima Renamed", "country": "PE"}))
    with pytest.raises(ConflictError):  # stale version
        gw.update_group(coord, world.group_a, 1, WorkingGroupUpdate(**{**GROUP, "name": "Again", "country": "GH"}))


def test_group_validation_messages(world):
    with pytest.raises(ValidationFailed) as refused:
        gw.create_group(load_actor("admin1"), {**GROUP, "timezone": "Mars/Olympus"})
    assert "time zone" in refused.value.errors["timezone"]
    with pytest.raises(ValidationFailed) as refused:
        gw.create_group(load_actor("admin1"), {**GROUP, "name": ""})
    assert "name" in refused.value.errors


def test_membership_add_end_never_delete(world):
    coord = load_actor("coord1")
    with pytest.raises(ValidationFailed) as refused:  # already a current member
        gw.add_membership(coord, {"group_id": world.group_a, "org_id": world.gov, "role": "member", "since": date(2026, 1, 1)})
    assert "already a member" in refused.value.errors["org_id"]
    new = gw.add_membership(coord, {"group_id": world.group_a, "org_id": world.guards, "role": "observer",
                                    "since": date(2026, 1, 1)})
    with pytest.raises(ValidationFailed) as refused:
        gw.change_membership(coord, new, 1, MembershipUpdate(until=date(2025, 12, 1)))
    assert "until" in refused.value.errors
    gw.change_membership(coord, new, 1, MembershipUpdate(until=date(2026, 6, 30)))
    with session_scope() as s:
        assert s.get(Membership, new).until == date(2026, 6, 30)
    assert _audits("membership") == 2
    with pytest.raises(PermissionDenied):
        gw.add_membership(coord, {"group_id": world.group_b, "org_id": world.gov, "role": "member", "since": date(2026, 1, 1)})
    with pytest.raises(PermissionDenied):
        gw.add_membership(load_actor("viewer1"), {"group_id": world.group_a, "org_id": world.guards, "role": "member",
                                                  "since": date(2026, 1, 1)})


def _items():
    with session_scope() as s:
        return pd.DataFrame([{"id": i.id, "version": i.version, "title": i.title, "status": i.status, "progress": i.progress}
                             for i in s.exec(select(WorkPlanItem).where(WorkPlanItem.proposal == "adopted").order_by(WorkPlanItem.id))])


def test_save_items_from_the_edited_table(world):
    edited = _items()
    edited.loc[1, ["status", "progress"]] = ["done", 100]
    assert pw.save_items(load_actor("coord1"), edited) == 1
    assert _items().loc[1, "status"] == "done"
    assert _audits("work_plan_item") == 1


def test_save_items_refuses_bad_rows_and_writes_nothing(world):
    edited = _items()
    edited.loc[1, "progress"] = 140
    edited.loc[2, ["status", "progress"]] = ["done", 50]
    with pytest.raises(ValidationFailed) as refused:
        pw.save_items(load_actor("coord1"), edited)
    assert "Guard training: progress must be a whole number from 0 to 100." in refused.value.errors["items"]
    assert "Community radio: an item marked Done must be at 100% progress." in refused.value.errors["items"]
    assert _items().loc[1, "progress"] == 20
    with pytest.raises(PermissionDenied):
        changed = _items()
        changed.loc[1, "progress"] = 30
        pw.save_items(load_actor("coord2"), changed)


def test_hq_proposes_and_coordinator_decides(world):
    with session_scope() as s:
        plan_id = s.exec(select(WorkPlanItem.work_plan_id)).first()
    hq = load_actor("hq1")
    item = pw.propose_item(hq, {"work_plan_id": plan_id, "title": "Grievance hotline", "kind": "tool"})
    with pytest.raises(PermissionDenied):
        pw.decide_proposal(hq, item, 1, adopt=True)
    with pytest.raises(PermissionDenied):
        pw.decide_proposal(load_actor("coord2"), item, 1, adopt=True)
    pw.decide_proposal(load_actor("coord1"), item, 1, adopt=True)
    with session_scope() as s:
        assert s.get(WorkPlanItem, item).proposal == "adopted"
    with pytest.raises(ValidationFailed):
        pw.decide_proposal(load_actor("coord1"), item, 2, adopt=False)


def test_hq_cannot_propose_to_a_group_its_company_is_not_in(world):
    coord2 = load_actor("coord2")
    plan = pw.create_work_plan(coord2, {"group_id": world.group_b, "title": "Lima plan", "period_start": date(2026, 1, 1),
                                        "period_end": date(2026, 12, 31)})
    with pytest.raises(PermissionDenied):
        pw.propose_item(load_actor("hq1"), {"work_plan_id": plan, "title": "Not ours", "kind": "tool"})


def _scheduled(world) -> tuple[int, int]:
    with session_scope() as s:
        row = s.exec(select(Activity).where(Activity.status == "scheduled")).first()
        return row.id, row.version


def test_schedule_in_local_time_and_refuse_end_before_start(world):
    coord = load_actor("coord2")
    new = aw.schedule_activity(coord, {"group_id": world.group_b, "kind": "plenary", "title": "Lima plenary",
                                       "starts_at": datetime(2027, 1, 12, 9), "ends_at": datetime(2027, 1, 12, 12)})
    with session_scope() as s:
        assert s.get(Activity, new).starts_at.hour == 14  # 09:00 in Lima is 14:00 UTC
    with pytest.raises(ValidationFailed) as refused:
        aw.schedule_activity(coord, {"group_id": world.group_b, "kind": "plenary", "title": "Backwards",
                                     "starts_at": datetime(2027, 1, 12, 12), "ends_at": datetime(2027, 1, 12, 9)})
    assert "end must be after the start" in refused.value.errors["ends_at"]


def test_record_held_validates_attendance(world):
    coord = load_actor("coord1")
    with session_scope() as s:
        past = s.exec(select(Activity).where(Activity.status == "cancelled")).first()
        s.execute(sa.update(Activity).where(Activity.id == past.id).values(status="scheduled"))
    sheet = pd.DataFrame([{"org_id": world.gov, "organisation": "Ministry of Lands", "invited": True, "attended": True,
                           "participants": 2, "women": 3}])
    with pytest.raises(ValidationFailed) as refused:
        aw.record_held(coord, past.id, None, summary="", outcomes="Agreed a route", attendance=sheet)
    assert refused.value.errors["attendance"] == "Ministry of Lands: the number of women cannot be more than the participants"
    sheet.loc[0, "women"] = 1
    with pytest.raises(ValidationFailed) as refused:
        aw.record_held(coord, past.id, None, summary="", outcomes="  ", attendance=sheet)
    assert "outcomes" in refused.value.errors
    aw.record_held(coord, past.id, None, summary="Met", outcomes="Agreed a route", attendance=sheet)
    with session_scope() as s:
        assert s.get(Activity, past.id).status == "held"
        rows = s.exec(select(Attendance).where(Attendance.activity_id == past.id)).all()
        assert [(r.org_id, r.participants, r.women) for r in rows] == [(world.gov, 2, 1)]
    assert _audits("attendance") == 1


def test_future_activity_cannot_be_held_and_other_coordinator_refused(world):
    activity_id, version = _scheduled(world)
    sheet = pd.DataFrame(columns=["org_id", "invited", "attended", "participants", "women"])
    with pytest.raises(ValidationFailed) as refused:
        aw.record_held(load_actor("coord1"), activity_id, version, summary="", outcomes="x", attendance=sheet)
    assert "future" in refused.value.errors["status"]
    with pytest.raises(PermissionDenied):
        aw.cancel(load_actor("coord2"), activity_id, version)
    aw.cancel(load_actor("coord1"), activity_id, version)


def test_commitment_verification_needs_another_pillar(world):
    coord = load_actor("coord1")
    new = cw.add_commitment(coord, {"group_id": world.group_a, "owner_org_id": world.company,
                                    "description": "Fence the tailings pond", "due_on": date(2026, 9, 1)})
    with pytest.raises(ValidationFailed) as refused:  # not done yet
        cw.verify(coord, new, 1, world.ngo, date(2026, 9, 2))
    assert "Mark the commitment done" in refused.value.errors["verified_by_org_id"]
    cw.update_status(coord, new, 1, "done", date(2026, 8, 30))
    with pytest.raises(ValidationFailed) as refused:
        cw.verify(coord, new, 2, world.guards, date(2026, 9, 2))
    assert "another pillar" in refused.value.errors["verified_by_org_id"]
    cw.verify(coord, new, 2, world.ngo, date(2026, 9, 2))
    with session_scope() as s:
        stored = s.get(Commitment, new)
        assert (stored.verified_by_org_id, stored.status) == (world.ngo, "done")
    assert _audits("commitment") == 3
    with pytest.raises(PermissionDenied):
        cw.update_status(load_actor("coord2"), new, 3, "open")
    with pytest.raises(PermissionDenied):
        cw.add_commitment(load_actor("hq1"), {"group_id": world.group_a, "owner_org_id": world.company,
                                              "description": "HQ promise"})
