"""Reads for the Activities and calendar page: the calendar list, one activity with its
attendance, and the attendance sheet a coordinator fills in.

The calendar, an activity and its attendance (organisations, never people) are a dashboard for
every role (view_activities); the attendance sheet and the activity picker serve data entry."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import Activity, Attendance, Membership, Organisation, Site, WorkingGroup, WorkPlanItem
from db.periods import Period
from db.permissions import Action, Actor, authorize, can
from db.reads.common import pillar_of
from db.reads.scope import during, in_groups
from i18n import _


def local(moment: datetime | None, zone: str | None) -> datetime | None:
    """A stored (UTC) time as naive local time in the group's time zone, for display."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None)
    except (KeyError, ValueError):
        return moment.astimezone(timezone.utc).replace(tzinfo=None)

CALENDAR_COLUMNS = ["id", "group_id", "group", "timezone", "kind", "title", "starts_at", "ends_at", "status",
                    "site", "place", "organisations", "participants", "women"]


def _calendar_query(*, group_ids=(), countries=(), kinds=(), statuses=(), period: Period | None = None):
    """The filtered activities with their group, time zone and site (no attendance)."""
    query = (select(Activity.id, Activity.group_id, WorkingGroup.name, WorkingGroup.timezone, Activity.kind,
                    Activity.title, Activity.starts_at, Activity.ends_at, Activity.status,
                    Site.name.label("site"), Activity.place)
             .join(WorkingGroup, WorkingGroup.id == Activity.group_id)
             .outerjoin(Site, Site.id == Activity.site_id))
    query = query.where(*in_groups(Activity.group_id, group_ids, countries))
    if kinds:
        query = query.where(Activity.kind.in_(list(kinds)))
    if statuses:
        query = query.where(Activity.status.in_(list(statuses)))
    if period is not None:
        query = query.where(*during(Activity.starts_at, period))
    return query


def calendar(actor: Actor, *, group_ids=(), countries=(), kinds=(), statuses=(), period: Period | None = None,
             limit: int = 200, newest_first: bool = False) -> tuple[pd.DataFrame, int]:
    """Activities matching the filters (at most `limit`, by start) and how many match in all,
    with the turnout of each (organisations attending, participants, women)."""
    authorize(actor, Action.view_activities)
    query = _calendar_query(group_ids=group_ids, countries=countries, kinds=kinds, statuses=statuses, period=period)
    order = Activity.starts_at.desc() if newest_first else Activity.starts_at
    page = query.order_by(order, Activity.id).limit(limit).subquery()
    # Attendance summed for the listed activities only, not for every activity ever held.
    turnout = (select(Attendance.activity_id,
                      sa.func.sum(sa.case((Attendance.attended, 1), else_=0)).label("orgs"),
                      sa.func.sum(Attendance.participants).label("participants"),
                      sa.func.sum(Attendance.women).label("women"))
               .where(Attendance.activity_id.in_(select(page.c.id)))
               .group_by(Attendance.activity_id).subquery())
    page_order = page.c.starts_at.desc() if newest_first else page.c.starts_at
    rows = (select(page.c.id, page.c.group_id, page.c.name, page.c.timezone, page.c.kind, page.c.title,
                   page.c.starts_at, page.c.ends_at, page.c.status, page.c.site, page.c.place,
                   turnout.c.orgs, turnout.c.participants, turnout.c.women)
            .outerjoin(turnout, turnout.c.activity_id == page.c.id).order_by(page_order, page.c.id))
    with session_scope() as s:
        total = int(s.execute(select(sa.func.count()).select_from(query.subquery())).scalar() or 0)
        frame = pd.DataFrame([tuple(r) for r in s.execute(rows)], columns=CALENDAR_COLUMNS)
    for column in ("organisations", "participants", "women"):
        frame[column] = frame[column].astype("Int64")
    for column in ("starts_at", "ends_at"):
        frame[column] = [local(m, z) for m, z in zip(frame[column], frame["timezone"])]
    return frame, total


TIMELINE_GROUPS = 25     # the timeline shows the groups with most activities in the period
TIMELINE_MAX_POINTS = 5000  # and never hands the chart more marks than this


