"""Reads for the Working groups page: the directory, the sites map, a group's profile and
members. Aggregated in SQL; a bounded number of queries whatever the data size.

A dashboard for every role (view_groups): members are organisations, never people."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, GroupInitiative, GroupSite, Membership, Organisation, Site, WorkingGroup
from db.periods import today
from db.permissions import Action, Actor, authorize
from db.reads.common import pillar_of
from db.reads.scope import day_start
from db.vocab import MEETING_KINDS, ActivityStatus, Pillar

DIRECTORY_COLUMNS = ["id", "name", "country", "level", "focus", "status", "lead", "established_on",
                     "members", "sites", "meetings_this_year", "last_meeting"]


def _current(as_of: date):
    return sa.and_(Membership.since <= as_of, sa.or_(Membership.until.is_(None), Membership.until >= as_of))


def directory(actor: Actor, *, countries=(), levels=(), focuses=(), statuses=(),
              as_of: date | None = None) -> pd.DataFrame:
    """Working groups matching the filters, with current members, sites, meetings held this
    calendar year and the date of the last meeting."""
    authorize(actor, Action.view_groups)
    as_of = as_of or today()
    members = (select(Membership.group_id, sa.func.count(Membership.id).label("n"))
               .where(_current(as_of)).group_by(Membership.group_id).subquery())
    sites = (select(GroupSite.group_id, sa.func.count(GroupSite.site_id).label("n"))
             .group_by(GroupSite.group_id).subquery())
    year_start = datetime(as_of.year, 1, 1, tzinfo=timezone.utc)
    held_meeting = sa.and_(Activity.status == ActivityStatus.held.value, Activity.kind.in_([kind.value for kind in MEETING_KINDS]))
    meetings = (select(Activity.group_id,
                       sa.func.sum(sa.case((Activity.starts_at >= year_start, 1), else_=0)).label("this_year"),
                       sa.func.max(Activity.starts_at).label("last"))
                .where(held_meeting, Activity.starts_at < day_start(as_of + timedelta(days=1)))
                .group_by(Activity.group_id).subquery())
    query = (select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.country, WorkingGroup.level,
                    WorkingGroup.focus, WorkingGroup.status, WorkingGroup.lead, WorkingGroup.established_on,
                    sa.func.coalesce(members.c.n, 0), sa.func.coalesce(sites.c.n, 0),
                    sa.func.coalesce(meetings.c.this_year, 0), meetings.c.last)
             .outerjoin(members, members.c.group_id == WorkingGroup.id)
             .outerjoin(sites, sites.c.group_id == WorkingGroup.id)
             .outerjoin(meetings, meetings.c.group_id == WorkingGroup.id)
             .order_by(WorkingGroup.name))
    for column, chosen in ((WorkingGroup.country, countries), (WorkingGroup.level, levels),
                           (WorkingGroup.focus, focuses), (WorkingGroup.status, statuses)):
        if chosen:
            query = query.where(column.in_(list(chosen)))
    with session_scope() as s:
        frame = pd.DataFrame([tuple(r) for r in s.execute(query)], columns=DIRECTORY_COLUMNS)
    frame["last_meeting"] = pd.to_datetime(frame["last_meeting"]).dt.date
    return frame


def group_sites(actor: Actor, group_ids: list[int] | tuple[int, ...]) -> pd.DataFrame:
    """The sites the given groups cover, one row per site with how many of those groups cover it
    and their names (columns id, name, country, region, latitude, longitude, groups, group_names)."""
    authorize(actor, Action.view_groups)
    if not group_ids:
        return pd.DataFrame(columns=["id", "name", "country", "region", "latitude", "longitude", "groups", "group_names"])
    query = (select(Site.id, Site.name, Site.country, Site.region, Site.latitude, Site.longitude,
                    sa.func.count(GroupSite.group_id), sa.func.aggregate_strings(WorkingGroup.name, ", "))
             .join(GroupSite, GroupSite.site_id == Site.id)
             .join(WorkingGroup, WorkingGroup.id == GroupSite.group_id)
             .where(GroupSite.group_id.in_(list(group_ids)))
             .group_by(Site.id, Site.name, Site.country, Site.region, Site.latitude, Site.longitude)
             .order_by(Site.name))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)],
                            columns=["id", "name", "country", "region", "latitude", "longitude", "groups", "group_names"])


@dataclass
class GroupProfile:
    id: int
    name: str
    country: str
    level: str
    focus: str
    status: str
    lead: str
    established_on: date | None
    timezone: str
    description: str
    version: int
    secretariat_org_id: int | None
    secretariat: str | None
    initiatives: list[str] = field(default_factory=list)
    site_ids: list[int] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)


def profile(actor: Actor, group_id: int) -> GroupProfile | None:
    """One group's fields, secretariat, initiatives and sites (None if it does not exist)."""
    authorize(actor, Action.view_groups)
    with session_scope() as s:
        row = s.execute(select(WorkingGroup, Organisation.name)
                        .outerjoin(Organisation, Organisation.id == WorkingGroup.secretariat_org_id)
                        .where(WorkingGroup.id == group_id)).first()
        if row is None:
            return None
        group, secretariat = row
        initiatives = list(s.exec(select(GroupInitiative.initiative).where(GroupInitiative.group_id == group_id)).all())
        sites = s.execute(select(Site.id, Site.name).join(GroupSite, GroupSite.site_id == Site.id)
                          .where(GroupSite.group_id == group_id).order_by(Site.name)).all()
        return GroupProfile(id=group.id, name=group.name, country=group.country, level=group.level,
                            focus=group.focus, status=group.status, lead=group.lead,
                            established_on=group.established_on, timezone=group.timezone,
                            description=group.description, version=group.version,
                            secretariat_org_id=group.secretariat_org_id, secretariat=secretariat,
                            initiatives=sorted(initiatives), site_ids=[r[0] for r in sites],
                            site_names=[r[1] for r in sites])


