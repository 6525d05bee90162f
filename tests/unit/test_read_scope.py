"""Every read of funding, commitments, activities, groups and work plans checks the role
(db/permissions), as the navigation table of the domain guide says: viewers read the groups and
activities dashboards and the public transparency view, never commitments, funding ledgers,
form options or proposals. Each read is called on the demo data by a viewer (refused, or the
documented aggregate) and by a role that may use it (rows come back)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd
import pytest
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.metrics import funding as funding_metrics
from db.models import Activity, Attendance, Fund, Membership, WorkPlan, WorkPlanItem
from db.reads import activities, commitments, funding, groups, workplans
from db.users import load_actor
from db.vocab import Proposal


@dataclass(frozen=True)
class Ids:
    group: int      # a group of the demo coordinator with funds, members and a work plan
    fund: int
    activity: int   # a held activity with attendance
    plan: int


def demo_ids() -> Ids:
    coordinator = load_actor("coordinator")
    own = tuple(coordinator.group_ids)
    with session_scope() as s:
        group = s.execute(select(WorkPlan.group_id).where(WorkPlan.group_id.in_(own),
                                                          WorkPlan.group_id.in_(select(Fund.group_id)),
                                                          WorkPlan.group_id.in_(select(Membership.group_id)))
                          .order_by(WorkPlan.group_id)).scalars().first()
        fund = s.execute(select(Fund.id).where(Fund.group_id == group).order_by(Fund.id)).scalars().first()
        activity = s.execute(select(Activity.id).join(Attendance, Attendance.activity_id == Activity.id)
                             .where(Activity.group_id == group, Activity.status == "held")
                             .order_by(Activity.id)).scalars().first()
        plan = s.execute(select(WorkPlan.id).join(WorkPlanItem, WorkPlanItem.work_plan_id == WorkPlan.id)
                         .where(WorkPlan.group_id == group).order_by(WorkPlan.id)).scalars().first()
        # A proposal waiting for the coordinator, so pending_proposals has a row to return.
        item = s.execute(select(WorkPlanItem).where(WorkPlanItem.work_plan_id == plan)
                         .order_by(WorkPlanItem.id)).scalars().first()
        item.proposal = Proposal.proposed.value
    assert None not in (group, fund, activity, plan)
    return Ids(group, fund, activity, plan)


DENIED, ROWS = "denied", "rows"

# name, the call, who may use it, what a viewer gets
READS: list[tuple[str, Callable[[Any, Ids], Any], str, str]] = [
    # funding ledgers, funds and forms: staff roles only
    ("funding.contributions", lambda a, i: funding.contributions(a), "hq", DENIED),
    ("funding.contributions_shown", lambda a, i: funding.contributions_shown(a), "hq", DENIED),
    ("funding.disbursements", lambda a, i: funding.disbursements(a), "hq", DENIED),
    ("funding.disbursements_shown", lambda a, i: funding.disbursements_shown(a), "hq", DENIED),
    ("funding.funds", lambda a, i: funding.funds(a), "hq", DENIED),
    ("funding.retirable_contributions", lambda a, i: funding.retirable_contributions(a), "hq", DENIED),
    ("funding.retirable_disbursements", lambda a, i: funding.retirable_disbursements(a), "coordinator", DENIED),
    ("funding.fund_detail", lambda a, i: funding.fund_detail(a, i.fund), "hq", DENIED),
    ("metrics.funding.summary", lambda a, i: funding_metrics.summary(a), "hq", DENIED),
    ("funding.fund_options", lambda a, i: funding.fund_options(a), "coordinator", DENIED),
    ("funding.contributor_options", lambda a, i: funding.contributor_options(a), "hq", DENIED),
    ("funding.exchange_rates", lambda a, i: funding.exchange_rates(a), "coordinator", DENIED),
    # the public transparency view: published entries, for every role
    ("funding.public_summary", lambda a, i: funding.public_summary(a), "viewer", ROWS),
    ("funding.public_contributions", lambda a, i: funding.public_contributions(a), "viewer", ROWS),
    ("funding.public_disbursements", lambda a, i: funding.public_disbursements(a), "viewer", ROWS),
    ("funding.contributions published_only", lambda a, i: funding.contributions(a, published_only=True),
     "viewer", ROWS),
    # commitments: the register is staff only; the counts feed the group dashboard
    ("commitments.register", lambda a, i: commitments.register(a), "hq", DENIED),
    ("commitments.owners", lambda a, i: commitments.owners(a), "hq", DENIED),
    ("commitments.status_counts", lambda a, i: commitments.status_counts(a, group_ids=(i.group,)), "hq", ROWS),
    # activities and calendar: a dashboard for every role; the form pickers for data entry
    ("activities.calendar", lambda a, i: activities.calendar(a), "hq", ROWS),
    ("activities.calendar_by_day", lambda a, i: activities.calendar_by_day(a), "hq", ROWS),
    ("activities.activity", lambda a, i: activities.activity(a, i.activity), "hq", ROWS),
    ("activities.attendance", lambda a, i: activities.attendance(a, i.activity), "hq", ROWS),
    ("activities.attendance_by_pillar", lambda a, i: activities.attendance_by_pillar(a, i.activity), "hq", ROWS),
    ("activities.outcomes_of", lambda a, i: activities.outcomes_of(a, (i.activity,)), "hq", ROWS),
    ("activities.attendance_sheet", lambda a, i: activities.attendance_sheet(a, i.activity), "coordinator", DENIED),
    ("activities.activity_options", lambda a, i: activities.activity_options(a, (i.group,)), "coordinator", DENIED),
    # working groups: a dashboard for every role
    ("groups.directory", lambda a, i: groups.directory(a), "hq", ROWS),
    ("groups.group_sites", lambda a, i: groups.group_sites(a, (i.group,)), "hq", ROWS),
    ("groups.profile", lambda a, i: groups.profile(a, i.group), "hq", ROWS),
    ("groups.members", lambda a, i: groups.members(a, i.group), "hq", ROWS),
    ("groups.members_by_pillar", lambda a, i: groups.members_by_pillar(a, i.group), "hq", ROWS),
    # work plans: shown on the group page; proposals only to whoever decides them
    ("workplans.plans", lambda a, i: workplans.plans(a, [i.group]), "hq", ROWS),
    ("workplans.current_plan", lambda a, i: workplans.current_plan(a, i.group), "hq", ROWS),
    ("workplans.items", lambda a, i: workplans.items(a, i.plan), "hq", ROWS),
    ("workplans.pending_proposals", lambda a, i: workplans.pending_proposals(a, [i.group]), "coordinator", DENIED),
]


def has_rows(result: Any) -> bool:
    """Whether a read's result holds data, whatever its shape."""
    if isinstance(result, tuple):
        result = result[0]
    if isinstance(result, pd.DataFrame):
        return not result.empty
    if isinstance(result, dict):
        return bool(result) and any(v for v in result.values())
    if isinstance(result, int):
        return result > 0
    return result is not None


@pytest.fixture
def ids(demo_db) -> Ids:
    return demo_ids()


@pytest.mark.parametrize(("name", "call", "allowed", "viewer_gets"), READS, ids=[r[0] for r in READS])
def test_read_checks_the_role(ids, name, call, allowed, viewer_gets):
    viewer = load_actor("viewer")
    if viewer_gets == DENIED:
        with pytest.raises(PermissionDenied):
            call(viewer, ids)
    else:
        assert has_rows(call(viewer, ids)), name
    assert has_rows(call(load_actor(allowed), ids)), name
    assert has_rows(call(load_actor("admin"), ids)), name


def test_viewer_reads_no_personal_names_in_public_disbursements(ids):
    frame = funding.disbursements(load_actor("viewer"), published_only=True)
    assert not frame.empty and set(frame["approved_by_name"]) == {""}


def test_a_read_refuses_an_actor_of_no_known_role(ids):
    with pytest.raises(PermissionDenied):
        commitments.register(None)
    with pytest.raises(PermissionDenied):
        groups.directory(None)
