"""The Overview page's figures: headline counts for the chosen countries, groups and period,
each beside the same count for the previous period of the same length.

Figures defined by another area are called from that area's module (attendance rate and
follow-through from db/metrics/engagement.py, contributions from db/metrics/funding.py), never
computed a second time here. Everything is an aggregate, so every role may read it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Callable, Sequence

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, Issue, WorkingGroup
from db.periods import Period
from db.permissions import Action, Actor, authorize
from db.vocab import MEETING_KINDS, OPEN_ISSUE_STATUSES, ActivityStatus, GroupStatus, Severity


@dataclass(frozen=True)
class Scope:
    """Which groups a view covers: chosen countries and groups (empty: all)."""
    countries: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()

    def where(self, group_column) -> list:
        """SQL conditions limiting a query on `group_column` to this scope."""
        conditions = []
        if self.group_ids:
            conditions.append(group_column.in_(self.group_ids))
        if self.countries:
            conditions.append(group_column.in_(
                select(WorkingGroup.id).where(WorkingGroup.country.in_(self.countries)).scalar_subquery()))
        return conditions

    def resolved_group_ids(self) -> list[int] | None:
        """The group ids in scope, or None when the scope is everything."""
        if not self.group_ids and not self.countries:
            return None
        with session_scope() as s:
            return list(s.exec(select(WorkingGroup.id).where(*self.where(WorkingGroup.id))).all())


@dataclass(frozen=True)
class Figure:
    """One headline figure now and in the previous period (None: no data)."""
    value: int | float | Decimal | None
    previous: int | float | Decimal | None = None


@dataclass
class Headline:
    period: Period
    previous_period: Period
    working_groups: Figure
    activities_held: Figure
    meetings_held: Figure
    attendance_rate: Figure
    open_issues: Figure
    issues_raised: Figure
    follow_through: Figure
    contributions_received: Figure
    groups_by_country_level: pd.DataFrame = field(default_factory=pd.DataFrame)
    open_by_severity: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: list[str] = field(default_factory=list)  # figures whose module has not landed


def day_bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) as UTC datetimes, for comparing activity start times (stored in UTC) with a
    period of days."""
    return (datetime.combine(period.start, time.min, tzinfo=timezone.utc),
            datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=timezone.utc))


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
        Issue.retired == False,
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
            Issue.retired == False, Issue.raised_on >= period.start, Issue.raised_on <= period.end,
            *scope.where(Issue.group_id))).one()


def any_data(scope: Scope) -> bool:
    """Whether the scope holds any working group at all (else every figure is "no data")."""
    with session_scope() as s:
        return s.exec(select(sa.func.count(WorkingGroup.id)).where(*scope.where(WorkingGroup.id))).one() > 0


# --------------------------------------------------------------------------- other areas' figures


def _attendance_rate(actor: Actor, scope: Scope, period: Period) -> float | None:
    from db.metrics import engagement

    return engagement.attendance_rate(actor, group_ids=scope.group_ids or None,
                                      countries=scope.countries or None, period=period)


def _follow_through(actor: Actor, scope: Scope, period: Period) -> float | None:
    from db.metrics import engagement

    return engagement.commitment_follow_through(actor, group_ids=scope.group_ids or None,
                                                countries=scope.countries or None, period=period)


def _contributions_received(actor: Actor, scope: Scope, period: Period) -> Decimal | None:
    from db.metrics import funding

    return funding.total_received(group_ids=tuple(scope.group_ids), countries=tuple(scope.countries),
                                  period=period)


# Figures another area defines: name -> (module that must have landed, the call).
SOURCES: dict[str, tuple[str, str, Callable]] = {
    "attendance_rate": ("db.metrics.engagement", "attendance_rate", _attendance_rate),
    "follow_through": ("db.metrics.engagement", "commitment_follow_through", _follow_through),
    "contributions_received": ("db.metrics.funding", "total_received", _contributions_received),
}


def _source(name: str) -> Callable | None:
    """A figure from another area's metrics module, or None while that module has not landed."""
    import importlib

    module_name, function, call = SOURCES[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return call if hasattr(module, function) else None


def headline(actor: Actor, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
             period: Period | None = None) -> Headline:
    """Every headline figure of the Overview for this scope and period, with the previous period."""
    authorize(actor, Action.view_overview)
    from db.periods import year_to_date

    period = period or year_to_date()
    previous = period.previous()
    scope = Scope(tuple(countries), tuple(int(g) for g in group_ids))
    has_data = any_data(scope)

    def count(fn: Callable[[Period], int | None]) -> Figure:
        if not has_data:
            return Figure(None, None)
        return Figure(fn(period), fn(previous))

    missing: list[str] = []

    def sourced(name: str) -> Figure:
        source = _source(name)
        if source is None:
            missing.append(name)
            return Figure(None, None)
        if not has_data:
            return Figure(None, None)
        return Figure(source(actor, scope, period), source(actor, scope, previous))

    severity = open_issues_by_severity(scope, period.end)
    return Headline(
        period=period, previous_period=previous,
        working_groups=count(lambda p: working_group_count(scope, p.end)),
        activities_held=count(lambda p: activities_held(scope, p)),
        meetings_held=count(lambda p: activities_held(scope, p, meetings_only=True)),
        attendance_rate=sourced("attendance_rate"),
        open_issues=count(lambda p: int((severity if p == period else open_issues_by_severity(scope, p.end))
                                        ["issues"].sum())),
        issues_raised=count(lambda p: issues_raised(scope, p)),
        follow_through=sourced("follow_through"),
        contributions_received=sourced("contributions_received"),
        groups_by_country_level=groups_by_country_level(scope, period.end),
        open_by_severity=severity if has_data else severity.iloc[0:0],
        missing=missing,
    )


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
