"""Which records a view covers, written once for every read and metric: the chosen working
groups and countries (a country means its groups) and a period of days (activity times are
stored in UTC, so a day runs from midnight UTC to the next)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import col, select

from db.engine import session_scope
from db.models import WorkingGroup
from db.periods import Period


def in_groups(group_column, group_ids: Iterable[int] | None = None,
              countries: Iterable[str] | None = None) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses limiting a group id column to the chosen groups and to the groups of the
    chosen countries (none chosen: no limit)."""
    clauses: list[sa.ColumnElement[bool]] = []
    group_ids, countries = list(group_ids or ()), list(countries or ())
    if group_ids:
        clauses.append(group_column.in_(group_ids))
    if countries:
        clauses.append(group_column.in_(select(col(WorkingGroup.id)).where(col(WorkingGroup.country).in_(countries))))
    return clauses


def day_start(day: date) -> datetime:
    """The first instant of a day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def day_bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) of a period of days as UTC instants."""
    return day_start(period.start), day_start(period.end + timedelta(days=1))


def during(instant_column, period: Period | None) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses keeping instants (stored in UTC) that fall on the period's days."""
    if period is None:
        return []
    start, end = day_bounds(period)
    return [instant_column >= start, instant_column < end]


def on_days(day_column, start: date | None = None, end: date | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause keeping the dates from `start` to `end`, both included (either may be open)."""
    condition: sa.ColumnElement[bool] = sa.true()
    if start:
        condition &= day_column >= start
    if end:
        condition &= day_column <= end
    return condition


def first_rows(session, query, limit: int | None, *, count=None, as_dicts: bool = True) -> tuple[list, int]:
    """The query's rows (the first `limit` of them; all with None) and how many match in all: a
    table shows the first rows and says how many there are. Rows come as dicts by column label,
    or as tuples by position (`as_dicts=False`, for queries whose columns have no labels).
    `count`, when given, is a cheaper statement counting the same rows (on the main table,
    without the joins)."""
    shape = (lambda row: row._asdict()) if as_dicts else tuple
    if limit is None:
        rows = [shape(r) for r in session.execute(query)]
        return rows, len(rows)
    count = count if count is not None else sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    total = int(session.execute(count).scalar() or 0)
    return [shape(r) for r in session.execute(query.limit(limit))], total


def newest_first(statement, table, day_column, condition, limit: int | None) -> tuple[list, int]:
    """The first `limit` rows of `statement` (over `table` and its joins) that match `condition`,
    the latest `day_column` first, then the latest record; and how many match in all, counted
    on `table` alone."""
    statement = statement.where(condition).order_by(day_column.desc(), table.id.desc())
    count = select(sa.func.count()).select_from(table).where(condition)
    with session_scope() as s:
        return first_rows(s, statement, limit, count=count)
