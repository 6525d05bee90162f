"""Issue metrics: resolution, ages, overdue, escalation, response times, repeat issues, the
grievance mechanism's health (UN Guiding Principle 31) and alerts. Each function's docstring
is its definition; all aggregate in SQL (medians too, with window functions).

Stable signature for other pages (Overview, scorecard, reports):
    f(actor=None, *, group_ids=None, countries=None, period=None, as_of=None)
`period` (db.periods.Period, None = all time) selects issues by the date named in the
docstring (raised on, unless it says resolved on); `as_of` (default db.periods.today()) is the
day ages and deadlines are measured at. Retired issues never count. Confidential issues count
in every figure (these are aggregates; nothing here returns an issue's text, except `alerts`,
which redacts through db/reads/issues). A figure with no data is None, never 0."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.engine import session_scope
from db.models import Issue, IssueActivity, IssueUpdate, Site, WorkingGroup
from db.periods import Period, today
from db.permissions import Actor
from db.reads.issues import (
    IssueFilters,
    age_bucket,
    conditions,
    day,
    days_between,
    details_visible,
    integer_function,
    is_open,
    is_overdue,
    readable_conditions,
    redacted,
    require_aggregates,
    require_rows,
)
from db.vocab import (
    AGE_BUCKETS,
    REPEAT_ISSUE_DAYS,
    Channel,
    IssueCategory,
    IssueStatus,
    Pillar,
    SecurityActor,
    Severity,
)
from i18n import N_, _

Earlier = aliased(Issue, name="earlier_issue")


def _where(group_ids: Iterable[int] | None, countries: Iterable[str] | None, period: Period | None,
           as_of: date | None = None, **more) -> list:
    filters = IssueFilters(group_ids=tuple(group_ids or ()), countries=tuple(countries or ()),
                           period=period, as_of=as_of or today(), **more)
    return conditions(filters)


def _chosen(actor: Actor | None, filters: IssueFilters | None, group_ids, countries, period: Period | None,
            as_of: date | None) -> tuple[list, date]:
    """WHERE clauses and as-of day: the page's full IssueFilters through the register's own
    builder when given, else groups, countries and period alone."""
    if filters is not None:
        return readable_conditions(filters, actor), filters.as_of
    as_of = as_of or today()
    return _where(group_ids, countries, period, as_of), as_of


def _ratio(numerator, denominator) -> float | None:
    numerator, denominator = numerator or 0, denominator or 0
    return None if not denominator else numerator / denominator


def _count(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _median(s, value, where: list, by=None) -> dict:
    """Median of `value` (whole days) over the rows matching `where`, per `by` (key None:
    overall): SQL counts the rows per (key, value), a few hundred at most, and the middle row
    (or the mean of the two middle rows) is read off those counts. Sorting every row with a
    window function instead took seconds at a hundred thousand issues."""
    key = by.label("k") if by is not None else sa.null().label("k")
    query = select(key, value.label("v"), sa.func.count().label("n")).where(*where, value.is_not(None))
    query = query.group_by(by, value) if by is not None else query.group_by(value)
    counts: dict = {}
    for k, v, n in s.execute(query):
        counts.setdefault(k, []).append((v, int(n)))
    medians = {}
    for k, pairs in counts.items():
        pairs.sort()
        total = sum(n for _v, n in pairs)
        wanted = {(total + 1) // 2, (total + 2) // 2}  # 1-based positions of the middle row(s)
        seen, middle = 0, []
        for v, n in pairs:
            middle += [v] * len([p for p in wanted if seen < p <= seen + n])
            seen += n
        medians[k] = sum(float(v) for v in middle) / len(middle)
    return medians


# --------------------------------------------------------------------------- resolution


def median_days_to_resolve(actor: Actor | None = None, *, group_ids=None, countries=None,
                           period: Period | None = None, as_of: date | None = None) -> float | None:
    """Median days from raised to resolved, over issues resolved in the period."""
    where = _where(group_ids, countries, None, as_of)
    if period is not None:
        where.append(Issue.resolved_on.between(day(period.start), day(period.end)))
    with session_scope() as s:
        return _median(s, days_between(Issue.resolved_on, Issue.raised_on), where).get(None)


def open_issues_by_age(actor: Actor | None = None, *, group_ids=None, countries=None,
                       period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Issues open now, raised on or before the period's end, counted by age at `as_of`
    in the AGE_BUCKETS (0-30, 31-90, 91-180, over 180 days); every bucket is listed."""
    as_of = as_of or today()
    where = _where(group_ids, countries, None, as_of) + [is_open()]
    if period is not None:
        where.append(Issue.raised_on <= day(period.end))
    bucket = age_bucket(days_between(day(as_of), Issue.raised_on))
    with session_scope() as s:
        counts = dict(s.execute(select(bucket, sa.func.count(Issue.id)).where(*where).group_by(bucket)).all())
    return pd.DataFrame({"bucket": [b[2] for b in AGE_BUCKETS],
                         "issues": [int(counts.get(b[2], 0)) for b in AGE_BUCKETS]})


