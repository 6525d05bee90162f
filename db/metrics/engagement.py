"""Engagement metrics: meetings, attendance, stakeholder balance, work plans, commitments and
promise-keeping. Each function's docstring is its definition; all aggregate in SQL.

Every function takes the acting user (or nothing: these are aggregates any role may see) and
the same filters: `group_ids`, `countries` and `period` (db.periods.Period; None means all
time). A figure with no data is None, never 0. Definitions follow shared/domain.md."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, Attendance, Commitment, Organisation, WorkingGroup, WorkPlan, WorkPlanItem
from db.periods import Period, quarter_of, today
from db.permissions import Actor
from db.reads.common import pillar_of
from db.reads.scope import during, in_groups
from db.vocab import (
    CORE_PILLARS,
    MEETING_KINDS,
    ActivityStatus,
    CommitmentStatus,
    Pillar,
    Proposal,
    WorkItemStatus,
)

MEETINGS = [k.value for k in MEETING_KINDS]
HELD = ActivityStatus.held.value


# --------------------------------------------------------------------------- filters


def _held_in(period: Period | None, *, meetings_only: bool):
    """WHERE clauses for held activities (optionally only meetings) starting in the period."""
    clauses = [Activity.status == HELD]
    if meetings_only:
        clauses.append(Activity.kind.in_(MEETINGS))
    if period is not None:
        clauses += during(Activity.starts_at, period)
    return clauses


def _ratio(numerator, denominator) -> float | None:
    numerator, denominator = numerator or 0, denominator or 0
    return None if not denominator else numerator / denominator


def _ratios(numerators, denominators) -> list:
    """Row-wise ratios as an object column, so a row with no data holds None (not NaN)."""
    return pd.Series([_ratio(n, d) for n, d in zip(numerators, denominators)], dtype=object)


def _frame(session, query, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.execute(query)], columns=columns)


def _rates_by_group(query, whole: str, part: str) -> pd.DataFrame:
    """The query's rows (group id, whole, part) with rate = part / whole."""
    with session_scope() as s:
        frame = _frame(s, query, ["group_id", whole, part])
    frame["rate"] = _ratios(frame[part], frame[whole]).values
    return frame


# --------------------------------------------------------------------------- meetings


def meetings_held(actor: Actor | None = None, *, group_ids=None, countries=None,
                  period: Period | None = None) -> int:
    """Held activities of a meeting kind (plenary, steering committee, community dialogue)
    that started in the period."""
    query = select(sa.func.count(Activity.id)).where(
        *_held_in(period, meetings_only=True), *in_groups(Activity.group_id, group_ids, countries))
    with session_scope() as s:
        return int(s.execute(query).scalar() or 0)


def meeting_cadence(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None) -> pd.DataFrame:
    """Meetings held per group per calendar quarter (columns group_id, group, quarter, meetings;
    quarters without meetings are absent)."""
    year = sa.extract("year", Activity.starts_at)
    month = sa.extract("month", Activity.starts_at)
    query = (select(Activity.group_id, WorkingGroup.name, year, month, sa.func.count(Activity.id))
             .join(WorkingGroup, WorkingGroup.id == Activity.group_id)
             .where(*_held_in(period, meetings_only=True), *in_groups(Activity.group_id, group_ids, countries))
             .group_by(Activity.group_id, WorkingGroup.name, year, month))
    with session_scope() as s:
        monthly = _frame(s, query, ["group_id", "group", "year", "month", "meetings"])
    if monthly.empty:
        return pd.DataFrame(columns=["group_id", "group", "quarter", "meetings"])
    monthly["quarter"] = [quarter_of(date(int(y), int(m), 1)) for y, m in zip(monthly["year"], monthly["month"])]
    return (monthly.groupby(["group_id", "group", "quarter"], as_index=False)["meetings"].sum()
            .sort_values(["group", "quarter"]).reset_index(drop=True))


# --------------------------------------------------------------------------- attendance