def calendar_by_day(actor: Actor, *, group_ids=(), countries=(), kinds=(), statuses=(),
                    period: Period | None = None) -> tuple[pd.DataFrame, int]:
    """Activities per group, day, status and kind, for the timeline at a glance (columns
    group, day, status, kind, activities), aggregated in SQL for the TIMELINE_GROUPS groups
    with most matching activities (at most TIMELINE_MAX_POINTS rows, earliest days first);
    and how many groups have matching activities in all."""
    authorize(actor, Action.view_activities)
    query = _calendar_query(group_ids=group_ids, countries=countries, kinds=kinds, statuses=statuses,
                            period=period).subquery()
    per_group = (select(query.c.group_id.label("group_id"), sa.func.count().label("n"))
                 .group_by(query.c.group_id).subquery())
    busiest = select(per_group.c.group_id).order_by(per_group.c.n.desc(), per_group.c.group_id).limit(TIMELINE_GROUPS)
    day = sa.func.date(query.c.starts_at)
    grouped = (select(query.c.name, day, query.c.status, query.c.kind, sa.func.count())
               .where(query.c.group_id.in_(busiest))
               .group_by(query.c.name, day, query.c.status, query.c.kind)
               .order_by(day, query.c.name).limit(TIMELINE_MAX_POINTS))
    with session_scope() as s:
        groups = int(s.execute(select(sa.func.count()).select_from(per_group)).scalar() or 0)
        frame = pd.DataFrame([tuple(r) for r in s.execute(grouped)], columns=["group", "day", "status", "kind", "activities"])
    return frame, groups


def activity(actor: Actor, activity_id: int) -> dict | None:
    """One activity with its group, time zone, site and linked work plan item."""
    authorize(actor, Action.view_activities)
    query = (select(Activity, WorkingGroup.name, WorkingGroup.timezone, WorkingGroup.country, Site.name,
                    WorkPlanItem.title)
             .join(WorkingGroup, WorkingGroup.id == Activity.group_id)
             .outerjoin(Site, Site.id == Activity.site_id)
             .outerjoin(WorkPlanItem, WorkPlanItem.id == Activity.work_plan_item_id)
             .where(Activity.id == activity_id))
    with session_scope() as s:
        row = s.execute(query).first()
    if row is None:
        return None
    record, group, tz, country, site, item = row
    values = record.model_dump()
    values.update(starts_at=local(record.starts_at, tz), ends_at=local(record.ends_at, tz))
    return {**values, "group": group, "timezone": tz, "country": country, "site": site, "work_plan_item": item}


ATTENDANCE_COLUMNS = ["org_id", "organisation", "kind", "pillar", "invited", "attended", "participants", "women"]


def attendance(actor: Actor, activity_id: int) -> pd.DataFrame:
    """The activity's attendance rows by organisation (pillar, invited, attended, participants, women)."""
    authorize(actor, Action.view_activities)
    query = (select(Organisation.id, Organisation.name, Organisation.kind, pillar_of(Organisation.kind),
                    Attendance.invited, Attendance.attended, Attendance.participants, Attendance.women)
             .join(Organisation, Organisation.id == Attendance.org_id)
             .where(Attendance.activity_id == activity_id)
             .order_by(Attendance.attended.desc(), Organisation.name))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)], columns=ATTENDANCE_COLUMNS)


def attendance_by_pillar(actor: Actor, activity_id: int) -> pd.DataFrame:
    """Organisations invited and attending, participants and women per pillar for one activity."""
    authorize(actor, Action.view_activities)
    pillar = pillar_of(Organisation.kind)
    query = (select(pillar, sa.func.count(Attendance.id), sa.func.sum(sa.case((Attendance.attended, 1), else_=0)),
                    sa.func.sum(Attendance.participants), sa.func.sum(Attendance.women))
             .join(Organisation, Organisation.id == Attendance.org_id)
             .where(Attendance.activity_id == activity_id).group_by(pillar))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)],
                            columns=["pillar", "invited", "attended", "participants", "women"])


