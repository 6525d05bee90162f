"""Early warning: per working group and site, what is getting worse, ranked by how much.

Signals, each computed over quarter-length windows ending at the as-of date (the last 91 days,
compared with the 91 days before):
- issues rising: more issues raised at a site in the last 91 days than in the 91 days before;
- violence risk open: each open issue with a risk of violence (weight 3 each);
- critical past its date: each open critical issue past its resolve-by date (weight 3 each);
- attendance falling: a group's attendance rate at meetings lower than in the window before;
- commitments slipping: a group's commitment follow-through lower than in the window before;
- community seats empty: community-pillar memberships that attended none of the group's last
  three meetings;
- a funder above 50%: one contributor gave more than half of a group's contributions over
  the last 365 days.

Rank (shared/domain.md, Decisions): each open violence-risk issue and each critical issue past
its date counts 3, every other signal 1; ties by newest. Aggregates only: no issue titles, no
names of people, so every role may see the list."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, Attendance, Issue, Membership, Organisation, Site, WorkingGroup
from db.periods import Period, today
from db.permissions import Actor
from db.reads.overview import Scope, open_on
from db.reads.scope import day_start
from db.vocab import MEETING_KINDS, PILLAR_OF_KIND, ActivityStatus, Pillar, Severity
from i18n import N_, numbers

WINDOW_DAYS = 91
FUNDING_WINDOW_DAYS = 365
HEAVY = 3   # each open violence-risk issue, each critical issue past its date
LIGHT = 1   # every other signal

ISSUES_RISING = "issues_rising"
VIOLENCE_RISK_OPEN = "violence_risk_open"
CRITICAL_PAST_DATE = "critical_past_date"
ATTENDANCE_FALLING = "attendance_falling"
COMMITMENTS_SLIPPING = "commitments_slipping"
COMMUNITY_SEATS_EMPTY = "community_seats_empty"
FUNDER_ABOVE_HALF = "funder_above_half"

# What each signal says, with {count} (and for the falling ones {before} and {now}).
SIGNAL_TEXT = {
    ISSUES_RISING: N_("Issues rising: {now} raised in the last quarter, {before} in the quarter before"),
    VIOLENCE_RISK_OPEN: N_("{count} open issues with a risk of violence"),
    CRITICAL_PAST_DATE: N_("{count} critical issues past their resolve-by date"),
    ATTENDANCE_FALLING: N_("Attendance falling: {now} this quarter, {before} the quarter before"),
    COMMITMENTS_SLIPPING: N_("Commitments slipping: follow-through {now} this quarter, {before} the quarter before"),
    COMMUNITY_SEATS_EMPTY: N_("{count} community seats empty (absent from the last three meetings)"),
    FUNDER_ABOVE_HALF: N_("One funder gave {now} of contributions in the last year"),
}

SIGNAL_COLUMNS = ["group_id", "site_id", "signal", "count", "now", "before", "score", "latest"]
COMMUNITY_KINDS = [kind.value for kind, pillar in PILLAR_OF_KIND.items() if pillar == Pillar.community]


def windows(as_of: date) -> tuple[Period, Period]:
    """The last quarter-length window ending on the as-of date, and the one before it."""
    current = Period(as_of - timedelta(days=WINDOW_DAYS - 1), as_of)
    return current, current.previous()


def _rows(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=SIGNAL_COLUMNS)


# --------------------------------------------------------------------------- issue signals


def issue_signals(scope: Scope, as_of: date) -> pd.DataFrame:
    """The three issue signals per group and site from one pass over the issues in scope:
    issues rising (raised in the last 91 days above the 91 days before, 1 point), open issues
    with a risk of violence (3 points each) and open critical issues past their resolve-by
    date (3 points each)."""
    current, before = windows(as_of)
    is_open = open_on(as_of)
    conditions = {
        ISSUES_RISING: Issue.raised_on >= before.start,
        VIOLENCE_RISK_OPEN: sa.and_(is_open, Issue.violence_risk == True),  # noqa: E712
        CRITICAL_PAST_DATE: sa.and_(is_open, Issue.severity == Severity.critical, Issue.resolve_by < as_of),
    }
    counts = [sa.func.sum(sa.case((condition, 1), else_=0)) for condition in conditions.values()]
    newest = [sa.func.max(sa.case((condition, Issue.raised_on))) for condition in conditions.values()]
    in_current = sa.func.sum(sa.case((Issue.raised_on >= current.start, 1), else_=0))
    query = (select(Issue.group_id, Issue.site_id, in_current, *counts, *newest)
             .where(Issue.retired == False, Issue.raised_on <= as_of, *scope.where(Issue.group_id))  # noqa: E712
             .group_by(Issue.group_id, Issue.site_id))
    with session_scope() as s:
        rows = s.execute(query).all()
    records = []
    for g, site, now, in_windows, violent, critical, latest_raised, latest_violent, latest_critical in rows:
        now, prev = int(now or 0), int(in_windows or 0) - int(now or 0)
        if now > prev:
            records.append(dict(group_id=g, site_id=site, signal=ISSUES_RISING, count=now, now=now, before=prev,
                                score=LIGHT, latest=latest_raised))
        for signal, n, latest in ((VIOLENCE_RISK_OPEN, violent, latest_violent),
                                  (CRITICAL_PAST_DATE, critical, latest_critical)):
            if n:
                records.append(dict(group_id=g, site_id=site, signal=signal, count=int(n), now=None, before=None,
                                    score=HEAVY * int(n), latest=latest))
    return _rows(records)


# --------------------------------------------------------------------------- group signals


def _falling(per_group_now: pd.DataFrame, per_group_before: pd.DataFrame, signal: str,
             latest: date) -> pd.DataFrame:
    """Groups whose rate (column `rate`) is lower now than before (both known)."""
    merged = per_group_now[["group_id", "rate"]].merge(per_group_before[["group_id", "rate"]],
                                                        on="group_id", suffixes=("_now", "_before"))
    merged = merged.dropna(subset=["rate_now", "rate_before"])
    merged = merged[merged["rate_now"] < merged["rate_before"]]
    return _rows([dict(group_id=int(g), site_id=None, signal=signal, count=1, now=float(now),
                       before=float(prev), score=LIGHT, latest=latest)
                  for g, now, prev in zip(merged["group_id"], merged["rate_now"], merged["rate_before"])])


def attendance_falling(actor: Actor | None, scope: Scope, as_of: date) -> pd.DataFrame:
    """Per group: attendance rate at meetings of the last 91 days below that of the 91 days
    before (db/metrics/engagement.attendance_counts)."""
    from db.metrics import engagement

    current, before = windows(as_of)
    kwargs = dict(group_ids=scope.group_ids or None, countries=scope.countries or None)
    return _falling(engagement.attendance_counts(actor, period=current, **kwargs),
                    engagement.attendance_counts(actor, period=before, **kwargs), ATTENDANCE_FALLING, as_of)


def commitments_slipping(actor: Actor | None, scope: Scope, as_of: date) -> pd.DataFrame:
    """Per group: follow-through of commitments due in the last 91 days below that of the 91
    days before (db/metrics/engagement.follow_through_counts)."""
    from db.metrics import engagement

    current, before = windows(as_of)
    kwargs = dict(group_ids=scope.group_ids or None, countries=scope.countries or None, as_of=as_of)
    return _falling(engagement.follow_through_counts(actor, period=current, **kwargs),
                    engagement.follow_through_counts(actor, period=before, **kwargs), COMMITMENTS_SLIPPING, as_of)


def community_seats_empty(scope: Scope, as_of: date) -> pd.DataFrame:
    """Per group: memberships of community-pillar organisations, current on the as-of date, that
    attended none of the group's last three held meetings (groups with no meeting yet: none)."""
    end = day_start(as_of + timedelta(days=1))
    ranked = (select(Activity.id.label("activity_id"), Activity.group_id.label("group_id"),
                     Activity.starts_at.label("starts_at"),
                     sa.func.row_number().over(partition_by=Activity.group_id,
                                               order_by=(Activity.starts_at.desc(), Activity.id.desc())).label("n"))
              .where(Activity.status == ActivityStatus.held, Activity.kind.in_(MEETING_KINDS),
                     Activity.starts_at < end, *scope.where(Activity.group_id))
              .subquery())
    last_three = (select(ranked.c.activity_id, ranked.c.group_id, ranked.c.starts_at)
                  .where(ranked.c.n <= 3).cte("last_three"))
    met = (select(last_three.c.group_id, sa.func.max(last_three.c.starts_at).label("last_meeting"))
           .group_by(last_three.c.group_id).cte("met"))
    attended = (select(last_three.c.group_id, Attendance.org_id)
                .join(Attendance, Attendance.activity_id == last_three.c.activity_id)
                .where(Attendance.attended == True).distinct().cte("attended"))  # noqa: E712
    # joins on the materialised last three meetings, not an EXISTS per membership (3x faster)
    query = (select(Membership.group_id, sa.func.count(sa.distinct(Membership.org_id)),
                    sa.func.max(met.c.last_meeting))
             .join(Organisation, Organisation.id == Membership.org_id)
             .join(met, met.c.group_id == Membership.group_id)
             .outerjoin(attended, sa.and_(attended.c.group_id == Membership.group_id,
                                          attended.c.org_id == Membership.org_id))
             .where(Organisation.kind.in_(COMMUNITY_KINDS), Membership.since <= as_of,
                    sa.or_(Membership.until.is_(None), Membership.until >= as_of),
                    attended.c.org_id.is_(None), *scope.where(Membership.group_id))
             .group_by(Membership.group_id))
    with session_scope() as s:
        rows = s.execute(query).all()
    return _rows([dict(group_id=g, site_id=None, signal=COMMUNITY_SEATS_EMPTY, count=int(n), now=None,
                       before=None, score=LIGHT, latest=_day(latest) or as_of) for g, n, latest in rows if n])