@dataclass(frozen=True)
class Overdue:
    overdue: int
    open: int
    share: float | None   # overdue / open; None when nothing is open


def overdue_against_target(actor: Actor | None = None, *, group_ids=None, countries=None,
                           period: Period | None = None, as_of: date | None = None) -> Overdue:
    """Open issues past their resolve-by date (or unacknowledged past their acknowledge-by
    date) at `as_of`, out of all open issues raised on or before the period's end."""
    as_of = as_of or today()
    where = _where(group_ids, countries, None, as_of) + [is_open()]
    if period is not None:
        where.append(Issue.raised_on <= day(period.end))
    with session_scope() as s:
        late, total = s.execute(select(_count(is_overdue(as_of)), sa.func.count(Issue.id)).where(*where)).one()
    return Overdue(int(late or 0), int(total or 0), _ratio(late, total))


def escalation_rate(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None, as_of: date | None = None) -> float | None:
    """Share of issues raised in the period that were escalated at some point."""
    with session_scope() as s:
        escalated, total = s.execute(select(_count(Issue.escalated == True), sa.func.count(Issue.id))  # noqa: E712
                                     .where(*_where(group_ids, countries, period, as_of))).one()
    return _ratio(escalated, total)


def issues_per_site_category(actor: Actor | None = None, *, group_ids=None, countries=None,
                             period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Issues raised in the period per site and category (site_id, site, category, issues)."""
    with session_scope() as s:
        rows = s.execute(select(Site.id, Site.name, Issue.category, sa.func.count(Issue.id))
                         .join(Site, Site.id == Issue.site_id)
                         .where(*_where(group_ids, countries, period, as_of))
                         .group_by(Site.id, Site.name, Issue.category)
                         .order_by(Site.name, Issue.category)).all()
    return pd.DataFrame(rows, columns=["site_id", "site", "category", "issues"])


ACTOR_NOT_SHOWN = "confidential"  # the row of confidential issues whose security actor the reader may not see


def issues_by_security_actor(actor: Actor, *, site_ids: Iterable[int], period: Period,
                             group_ids=None, countries=None) -> pd.DataFrame:
    """Per security actor involved, at these sites: issues raised in the period (raised), those
    of them in the category security conduct or with a risk of violence (conduct_or_violence),
    and issues open at the end of the period (open_at_end). Every actor is listed; confidential
    issues whose details the reader may not see count in a row "confidential" of their own,
    since the security actor is one of those details."""
    from db.reads.overview import open_on

    require_aggregates(actor)
    raised = Issue.raised_on.between(day(period.start), day(period.end))
    conduct = sa.or_(Issue.category == IssueCategory.security_conduct.value, Issue.violence_risk == True)  # noqa: E712
    key = sa.case((details_visible(actor), Issue.security_actor), else_=sa.literal(ACTOR_NOT_SHOWN))
    where = _where(group_ids, countries, None) + [Issue.site_id.in_(list(site_ids)),
                                                  sa.or_(raised, open_on(period.end))]
    with session_scope() as s:
        counts = {k: (int(r or 0), int(c or 0), int(o or 0)) for k, r, c, o in s.execute(
            select(key, _count(raised), _count(sa.and_(raised, conduct)), _count(open_on(period.end)))
            .where(*where).group_by(key))}
    keys = [a.value for a in SecurityActor] + ([ACTOR_NOT_SHOWN] if ACTOR_NOT_SHOWN in counts else [])
    return pd.DataFrame([(k, *counts.get(k, (0, 0, 0))) for k in keys],
                        columns=["security_actor", "raised", "conduct_or_violence", "open_at_end"])


def community_share(actor: Actor | None = None, *, group_ids=None, countries=None,
                    period: Period | None = None, as_of: date | None = None) -> float | None:
    """Share of issues raised in the period whose raiser belongs to the community pillar."""
    with session_scope() as s:
        community, total = s.execute(select(_count(Issue.raiser_pillar == Pillar.community.value),
                                            sa.func.count(Issue.id))
                                     .where(*_where(group_ids, countries, period, as_of))).one()
    return _ratio(community, total)


# --------------------------------------------------------------------------- response times


RESOLVE_TARGET = N_("A resolve target is met when the issue is resolved, or closed without resolution, by its "
                    "resolve-by date, and missed when that comes later or the issue is still open past it.")


def _targets(as_of: date) -> dict:
    """Sums counting response targets met and decided. A target is decided once met or missed:
    met when done by its date; missed when done late, or still open and past its date. The
    resolve target is done when the issue is resolved or closed (RESOLVE_TARGET): a close
    without resolution still ends the case within the severity's timeframe or not, and
    leaving it out would hide the late ones."""
    ack_done = Issue.acknowledged_on.is_not(None)
    concluded_on = sa.func.coalesce(Issue.resolved_on, Issue.closed_on)
    concluded = concluded_on.is_not(None)
    return {
        "ack_met": _count(sa.and_(ack_done, Issue.acknowledged_on <= Issue.acknowledge_by)),
        "ack_decided": _count(sa.or_(ack_done, sa.and_(is_open(), Issue.acknowledge_by < day(as_of)))),
        "res_met": _count(sa.and_(concluded, concluded_on <= Issue.resolve_by)),
        "res_decided": _count(sa.or_(concluded, sa.and_(is_open(), Issue.resolve_by < day(as_of)))),
    }


@dataclass(frozen=True)
class ResponseTimes:
    median_days_to_acknowledge: float | None
    median_days_to_resolve: float | None
    acknowledged_in_time: float | None   # share of decided acknowledge targets met
    resolved_in_time: float | None       # share of decided resolve targets met
    within_timeframe: float | None       # both targets together: the mechanism's predictability
    targets_decided: int


def response_times(actor: Actor | None = None, *, group_ids=None, countries=None,
                   period: Period | None = None, as_of: date | None = None,
                   filters: IssueFilters | None = None) -> ResponseTimes:
    """For issues raised in the period (or matching `filters`, the register's): median days
    to acknowledge and to resolve, and the share of response targets (db/vocab.RESPONSE_DAYS
    by severity) met among those decided."""
    where, as_of = _chosen(actor, filters, group_ids, countries, period, as_of)
    sums = _targets(as_of)
    with session_scope() as s:
        row = s.execute(select(*[v.label(k) for k, v in sums.items()]).where(*where)).one()._asdict()
        ack = _median(s, days_between(Issue.acknowledged_on, Issue.raised_on), where).get(None)
        res = _median(s, days_between(Issue.resolved_on, Issue.raised_on), where).get(None)
    decided = int((row["ack_decided"] or 0) + (row["res_decided"] or 0))
    return ResponseTimes(ack, res, _ratio(row["ack_met"], row["ack_decided"]),
                         _ratio(row["res_met"], row["res_decided"]),
                         _ratio((row["ack_met"] or 0) + (row["res_met"] or 0), decided), decided)


def response_times_by_severity(actor: Actor | None = None, *, group_ids=None, countries=None,
                               period: Period | None = None, as_of: date | None = None,
                               filters: IssueFilters | None = None) -> pd.DataFrame:
    """Per severity, for issues raised in the period (or matching `filters`): issues, median
    days to acknowledge and to resolve, and the shares of acknowledge and resolve targets met
    among those decided."""
    where, as_of = _chosen(actor, filters, group_ids, countries, period, as_of)
    sums = _targets(as_of)
    with session_scope() as s:
        rows = {r.severity: r._asdict() for r in s.execute(
            select(Issue.severity, sa.func.count(Issue.id).label("issues"), *[v.label(k) for k, v in sums.items()])
            .where(*where).group_by(Issue.severity))}
        ack = _median(s, days_between(Issue.acknowledged_on, Issue.raised_on), where, by=Issue.severity)
        res = _median(s, days_between(Issue.resolved_on, Issue.raised_on), where, by=Issue.severity)
    out = []
    for severity in Severity:
        row = rows.get(severity.value)
        if row is None:
            continue
        out.append({"severity": severity.value, "issues": int(row["issues"]),
                    "median_days_to_acknowledge": ack.get(severity.value),
                    "median_days_to_resolve": res.get(severity.value),
                    "acknowledged_in_time": _ratio(row["ack_met"], row["ack_decided"]),
                    "resolved_in_time": _ratio(row["res_met"], row["res_decided"])})
    return pd.DataFrame(out, columns=["severity", "issues", "median_days_to_acknowledge",
                                      "median_days_to_resolve", "acknowledged_in_time", "resolved_in_time"])


# --------------------------------------------------------------------------- repeat issues


def is_repeat():
    """SQL truth value: an earlier issue (not retired) was raised at the same site in the same
    category no more than REPEAT_ISSUE_DAYS before this one (same day: the lower id is earlier)."""
    return sa.exists().where(
        Earlier.retired == False,  # noqa: E712
        Earlier.site_id == Issue.site_id, Earlier.category == Issue.category, Earlier.id != Issue.id,
        sa.or_(Earlier.raised_on < Issue.raised_on,
               sa.and_(Earlier.raised_on == Issue.raised_on, Earlier.id < Issue.id)),
        days_between(Issue.raised_on, Earlier.raised_on) <= REPEAT_ISSUE_DAYS)


def repeat_issues(actor: Actor | None = None, *, group_ids=None, countries=None,
                  period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Per site and category, issues raised in the period and how many of them repeat an
    earlier issue at the same site in the same category within 180 days (site_id, site,
    category, issues, repeats); only pairs with at least one repeat, most repeats first."""
    repeats = _count(is_repeat())
    with session_scope() as s:
        rows = s.execute(select(Site.id, Site.name, Issue.category, sa.func.count(Issue.id), repeats)
                         .join(Site, Site.id == Issue.site_id)
                         .where(*_where(group_ids, countries, period, as_of))
                         .group_by(Site.id, Site.name, Issue.category)
                         .having(repeats > 0)).all()
    frame = pd.DataFrame(rows, columns=["site_id", "site", "category", "issues", "repeats"])
    return frame.sort_values(["repeats", "site"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- GM health

# Channels where a person can raise a concern without a formal meeting.
DIRECT_CHANNELS = tuple(c.value for c in Channel if c != Channel.meeting)

CRITERIA = (
    # key, name (msgid), what the figure is (msgid), whether higher is better (None: no figure)
    ("legitimate", N_("Legitimate"),
     N_("Trusted by the people it is for, with fair governance. Needs a qualitative review "
        "(who sits on the group, who leads it); the data cannot show it."), None),
    ("accessible", N_("Accessible"),
     N_("Known and usable by everyone it is for. Closest figure: the share of issues raised "
        "anonymously or through a direct channel (liaison, phone, letter, email, web form, "
        "walk-in) rather than at a formal meeting."), True),
    ("predictable", N_("Predictable"),
     N_("Clear steps and timeframes that are kept: the share of acknowledge and resolve "
        "targets met, out of the targets already met or missed. A resolve target is met when the "
        "issue is resolved, or closed without resolution, by its resolve-by date."), True),
    ("equitable", N_("Equitable"),
     N_("Fair access for those with less power: the share of issues raised by communities."), True),
    ("transparent", N_("Transparent"),
     N_("People are kept informed: the share of issues whose raiser was told of at least one update."), True),
    ("rights_compatible", N_("Rights-compatible"),
     N_("Outcomes accord with human rights. Counted here: the share of resolved or closed issues with a "
        "remedy recorded; an issue closed without one counts against it. Whether a remedy accords with "
        "human rights remains a qualitative judgement."), True),
    ("continuous_learning", N_("Source of continuous learning"),
     N_("Lessons stop problems coming back: the share of issues that repeat an earlier one at the "
        "same site in the same category within 180 days (lower is better)."), False),
    ("based_on_engagement", N_("Based on engagement and dialogue"),
     N_("Issues are discussed with the people affected: the share of issues discussed at a "
        "working group activity."), True),
)

GM_COLUMNS = ["criterion", "name", "group_id", "group", "value", "numerator", "denominator",
              "higher_is_better", "explanation"]


def gm_health(actor: Actor | None = None, *, group_ids=None, countries=None,
              period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """One row per UN Guiding Principle 31 criterion and working group, plus an overall row per
    criterion (group_id None), for issues raised in the period: value = numerator / denominator
    (None: no data, or no figure for a criterion that needs qualitative review)."""
    as_of = as_of or today()
    where = _where(group_ids, countries, period, as_of)
    informed = sa.exists().where(IssueUpdate.issue_id == Issue.id, IssueUpdate.raiser_informed == True)  # noqa: E712
    discussed = sa.exists().where(IssueActivity.issue_id == Issue.id)
    concluded = sa.not_(is_open())  # resolved or closed, with or without a resolution
    sums = {
        "issues": sa.func.count(Issue.id),
        "direct": _count(sa.or_(Issue.anonymous == True, Issue.channel.in_(DIRECT_CHANNELS))),  # noqa: E712
        "community": _count(Issue.raiser_pillar == Pillar.community.value),
        "informed": _count(informed),
        "concluded": _count(concluded),
        "remedied": _count(sa.and_(concluded, sa.func.length(sa.func.trim(Issue.remedy)) > 0)),
        "with_site": _count(Issue.site_id.is_not(None)),
        "repeats": _count(sa.and_(Issue.site_id.is_not(None), is_repeat())),
        "discussed": _count(discussed),
        **_targets(as_of),
    }
    with session_scope() as s:
        rows = s.execute(select(Issue.group_id, WorkingGroup.name, *[v.label(k) for k, v in sums.items()])
                         .join(WorkingGroup, WorkingGroup.id == Issue.group_id)
                         .where(*where).group_by(Issue.group_id, WorkingGroup.name)
                         .order_by(WorkingGroup.name)).all()
    per_group = [(r[0], r[1], {k: int(v or 0) for k, v in r._asdict().items() if k in sums}) for r in rows]
    overall = {k: sum(g[2][k] for g in per_group) for k in sums}
    out = []
    for gid, gname, counts in [(None, _("All groups"), overall)] + per_group:
        fractions = {
            "legitimate": (None, None),
            "accessible": (counts["direct"], counts["issues"]),
            "predictable": (counts["ack_met"] + counts["res_met"], counts["ack_decided"] + counts["res_decided"]),
            "equitable": (counts["community"], counts["issues"]),
            "transparent": (counts["informed"], counts["issues"]),
            "rights_compatible": (counts["remedied"], counts["concluded"]),
            "continuous_learning": (counts["repeats"], counts["with_site"]),
            "based_on_engagement": (counts["discussed"], counts["issues"]),
        }
        for key, name, explanation, higher in CRITERIA:
            numerator, denominator = fractions[key]
            out.append({"criterion": key, "name": _(name), "group_id": gid, "group": gname,
                        "value": _ratio(numerator, denominator) if denominator is not None else None,
                        "numerator": numerator, "denominator": denominator,
                        "higher_is_better": higher, "explanation": _(explanation)})
    frame = pd.DataFrame(out, columns=GM_COLUMNS)
    frame["group_id"] = frame["group_id"].astype("Int64")
    return frame


# --------------------------------------------------------------------------- alerts

ALERT_REASONS = {
    "critical": N_("Critical and open"),
    "violence_risk": N_("Risk of violence, open"),
    "past_acknowledge_by": N_("Not acknowledged by its date"),
    "past_resolve_by": N_("Past its resolve-by date"),
    "escalated": N_("Escalated"),
}


greatest = integer_function(
    "greatest", "The largest of its (non-null) arguments: GREATEST on PostgreSQL, max(a, b, ...) on SQLite.",
    postgresql=lambda args: "GREATEST(%s)" % ", ".join(args), sqlite=lambda args: "max(%s)" % ", ".join(args))


ALERT_EPOCH = date(1900, 1, 1)  # alert dates travel through SQL as whole days after this day


def _alert_flags(as_of: date) -> dict:
    return {
        "critical": Issue.severity == Severity.critical.value,
        "violence_risk": Issue.violence_risk == True,  # noqa: E712
        "past_acknowledge_by": sa.and_(Issue.acknowledged_on.is_(None), Issue.acknowledge_by < day(as_of)),
        "past_resolve_by": Issue.resolve_by < day(as_of),
        "escalated": Issue.status == IssueStatus.escalated.value,
    }


def _alert_day(flags: dict):
    """SQL: the day (after ALERT_EPOCH) the issue's newest alert began: the latest of raised on
    (critical, violence risk), the day after acknowledge-by or resolve-by, and the last
    escalation (raised on when none is recorded), over the reasons that apply."""
    escalated_on = (select(sa.func.max(IssueUpdate.on_date))
                    .where(IssueUpdate.issue_id == Issue.id, IssueUpdate.to_status == IssueStatus.escalated.value)
                    .scalar_subquery())
    epoch = day(ALERT_EPOCH)
    since = {"critical": days_between(Issue.raised_on, epoch),
             "violence_risk": days_between(Issue.raised_on, epoch),
             "past_acknowledge_by": days_between(Issue.acknowledge_by, epoch) + 1,
             "past_resolve_by": days_between(Issue.resolve_by, epoch) + 1,
             "escalated": days_between(sa.func.coalesce(escalated_on, Issue.raised_on), epoch)}
    return greatest(*[sa.case((flags[k], since[k]), else_=-1) for k in flags])


def alerts(actor: Actor, *, group_ids=None, countries=None, period: Period | None = None,
           as_of: date | None = None, limit: int = 50) -> tuple[pd.DataFrame, int]:
    """Open issues that need attention (critical, violence risk, past acknowledge-by or
    resolve-by, escalated), one row per issue with its reasons, newest alert first; and how
    many there are in all. Titles redacted as in the register. Not for aggregate-only roles
    (use alert_counts)."""
    require_rows(actor)
    as_of = as_of or today()
    flags = _alert_flags(as_of)
    where = _where(group_ids, countries, period, as_of) + [is_open(), sa.or_(*flags.values())]
    alert_day = _alert_day(flags)
    query = (select(Issue.id, Issue.case_number, redacted(actor, Issue.title, "title"),
                    WorkingGroup.name.label("group"), Site.name.label("site"), Issue.category,
                    Issue.severity, Issue.status, Issue.raised_on, Issue.acknowledge_by, Issue.resolve_by,
                    alert_day.label("alert_day"), *[v.label(f"is_{k}") for k, v in flags.items()])
             .join(WorkingGroup, WorkingGroup.id == Issue.group_id)
             .join(Site, Site.id == Issue.site_id, isouter=True)
             .where(*where).order_by(alert_day.desc(), Issue.id.desc()).limit(limit))
    with session_scope() as s:
        total = s.execute(select(sa.func.count(Issue.id)).where(*where)).scalar_one()
        rows = []
        for row in s.execute(query):
            values = row._asdict()
            values["reasons"] = [k for k in flags if values.pop(f"is_{k}")]
            values["alert_on"] = ALERT_EPOCH + timedelta(days=int(values.pop("alert_day")))
            rows.append(values)
    frame = pd.DataFrame(rows, columns=["id", "case_number", "title", "group", "site", "category",
                                        "severity", "status", "raised_on", "acknowledge_by",
                                        "resolve_by", "reasons", "alert_on"])
    return frame, int(total or 0)


def alert_counts(actor: Actor | None = None, *, group_ids=None, countries=None,
                 period: Period | None = None, as_of: date | None = None) -> pd.DataFrame:
    """How many open issues carry each alert reason (reason, issues), for every role."""
    if actor is not None:
        require_aggregates(actor)
    as_of = as_of or today()
    flags = _alert_flags(as_of)
    with session_scope() as s:
        row = s.execute(select(*[_count(v).label(k) for k, v in flags.items()])
                        .where(*_where(group_ids, countries, period, as_of), is_open())).one()._asdict()
    return pd.DataFrame({"reason": list(flags), "issues": [int(row[k] or 0) for k in flags]})
