"""The Overview's headline: every figure for the chosen countries, groups and period, each
beside the same figure for the previous period of the same length. Counts come from
db/reads/overview.py; attendance and follow-through from db/metrics/engagement.py and
contributions from db/metrics/funding.py, never computed a second time here."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from db.metrics import engagement, funding
from db.periods import Period, year_to_date
from db.permissions import Action, Actor, authorize
from db.reads.overview import (
    Scope,
    activities_held,
    any_data,
    groups_by_country_level,
    issues_raised,
    open_issues_by_severity,
    working_group_count,
)


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


def headline(actor: Actor, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
             period: Period | None = None) -> Headline:
    """Every headline figure of the Overview for this scope and period, with the previous period."""
    authorize(actor, Action.view_overview)
    period = period or year_to_date()
    previous = period.previous()
    scope = Scope(tuple(countries), tuple(int(g) for g in group_ids))
    has_data = any_data(scope)
    group_ids_, countries_ = scope.group_ids or None, scope.countries or None

    def figure(fn: Callable[[Period], int | float | Decimal | None]) -> Figure:
        if not has_data:
            return Figure(None, None)
        return Figure(fn(period), fn(previous))

    severity = open_issues_by_severity(scope, period.end)
    return Headline(
        period=period, previous_period=previous,
        working_groups=figure(lambda p: working_group_count(scope, p.end)),
        activities_held=figure(lambda p: activities_held(scope, p)),
        meetings_held=figure(lambda p: activities_held(scope, p, meetings_only=True)),
        attendance_rate=figure(lambda p: engagement.attendance_rate(actor, group_ids=group_ids_, countries=countries_, period=p)),
        open_issues=figure(lambda p: int((severity if p == period else open_issues_by_severity(scope, p.end))
                                         ["issues"].sum())),
        issues_raised=figure(lambda p: issues_raised(scope, p)),
        follow_through=figure(lambda p: engagement.commitment_follow_through(actor, group_ids=group_ids_, countries=countries_,
                                                                                    period=p)),
        contributions_received=figure(lambda p: funding.total_received(
            group_ids=tuple(scope.group_ids), countries=tuple(scope.countries), period=p)),
        groups_by_country_level=groups_by_country_level(scope, period.end),
        open_by_severity=severity if has_data else severity.iloc[0:0],
    )
