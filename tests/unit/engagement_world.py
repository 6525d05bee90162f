"""A small hand-made world for the engagement metrics (figures worked out by hand in
tests/unit/test_engagement_metrics.py). Inserted directly: the metrics, not the writes, are
under test, and one row (a same-pillar verification) is something the writes refuse."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from db.engine import session_scope
from db.models import Activity, Attendance, Commitment, Membership, Organisation, WorkingGroup, WorkPlan, WorkPlanItem


@dataclass
class EngagementWorld:
    group_a: int
    group_b: int
    gov: int
    company: int
    guards: int
    ngo: int
    community: int


def _add(s, record):
    s.add(record)
    s.flush()
    return record.id


def build() -> EngagementWorld:
    with session_scope() as s:
        a = _add(s, WorkingGroup(name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
                                 lead="joint", status="active", timezone="Africa/Accra"))
        b = _add(s, WorkingGroup(name="Lima Group", country="PE", level="national", focus="security_human_rights",
                                 lead="government", status="active", timezone="America/Lima"))
        gov = _add(s, Organisation(name="Ministry of Lands", kind="government", country="GH"))
        company = _add(s, Organisation(name="Goldridge Mining", kind="company", country="GH"))
        guards = _add(s, Organisation(name="Shield Guards", kind="private_security", country="GH"))
        ngo = _add(s, Organisation(name="Rights Watch Ghana", kind="civil_society", country="GH"))
        community = _add(s, Organisation(name="Obuasi Youth Association", kind="community_group", country="GH"))
        for org in (gov, company, ngo, community):
            s.add(Membership(group_id=a, org_id=org, role="member", since=date(2025, 1, 1)))
        s.add(Membership(group_id=b, org_id=ngo, role="member", since=date(2025, 1, 1)))

        def activity(group, kind, status, start, **kw):
            return _add(s, Activity(group_id=group, kind=kind, status=status, title=f"{kind} {start:%Y-%m-%d}",
                                    starts_at=start, ends_at=start.replace(hour=start.hour + 3), **kw))

        def seat(activity_id, org, attended, participants=0, women=0):
            s.add(Attendance(activity_id=activity_id, org_id=org, invited=True, attended=attended,
                             participants=participants, women=women))

        a1 = activity(a, "plenary", "held", datetime(2026, 2, 10, 9, tzinfo=timezone.utc))
        for org, participants, women in ((gov, 3, 1), (company, 2, 0), (ngo, 4, 2), (community, 5, 3)):
            seat(a1, org, True, participants, women)
        a2 = activity(a, "steering_committee", "held", datetime(2026, 5, 5, 9, tzinfo=timezone.utc))
        for org, attended, participants, women in ((gov, True, 2, 1), (company, False, 0, 0), (ngo, True, 1, 1),
                                                   (community, False, 0, 0)):
            seat(a2, org, attended, participants, women)
        a3 = activity(a, "workshop", "held", datetime(2026, 5, 20, 9, tzinfo=timezone.utc))
        seat(a3, company, True, 10, 5)
        activity(a, "plenary", "scheduled", datetime(2026, 12, 10, 9, tzinfo=timezone.utc))
        activity(a, "plenary", "cancelled", datetime(2026, 3, 1, 9, tzinfo=timezone.utc))
        b1 = activity(b, "plenary", "held", datetime(2025, 11, 1, 9, tzinfo=timezone.utc))
        seat(b1, ngo, True, 2, 2)

        plan = _add(s, WorkPlan(group_id=a, title="Plan 2026", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)))
        for title, status, due, proposal in (("Baseline study", "done", date(2026, 3, 1), "adopted"),
                                             ("Guard training", "in_progress", date(2026, 6, 30), "adopted"),
                                             ("Community radio", "delayed", date(2026, 12, 15), "adopted"),
                                             ("Old idea", "cancelled", date(2026, 2, 1), "adopted"),
                                             ("HQ idea", "planned", date(2026, 1, 15), "proposed")):
            s.add(WorkPlanItem(work_plan_id=plan, title=title, kind="research", status=status, due_on=due,
                               progress=100 if status == "done" else 20, proposal=proposal))

        def promise(owner, due, status, done_on=None, verifier=None):
            s.add(Commitment(group_id=a, activity_id=a1, owner_org_id=owner, description="A promise", due_on=due,
                             status=status, done_on=done_on, verified_by_org_id=verifier,
                             verified_on=done_on if verifier else None))

        promise(company, date(2026, 3, 1), "done", date(2026, 2, 20), ngo)       # c1 on time, kept
        promise(company, date(2026, 4, 1), "done", date(2026, 4, 15), guards)    # c2 late; same pillar
        promise(gov, date(2026, 5, 1), "dropped")                                # c3 excluded
        promise(gov, date(2026, 6, 1), "open")                                   # c4 due, not done
        promise(ngo, None, "done", date(2026, 6, 1))                             # c5 no due date
        promise(ngo, date(2027, 1, 10), "open")                                  # c6 not yet due
        promise(gov, date(2026, 7, 1), "done", date(2026, 6, 30))                # c7 on time, unverified
        promise(gov, date(2026, 8, 3), "done", date(2026, 8, 3))                 # c8 done on its due date: on time
    return EngagementWorld(a, b, gov, company, guards, ngo, community)