def attendance_counts(actor: Actor | None = None, *, group_ids=None, countries=None,
                      period: Period | None = None) -> pd.DataFrame:
    """Per group: organisation seats invited to held meetings in the period (the members at
    that date, per the attendance rows) and how many of them attended."""
    attended = sa.func.sum(sa.case((Attendance.attended, 1), else_=0))
    query = (select(Activity.group_id, sa.func.count(Attendance.id), attended)
             .join(Attendance, Attendance.activity_id == Activity.id)
             .where(Attendance.invited, *_held_in(period, meetings_only=True),
                    *in_groups(Activity.group_id, group_ids, countries))
             .group_by(Activity.group_id))
    return _rates_by_group(query, "invited", "attended")


def attendance_rate(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None) -> float | None:
    """Organisations attending held meetings divided by the member organisations invited to
    them at that date (attendance rows with invited set), over the period."""
    attended = sa.func.sum(sa.case((Attendance.attended, 1), else_=0))
    query = (select(sa.func.count(Attendance.id), attended)
             .join(Activity, Attendance.activity_id == Activity.id)
             .where(Attendance.invited, *_held_in(period, meetings_only=True),
                    *in_groups(Activity.group_id, group_ids, countries)))
    with session_scope() as s:
        invited, came = s.execute(query).one()
    return _ratio(came, invited)


# --------------------------------------------------------------------------- balance


def _participation(period, group_ids, countries):
    pillar = pillar_of(Organisation.kind)
    return (select(pillar.label("pillar"), sa.func.sum(Attendance.participants), sa.func.sum(Attendance.women))
            .join(Activity, Attendance.activity_id == Activity.id)
            .join(Organisation, Organisation.id == Attendance.org_id)
            .where(Attendance.attended, *_held_in(period, meetings_only=False),
                   *in_groups(Activity.group_id, group_ids, countries))
            .group_by(pillar))


def pillar_balance(actor: Actor | None = None, *, group_ids=None, countries=None,
                   period: Period | None = None) -> pd.DataFrame:
    """Participants at held activities in the period by pillar of their organisation, with each
    pillar's share of all participants (columns pillar, participants, women, share; every pillar
    listed, share None when nobody took part)."""
    with session_scope() as s:
        rows = {p: (int(n or 0), int(w or 0)) for p, n, w in s.execute(_participation(period, group_ids, countries))}
    total = sum(n for n, _w in rows.values())
    frame = pd.DataFrame([(p.value, rows.get(p.value, (0, 0))[0], rows.get(p.value, (0, 0))[1]) for p in Pillar],
                         columns=["pillar", "participants", "women"])
    frame["share"] = _ratios(frame["participants"], [total] * len(frame)).values
    return frame


def community_share(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None) -> float | None:
    """Participants from community-pillar organisations divided by all participants at held
    activities in the period."""
    frame = pillar_balance(actor, group_ids=group_ids, countries=countries, period=period)
    return _ratio(int(frame.loc[frame["pillar"] == Pillar.community.value, "participants"].sum()),
                  int(frame["participants"].sum()))


def women_share(actor: Actor | None = None, *, group_ids=None, countries=None,
                period: Period | None = None) -> float | None:
    """Women among all participants at held activities in the period."""
    frame = pillar_balance(actor, group_ids=group_ids, countries=countries, period=period)
    return _ratio(int(frame["women"].sum()), int(frame["participants"].sum()))


def all_pillars_present_share(actor: Actor | None = None, *, group_ids=None, countries=None,
                              period: Period | None = None) -> float | None:
    """Share of held meetings in the period at which at least one organisation of each of the
    state, company, civil society and community pillars attended."""
    core = [p.value for p in CORE_PILLARS]
    pillar = pillar_of(Organisation.kind)
    present = sa.func.count(sa.distinct(sa.case(
        (sa.and_(Attendance.attended, pillar.in_(core)), pillar), else_=None)))
    per_meeting = (select(Activity.id.label("activity_id"), present.label("pillars"))
                   .select_from(Activity)
                   .outerjoin(Attendance, Attendance.activity_id == Activity.id)
                   .outerjoin(Organisation, Organisation.id == Attendance.org_id)
                   .where(*_held_in(period, meetings_only=True), *in_groups(Activity.group_id, group_ids, countries))
                   .group_by(Activity.id)).subquery()
    query = select(sa.func.count(), sa.func.sum(sa.case((per_meeting.c.pillars == len(core), 1), else_=0)))
    with session_scope() as s:
        meetings, balanced = s.execute(query.select_from(per_meeting)).one()
    return _ratio(balanced, meetings)


