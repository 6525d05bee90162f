"""Dates and periods: the as-of date, quarters, and "the previous period of the same length"."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta


def today() -> date:
    """The as-of date for figures: AS_OF_DATE (YYYY-MM-DD) when set, else today. Demo data is
    generated up to an as-of date, and tests pin it."""
    value = os.environ.get("AS_OF_DATE")
    return date.fromisoformat(value) if value else date.today()


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length immediately before this one."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def year_to_date(as_of: date | None = None) -> Period:
    as_of = as_of or today()
    return Period(date(as_of.year, 1, 1), as_of)


def last_days(days: int, as_of: date | None = None) -> Period:
    as_of = as_of or today()
    return Period(as_of - timedelta(days=days - 1), as_of)


DEFAULT_PERIOD_DAYS = 365


def default_period(as_of: date | None = None) -> Period:
    """The period every page of figures opens on: the 365 days ending on the as-of date
    (domain guide, Decisions), compared with the 365 days before (Period.previous)."""
    return last_days(DEFAULT_PERIOD_DAYS, as_of)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_quarters(count: int, as_of: date | None = None) -> list[Period]:
    """The last `count` calendar quarters, oldest first, ending with the one holding `as_of`."""
    quarters = [quarter_period(as_of or today())]
    while len(quarters) < count:
        quarters.insert(0, quarter_period(quarters[0].start - timedelta(days=1)))
    return quarters


def quarter_period(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return Period(start, next_start - timedelta(days=1))
