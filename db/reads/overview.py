"""The Overview's scope (chosen countries and groups) and its counts: working groups,
activities held, open and raised issues, and the sites for the map. db/metrics/overview.py puts
them together with the other areas' metrics into the headline. Everything is an aggregate, so
every role may read it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, Issue, WorkingGroup
from db.periods import Period
from db.permissions import Action, Actor, authorize
from db.reads.scope import day_bounds, in_groups
from db.vocab import MEETING_KINDS, OPEN_ISSUE_STATUSES, ActivityStatus, GroupStatus, Severity


@dataclass(frozen=True)
class Scope:
    """Which groups a view covers: chosen countries and groups (empty: all)."""
    countries: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()

    def where(self, group_column) -> list:
        """SQL conditions limiting a query on `group_column` to this scope."""
        return in_groups(group_column, self.group_ids, self.countries)

    def resolved_group_ids(self) -> list[int] | None:
        """The group ids in scope, or None when the scope is everything."""
        if not self.group_ids and not self.countries:
            return None
        with session_scope() as s:
            return list(s.exec(select(WorkingGroup.id).where(*self.where(WorkingGroup.id))).all())


# --------------------------------------------------------------------------- counts


def working_group_count(scope: Scope, as_of: date) -> int:
    """Working groups (not closed) established on or before `as_of` (undated ones count)."""
    with session_scope() as s:
        return s.exec(select(sa.func.count(WorkingGroup.id)).where(
            WorkingGroup.status != GroupStatus.closed,
            sa.or_(WorkingGroup.established_on.is_(None), WorkingGroup.established_on <= as_of),
            *scope.where(WorkingGroup.id))).one()


def groups_by_country_level(scope: Scope, as_of: date) -> pd.DataFrame:
    """Working groups (not closed, established by `as_of`) per country and level."""
    query = (select(WorkingGroup.country, WorkingGroup.level, sa.func.count(WorkingGroup.id).label("groups"))
             .where(WorkingGroup.status != GroupStatus.closed,
                    sa.or_(WorkingGroup.established_on.is_(None), WorkingGroup.established_on <= as_of),
                    *scope.where(WorkingGroup.id))
             .group_by(WorkingGroup.country, WorkingGroup.level)
             .order_by(WorkingGroup.country, WorkingGroup.level))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)], columns=["country", "level", "groups"])


def activities_held(scope: Scope, period: Period, *, meetings_only: bool = False) -> int:
    """Activities held (status held) starting within the period; meetings_only: of the
    meeting kinds (plenary, steering committee, community dialogue)."""
    start, end = day_bounds(period)
    conditions = [Activity.status == ActivityStatus.held, Activity.starts_at >= start,
                  Activity.starts_at < end, *scope.where(Activity.group_id)]
    if meetings_only:
        conditions.append(Activity.kind.in_(MEETING_KINDS))
    with session_scope() as s:
        return s.exec(select(sa.func.count(Activity.id)).where(*conditions)).one()


def open_on(day: date):
    """SQL condition: the issue was open at the end of `day` (raised by then, neither resolved
    nor closed by then; an issue open now counts as open on every day since it was raised)."""
    return sa.and_(
        Issue.retired == False,  # noqa: E712
        Issue.raised_on <= day,
        sa.or_(Issue.status.in_(OPEN_ISSUE_STATUSES),
               sa.and_(sa.or_(Issue.resolved_on.is_(None), Issue.resolved_on > day),
                       sa.or_(Issue.closed_on.is_(None), Issue.closed_on > day))))


def open_issues_by_severity(scope: Scope, day: date) -> pd.DataFrame:
    """Issues open at the end of `day`, per severity (every severity listed, zeros included)."""
    query = (select(Issue.severity, sa.func.count(Issue.id).label("issues"))
             .where(open_on(day), *scope.where(Issue.group_id)).group_by(Issue.severity))
    with session_scope() as s:
        counts = dict(s.execute(query).all())
    return pd.DataFrame({"severity": [s.value for s in Severity],
                         "issues": [int(counts.get(s.value, 0)) for s in Severity]})


def issues_raised(scope: Scope, period: Period) -> int:
    with session_scope() as s:
        return s.exec(select(sa.func.count(Issue.id)).where(
            Issue.retired == False, Issue.raised_on >= period.start, Issue.raised_on <= period.end,  # noqa: E712
            *scope.where(Issue.group_id))).one()


def any_data(scope: Scope) -> bool:
    """Whether the scope holds any working group at all (else every figure is "no data")."""
    with session_scope() as s:
        return s.exec(select(sa.func.count(WorkingGroup.id)).where(*scope.where(WorkingGroup.id))).one() > 0


def site_points(actor: Actor, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
                as_of: date | None = None) -> pd.DataFrame:
    """Sites the chosen groups cover, with their open issues on the as-of date (for the map).
    Columns site, country, latitude, longitude, open_issues."""
    from db.models import GroupSite, Site
    from db.periods import today

    authorize(actor, Action.view_overview)
    as_of = as_of or today()
    scope = Scope(tuple(countries), tuple(int(g) for g in group_ids))
    covered = select(GroupSite.site_id).where(*scope.where(GroupSite.group_id))
    open_count = (select(Issue.site_id, sa.func.count(Issue.id).label("open_issues"))
                  .where(open_on(as_of), *scope.where(Issue.group_id)).group_by(Issue.site_id).subquery())
    query = (select(Site.name.label("site"), Site.country, Site.latitude, Site.longitude,
                    sa.func.coalesce(open_count.c.open_issues, 0).label("open_issues"))
             .outerjoin(open_count, open_count.c.site_id == Site.id)
             .where(Site.id.in_(covered)).order_by(Site.name))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["site", "country", "latitude", "longitude", "open_issues"])