def attendance_sheet(actor: Actor, activity_id: int) -> pd.DataFrame:
    """What a coordinator fills in: the stored attendance rows, plus every organisation that was
    a member of the group on the activity's date and has no row yet (invited, not attended)."""
    if not can(actor, Action.edit_activity):
        raise PermissionDenied(_("Your role may not record attendance."))
    with session_scope() as s:
        record = s.get(Activity, activity_id)
        if record is None:
            return pd.DataFrame(columns=ATTENDANCE_COLUMNS)
        # The sheet is for whoever records this activity's attendance (coordinators: their groups).
        authorize(actor, Action.edit_activity, group_id=record.group_id)
        day = record.starts_at.date()  # UTC day; membership dates are whole days
        pillar = pillar_of(Organisation.kind)
        query = (select(Organisation.id, Organisation.name, Organisation.kind, pillar)
                 .join(Membership, Membership.org_id == Organisation.id)
                 .where(Membership.group_id == record.group_id, Membership.since <= day,
                        sa.or_(Membership.until.is_(None), Membership.until >= day))
                 .distinct().order_by(Organisation.name))
        members = pd.DataFrame([tuple(r) for r in s.execute(query)], columns=["org_id", "organisation", "kind", "pillar"])
    stored = attendance(actor, activity_id)
    missing = members[~members["org_id"].isin(stored["org_id"])].copy()
    missing["invited"], missing["attended"], missing["participants"], missing["women"] = True, False, 0, 0
    sheet = pd.concat([stored, missing[ATTENDANCE_COLUMNS]], ignore_index=True) if not missing.empty else stored
    return sheet.sort_values("organisation").reset_index(drop=True)


def group_events(group_id: int, period: Period | None = None) -> tuple[dict, list[dict]]:
    """A group's scheduled and held activities for its calendar file: the group (name, time
    zone) and one dict per activity with its site name."""
    query = (select(Activity.id, Activity.kind, Activity.title, Activity.starts_at, Activity.ends_at,
                    Activity.status, Activity.place, Activity.summary, Activity.version, Site.name.label("site"))
             .outerjoin(Site, Site.id == Activity.site_id)
             .where(Activity.group_id == group_id, Activity.status.in_(["scheduled", "held", "postponed", "cancelled"]))
             .order_by(Activity.starts_at))
    if period is not None:
        query = query.where(*during(Activity.starts_at, period))
    with session_scope() as s:
        group = s.get(WorkingGroup, group_id)
        if group is None:
            return {}, []
        events = [{**r._asdict(), "starts_at": local(r.starts_at, group.timezone), "ends_at": local(r.ends_at, group.timezone)}
                  for r in s.execute(query)]
        return {"id": group.id, "name": group.name, "timezone": group.timezone, "country": group.country}, events


def activity_options(actor: Actor, group_ids=(), statuses=(), limit: int = 300) -> pd.DataFrame:
    """Activities to pick from in forms (newest first): id, group_id, title, starts_at, status, version."""
    authorize(actor, Action.data_entry)
    query = select(Activity.id, Activity.group_id, Activity.title, Activity.kind, Activity.starts_at,
                   Activity.ends_at, Activity.status, Activity.version).order_by(Activity.starts_at.desc()).limit(limit)
    if group_ids:
        query = query.where(Activity.group_id.in_(list(group_ids)))
    if statuses:
        query = query.where(Activity.status.in_(list(statuses)))
    with session_scope() as s:
        frame = pd.DataFrame([tuple(r) for r in s.execute(query)],
                             columns=["id", "group_id", "title", "kind", "starts_at", "ends_at", "status", "version"])
    frame["starts_at"] = [local(m, "UTC") for m in frame["starts_at"]]
    return frame


def outcomes_of(actor: Actor, activity_ids: tuple[int, ...]) -> dict[int, str]:
    """The outcomes text of the given activities (one query), keyed by activity id."""
    authorize(actor, Action.view_activities)
    if not activity_ids:
        return {}
    with session_scope() as s:
        return dict(s.execute(select(Activity.id, Activity.outcomes).where(Activity.id.in_(list(activity_ids)))).all())