# --------------------------------------------------------------------------- work plans


def work_plan_progress(actor: Actor | None = None, *, group_ids=None, countries=None,
                       period: Period | None = None, as_of: date | None = None,
                       plan_ids=None) -> pd.DataFrame:
    """Per group, over adopted items of work plans overlapping the period (or of `plan_ids`):
    items (cancelled excluded), done, delayed (status delayed), overdue (due before the as-of
    date and not done), and share_done = done / items (None without items)."""
    as_of = as_of or today()
    status = WorkPlanItem.status
    live = status != WorkItemStatus.cancelled.value
    count_if = lambda condition: sa.func.sum(sa.case((condition, 1), else_=0))  # noqa: E731
    query = (select(WorkPlan.group_id,
                    count_if(live), count_if(status == WorkItemStatus.done.value),
                    count_if(status == WorkItemStatus.delayed.value),
                    count_if(sa.and_(live, status != WorkItemStatus.done.value,
                                     WorkPlanItem.due_on.is_not(None), WorkPlanItem.due_on < as_of)))
             .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
             .where(WorkPlanItem.proposal == Proposal.adopted.value,
                    *in_groups(WorkPlan.group_id, group_ids, countries))
             .group_by(WorkPlan.group_id))
    if period is not None:
        query = query.where(WorkPlan.period_start <= period.end, WorkPlan.period_end >= period.start)
    if plan_ids is not None:
        query = query.where(WorkPlan.id.in_(list(plan_ids)))
    with session_scope() as s:
        frame = _frame(s, query, ["group_id", "items", "done", "delayed", "overdue"])
    for column in ("items", "done", "delayed", "overdue"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["share_done"] = _ratios(frame["done"], frame["items"]).values
    return frame


# --------------------------------------------------------------------------- commitments


def _due_in(period: Period | None, as_of: date):
    """Commitments whose due date fell in the period (up to the as-of date); dropped ones and
    those without a due date are not counted."""
    end = min(period.end, as_of) if period else as_of
    clauses = [Commitment.due_on.is_not(None), Commitment.due_on <= end,
               Commitment.status != CommitmentStatus.dropped.value]
    if period is not None:
        clauses.append(Commitment.due_on >= period.start)
    return clauses


def _kept_on_time():
    return sa.and_(Commitment.status == CommitmentStatus.done.value, Commitment.done_on.is_not(None),
                   Commitment.done_on <= Commitment.due_on)


def follow_through_counts(actor: Actor | None = None, *, group_ids=None, countries=None,
                          period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Per group: commitments due in the period (dropped and undated excluded), those done by
    their due date, and rate = done on time / due."""
    as_of = as_of or today()
    on_time = sa.func.sum(sa.case((_kept_on_time(), 1), else_=0))
    query = (select(Commitment.group_id, sa.func.count(Commitment.id), on_time)
             .where(*_due_in(period, as_of), *in_groups(Commitment.group_id, group_ids, countries))
             .group_by(Commitment.group_id))
    return _rates_by_group(query, "due", "done_on_time")


def commitment_follow_through(actor: Actor | None = None, *, group_ids=None, countries=None,
                              period: Period | None = None, as_of: date | None = None) -> float | None:
    """Commitments done by their due date divided by commitments whose due date fell in the
    period (up to the as-of date); dropped ones excluded, those without a due date not counted."""
    as_of = as_of or today()
    on_time = sa.func.sum(sa.case((_kept_on_time(), 1), else_=0))
    query = select(sa.func.count(Commitment.id), on_time).where(
        *_due_in(period, as_of), *in_groups(Commitment.group_id, group_ids, countries))
    with session_scope() as s:
        due, done = s.execute(query).one()
    return _ratio(done, due)


def _verifier_pillar_differs(verifier_kind, owner_kind):
    """SQL: the verifier's pillar is not the owner's (db/vocab.PILLAR_OF_KIND)."""
    return pillar_of(verifier_kind) != pillar_of(owner_kind)


def promise_keeping(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None, org_ids=None,
                    as_of: date | None = None) -> pd.DataFrame:
    """Promise-keeping index per owner organisation: commitments done and verified by an
    organisation of another pillar, divided by commitments due in the period (dropped and
    undated excluded). Columns org_id, organisation, pillar, due, kept, index."""
    as_of = as_of or today()
    owner = sa.orm.aliased(Organisation)
    verifier = sa.orm.aliased(Organisation)
    kept = sa.func.sum(sa.case((sa.and_(Commitment.status == CommitmentStatus.done.value,
                                        verifier.id.is_not(None),
                                        _verifier_pillar_differs(verifier.kind, owner.kind)), 1), else_=0))
    query = (select(owner.id, owner.name, pillar_of(owner.kind), sa.func.count(Commitment.id), kept)
             .select_from(Commitment)
             .join(owner, owner.id == Commitment.owner_org_id)
             .outerjoin(verifier, verifier.id == Commitment.verified_by_org_id)
             .where(*_due_in(period, as_of), *in_groups(Commitment.group_id, group_ids, countries))
             .group_by(owner.id, owner.name, owner.kind))
    if org_ids:
        query = query.where(Commitment.owner_org_id.in_(list(org_ids)))
    with session_scope() as s:
        frame = _frame(s, query, ["org_id", "organisation", "pillar", "due", "kept"])
    frame["index"] = _ratios(frame["kept"], frame["due"]).values
    return frame.sort_values(["index", "due"], ascending=[True, False], na_position="last").reset_index(drop=True)


# --------------------------------------------------------------------------- organisations


def organisation_engagement(actor: Actor | None = None, *, org_ids=None, group_ids=None,
                            countries=None, period: Period | None = None,
                            as_of: date | None = None) -> pd.DataFrame:
    """Per organisation: held meetings it was invited to and attended in the period, commitments
    it owns (due in the period), those done on time and those kept (verified by another pillar).
    Columns org_id, invited, attended, attendance_rate, commitments_due, done_on_time, kept,
    follow_through, promise_keeping."""
    as_of = as_of or today()
    attended = sa.func.sum(sa.case((Attendance.attended, 1), else_=0))
    meetings = (select(Attendance.org_id, sa.func.count(Attendance.id), attended)
                .join(Activity, Attendance.activity_id == Activity.id)
                .where(Attendance.invited, *_held_in(period, meetings_only=True),
                       *in_groups(Activity.group_id, group_ids, countries))
                .group_by(Attendance.org_id))
    owner = sa.orm.aliased(Organisation)
    verifier = sa.orm.aliased(Organisation)
    kept = sa.func.sum(sa.case((sa.and_(Commitment.status == CommitmentStatus.done.value,
                                        verifier.id.is_not(None),
                                        _verifier_pillar_differs(verifier.kind, owner.kind)), 1), else_=0))
    promises = (select(Commitment.owner_org_id, sa.func.count(Commitment.id),
                       sa.func.sum(sa.case((_kept_on_time(), 1), else_=0)), kept)
                .select_from(Commitment)
                .join(owner, owner.id == Commitment.owner_org_id)
                .outerjoin(verifier, verifier.id == Commitment.verified_by_org_id)
                .where(*_due_in(period, as_of), *in_groups(Commitment.group_id, group_ids, countries))
                .group_by(Commitment.owner_org_id))
    if org_ids:
        meetings = meetings.where(Attendance.org_id.in_(list(org_ids)))
        promises = promises.where(Commitment.owner_org_id.in_(list(org_ids)))
    with session_scope() as s:
        seats = _frame(s, meetings, ["org_id", "invited", "attended"])
        owned = _frame(s, promises, ["org_id", "commitments_due", "done_on_time", "kept"])
    frame = seats.merge(owned, on="org_id", how="outer")
    for column in ("invited", "attended", "commitments_due", "done_on_time", "kept"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["attendance_rate"] = _ratios(frame["attended"], frame["invited"]).values
    frame["follow_through"] = _ratios(frame["done_on_time"], frame["commitments_due"]).values
    frame["promise_keeping"] = _ratios(frame["kept"], frame["commitments_due"]).values
    return frame[["org_id", "invited", "attended", "attendance_rate", "commitments_due",
                  "done_on_time", "kept", "follow_through", "promise_keeping"]]