MEMBER_COLUMNS = ["membership_id", "version", "org_id", "organisation", "kind", "pillar", "role",
                  "since", "until", "current"]


def members(actor: Actor, group_id: int, *, include_past: bool = True, as_of: date | None = None) -> pd.DataFrame:
    """The group's memberships (current first, then by pillar and name)."""
    authorize(actor, Action.view_groups)
    as_of = as_of or today()
    current = sa.case((_current(as_of), True), else_=False)
    pillar = pillar_of(Organisation.kind)
    query = (select(Membership.id, Membership.version, Organisation.id, Organisation.name, Organisation.kind,
                    pillar, Membership.role, Membership.since, Membership.until, current)
             .join(Organisation, Organisation.id == Membership.org_id)
             .where(Membership.group_id == group_id)
             .order_by(current.desc(), pillar, Organisation.name))
    if not include_past:
        query = query.where(_current(as_of))
    with session_scope() as s:
        frame = pd.DataFrame([tuple(r) for r in s.execute(query)], columns=MEMBER_COLUMNS)
    frame["current"] = frame["current"].astype(bool)
    order = {p.value: i for i, p in enumerate(Pillar)}
    return frame.sort_values(["current", "pillar", "organisation"], ascending=[False, True, True],
                             key=lambda c: c.map(order) if c.name == "pillar" else c).reset_index(drop=True)


def members_by_pillar(actor: Actor, group_id: int, as_of: date | None = None) -> pd.DataFrame:
    """Current member organisations per pillar (columns pillar, members)."""
    authorize(actor, Action.view_groups)
    as_of = as_of or today()
    pillar = pillar_of(Organisation.kind)
    query = (select(pillar, sa.func.count(Membership.id)).join(Organisation, Organisation.id == Membership.org_id)
             .where(Membership.group_id == group_id, _current(as_of)).group_by(pillar))
    with session_scope() as s:
        counts = dict(tuple(r) for r in s.execute(query))
    return pd.DataFrame([(p.value, int(counts.get(p.value, 0))) for p in Pillar], columns=["pillar", "members"])