def _day(value) -> date | None:
    """A date from what the database returns for a timestamp (SQLite may hand back a string)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date()


def funder_above_half(actor: Actor | None, scope: Scope, as_of: date) -> pd.DataFrame:
    """Per group: the largest funder's share of the last 365 days' contributions (in-kind
    included, a company with its subsidiaries) above 50% (db/metrics/funding.neutrality)."""
    from db.metrics import funding

    period = Period(as_of - timedelta(days=FUNDING_WINDOW_DAYS - 1), as_of)
    judged = funding.neutrality(group_ids=scope.group_ids, countries=scope.countries, period=period)
    at_risk = judged[judged["fund_id"].isna() & judged["at_risk"].astype(bool)]
    return _rows([dict(group_id=int(g), site_id=None, signal=FUNDER_ABOVE_HALF, count=1, now=float(share),
                       before=None, score=LIGHT, latest=as_of)
                  for g, share in zip(at_risk["group_id"], at_risk["share"])])


# --------------------------------------------------------------------------- the list


def signals(actor: Actor | None, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
            as_of: date | None = None) -> pd.DataFrame:
    """Every early-warning signal in scope, one row per (group, site, signal), with its score."""
    as_of = as_of or today()
    scope = Scope(tuple(countries), tuple(int(g) for g in group_ids))
    parts = [issue_signals(scope, as_of),
             attendance_falling(actor, scope, as_of), commitments_slipping(actor, scope, as_of),
             community_seats_empty(scope, as_of), funder_above_half(actor, scope, as_of)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return _rows([])
    frame = pd.concat(parts, ignore_index=True)
    frame["site_id"] = frame["site_id"].astype("Int64")
    frame["latest"] = pd.to_datetime(frame["latest"]).dt.date
    return frame


def ranked(actor: Actor | None, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
           as_of: date | None = None) -> pd.DataFrame:
    """The early-warning list: one row per group and site (site empty for group-wide signals)
    with its total score and signals, highest score first, ties by newest.
    Columns group_id, group, country, site_id, site, score, latest, signals (list of
    (signal, count, now, before) tuples)."""
    frame = signals(actor, countries, group_ids, as_of)
    columns = ["group_id", "group", "country", "site_id", "site", "score", "latest", "signals"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # one pass in plain Python (a pandas frame per group and site cost about a second at scale 100)
    grouped: dict[tuple[int, int], dict] = {}
    site_keys = frame["site_id"].fillna(-1).astype(int)
    for group_id, site_key, signal, count, now, before, score, latest in zip(
            frame["group_id"].astype(int), site_keys, frame["signal"], frame["count"], frame["now"],
            frame["before"], frame["score"], frame["latest"]):
        entry = grouped.setdefault((group_id, site_key), dict(
            group_id=int(group_id), site_id=None if site_key == -1 else int(site_key), score=0, latest=latest,
            signals=[]))
        entry["score"] += int(score)
        entry["latest"] = max(entry["latest"], latest)
        entry["signals"].append((signal, int(count), _known(now), _known(before)))
    rows = list(grouped.values())
    listed = pd.DataFrame(rows)
    with session_scope() as s:
        groups = s.execute(select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.country)
                           .where(WorkingGroup.id.in_([int(g) for g in listed["group_id"].unique()]))).all()
        names = {g: name for g, name, _country in groups}
        countries_of = {g: country for g, _name, country in groups}
        site_ids = [int(x) for x in listed["site_id"].dropna().unique()]
        sites = dict(s.execute(select(Site.id, Site.name).where(Site.id.in_(site_ids or [-1]))).all())
    listed["group"] = listed["group_id"].map(names)
    listed["country"] = listed["group_id"].map(countries_of)
    listed["site"] = [sites.get(int(x)) if pd.notna(x) else None for x in listed["site_id"]]
    # ties by newest, then by group and site name, so the order does not depend on the query plan
    listed = listed.sort_values(["score", "latest", "group", "site"], ascending=[False, False, True, True],
                                kind="stable", na_position="first").reset_index(drop=True)
    return listed[columns]


def _known(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def describe(signal: str, count: int, now: float | None, before: float | None) -> str:
    """One signal in words, in the current language."""
    from i18n import _

    def shown(value: float | None, rate: bool) -> str:
        if value is None or pd.isna(value):
            return _("no data")
        return numbers.percent(value) if rate else numbers.number(int(value))

    rate = signal in (ATTENDANCE_FALLING, COMMITMENTS_SLIPPING, FUNDER_ABOVE_HALF)
    return _(SIGNAL_TEXT[signal]).format(count=numbers.number(count), now=shown(now, rate), before=shown(before, rate))


def for_display(listed: pd.DataFrame) -> pd.DataFrame:
    """The ranked list as a table people read: group, country, site, score, what is wrong."""
    from db.reads.common import country_name
    from i18n import _

    return pd.DataFrame({
        _("Working group"): listed["group"],
        _("Country"): listed["country"].map(country_name),
        _("Site"): [site if isinstance(site, str) else _("whole group") for site in listed["site"]],
        _("Score"): listed["score"],
        _("Latest"): listed["latest"],
        _("What is getting worse"): ["; ".join(describe(*signal) for signal in signals)
                                     for signals in listed["signals"]],
    })
