"""Funding metrics: where the money and in-kind support come from and where they go.

Stable signatures (other pages, the group profile, the Overview, the company scorecard and
reports call these; keep them as they are):

    Every metric takes the same keyword-only filters and nothing else positional:
        group_ids: tuple[int, ...] = ()       working groups (of the fund); () = all
        countries: tuple[str, ...] = ()       ISO alpha-2 of the fund's group; () = all
        period: Period | None = None          received_on / spent_on within it; None = all time
        contributor_ids: tuple[int, ...] = () contributing organisations; () = all
        published_only: bool = False          only published entries (the public view)

    total_received(**f) -> Decimal | None            reporting currency, cash + in-kind
    received_by_pillar(**f) -> DataFrame             pillar, cash, in_kind, total
    received_by_contributor(**f) -> DataFrame        org_id, contributor, pillar, cash, in_kind, total, share
    neutrality(**f) -> DataFrame                     per group and fund: largest funder (families rolled up), share, at_risk
    earmarked_share(**f) -> Decimal | None
    in_kind_share(**f) -> Decimal | None
    total_disbursed(**f) -> Decimal | None
    disbursed_to_received(**f) -> Decimal | None
    cash_balance(**f) -> Decimal | None              as of period.end (all history up to it)
    published_share(**f) -> Decimal | None
    balance_over_time(**f) -> DataFrame              month (date), balance (reporting currency)
    spending_by_purpose(**f) -> DataFrame            purpose, amount
    spending_by_work_item(**f) / spending_by_activity(**f) -> DataFrame
    missing_rates(**f) -> list[MissingRate]          the rates the figures above had to leave out
    fund_balance_over_time(fund_id) -> DataFrame     date, balance (the fund's own currency)

Money follows db/money.py: SQL sums minor units per currency and date (and the dimensions a
figure needs); Python converts each such row at the rate in force on its date with Decimal and
rounds it once. A row whose rate is missing is left out of every figure that needs the
conversion and is named by `missing_rates`, never counted at a rate of 1. Shares are Decimals
between 0 and 1; a figure with nothing to measure is None ("no data"). Retired entries never
count."""
from __future__ import annotations

import contextlib
import contextvars
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, select

from db.engine import session_scope
from db.models import Activity, Contribution, Disbursement, Fund, Organisation, WorkingGroup, WorkPlanItem
from db.money import MissingRate, RateBook, from_minor
from db.periods import Period, today
from db.permissions import Action, Actor, authorize
from db.reads.common import pillar_of
from db.reads.scope import in_groups
from db.vocab import NEUTRALITY_THRESHOLD, REPORTING_CURRENCY, ContributionKind, Pillar, SpendingPurpose

ZERO = Decimal(0)


@dataclass(frozen=True)
class Scope:
    group_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    period: Period | None = None
    contributor_ids: tuple[int, ...] = ()
    published_only: bool = False


def _scope(group_ids=(), countries=(), period=None, contributor_ids=(), published_only=False) -> Scope:
    return Scope(tuple(group_ids or ()), tuple(countries or ()), period, tuple(contributor_ids or ()),
                 bool(published_only))


def _where_fund(query, scope: Scope):
    return query.where(*in_groups(Fund.group_id, scope.group_ids, scope.countries))


# --------------------------------------------------------------------------- contributions


# One page often asks for many figures of the same filters (db/reads/funding.summary): inside
# `batch()` each distinct set of rows is read and converted once and the rates are loaded once,
# so the page's query count stays fixed whatever the number of figures or rows.
_BATCH: contextvars.ContextVar[dict | None] = contextvars.ContextVar("funding_batch", default=None)


@contextlib.contextmanager
def batch():
    """Share rows and exchange rates between the metrics computed inside this block."""
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def _batched(read):
    @functools.wraps(read)
    def wrapper(scope: Scope, session: Session | None = None, **options):
        memo = _BATCH.get()
        if memo is None or session is not None:
            return read(scope, session, **options)
        key = (read.__name__, scope, tuple(sorted((k, str(v) if k == "extra" else v) for k, v in options.items())))
        if key not in memo:
            memo[key] = read(scope, None, **options)
        return memo[key]
    return wrapper


def _rate_book(session: Session, currencies: set[str]) -> RateBook:
    """The rates of these currencies; inside `batch()` all rates, loaded once."""
    memo = _BATCH.get()
    if memo is None:
        return RateBook.load(session, currencies)
    if "rates" not in memo:
        memo["rates"] = RateBook.load(session)
    return memo["rates"]


@_batched
def _contribution_rows(scope: Scope, session: Session | None = None, *, until: date | None = None,
                       kind: str | None = None, extra: tuple = ()) -> tuple[list[dict], list[MissingRate]]:
    """Contributions summed in SQL per currency, date, contributor, kind, earmark and
    publication (plus `extra` columns), converted per row. `until` replaces the period
    (everything up to a date) and sums per currency and date only (plus `extra`): what a cash
    balance needs, converted and rounded per (currency, day) bucket."""
    amount = sa.func.sum(Contribution.amount_minor).label("minor")
    if until is not None:
        query = (select(Contribution.currency, Contribution.received_on, *extra, amount,
                        sa.func.count().label("entries"))
                 .join(Fund, Fund.id == Contribution.fund_id)
                 .where(Contribution.retired.is_(False))
                 .group_by(Contribution.currency, Contribution.received_on, *extra))
    else:
            query = (select(Contribution.currency, Contribution.received_on, Contribution.contributor_org_id,
                        Organisation.name, pillar_of(Organisation.kind).label("pillar"), Contribution.kind,
                        Contribution.earmarked, Contribution.published, *extra, amount,
                        sa.func.count().label("entries"))
                 .join(Fund, Fund.id == Contribution.fund_id)
                 .join(Organisation, Organisation.id == Contribution.contributor_org_id)
                 .where(Contribution.retired.is_(False))
                 .group_by(Contribution.currency, Contribution.received_on, Contribution.contributor_org_id,
                           Organisation.name, Organisation.kind, Contribution.kind, Contribution.earmarked,
                           Contribution.published, *extra))
    query = _where_fund(query, scope)
    if scope.contributor_ids:
        query = query.where(Contribution.contributor_org_id.in_(scope.contributor_ids))
    if scope.published_only:
        query = query.where(Contribution.published.is_(True))
    if kind:
        query = query.where(Contribution.kind == kind)
    if until is not None:
        query = query.where(Contribution.received_on <= until)
    elif scope.period is not None:
        query = query.where(Contribution.received_on.between(scope.period.start, scope.period.end))
    return _convert(query, session, "received_on")


@_batched
def _disbursement_rows(scope: Scope, session: Session | None = None, *, until: date | None = None,
                       extra: tuple = ()) -> tuple[list[dict], list[MissingRate]]:
    """Disbursements summed in SQL per currency, date and purpose (plus `extra` columns), converted per row;
    with `until` (a cash balance) per currency and date only (plus `extra`)."""
    purpose = () if until is not None else (Disbursement.purpose,)
    query = (select(Disbursement.currency, Disbursement.spent_on, *purpose, *extra,
                    sa.func.sum(Disbursement.amount_minor).label("minor"), sa.func.count().label("entries"))
             .join(Fund, Fund.id == Disbursement.fund_id)
             .where(Disbursement.retired.is_(False))
             .group_by(Disbursement.currency, Disbursement.spent_on, *purpose, *extra))
    query = _where_fund(query, scope)
    if scope.contributor_ids:  # spending is not attributable to a contributor
        return [], []
    if scope.published_only:
        query = query.where(Disbursement.published.is_(True))
    if until is not None:
        query = query.where(Disbursement.spent_on <= until)
    elif scope.period is not None:
        query = query.where(Disbursement.spent_on.between(scope.period.start, scope.period.end))
    return _convert(query, session, "spent_on")


def _convert(query, session: Session | None, date_column: str) -> tuple[list[dict], list[MissingRate]]:
    def run(s: Session):
        result = s.execute(query)
        keys = list(result.keys())
        rows = [dict(zip(keys, r)) for r in result]
        book = _rate_book(s, {r["currency"] for r in rows})
        missing: set[MissingRate] = set()
        for row in rows:
            original = from_minor(row["minor"], row["currency"])
            row["amount"] = original
            row["value"], gap = book.try_convert(original, row["currency"], row[date_column])
            if gap:
                missing.add(gap)
        return rows, sorted(missing, key=lambda m: (m.currency, m.on))

    if session is not None:
        return run(session)
    with session_scope() as s:
        return run(s)


def _sum(rows: list[dict], keep=lambda r: True) -> Decimal:
    return sum((r["value"] for r in rows if r["value"] is not None and keep(r)), ZERO)


def _converted(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["value"] is not None]


def total_received(**filters) -> Decimal | None:
    """Contributions received in the period, cash and in-kind (estimated value), in the reporting currency."""
    rows = _converted(_contribution_rows(_scope(**filters))[0])
    return _sum(rows) if rows else None


def received_by_pillar(**filters) -> pd.DataFrame:
    """Contributions received in the period per contributor pillar: cash, in-kind and total, in the reporting currency."""
    rows = _converted(_contribution_rows(_scope(**filters))[0])
    table: dict[str, dict] = {}
    for r in rows:
        entry = table.setdefault(r["pillar"], {"pillar": r["pillar"], "cash": ZERO, "in_kind": ZERO})
        entry["in_kind" if r["kind"] == ContributionKind.in_kind else "cash"] += r["value"]
    order = [p.value for p in Pillar]
    frame = pd.DataFrame(sorted(table.values(), key=lambda e: order.index(e["pillar"])),
                         columns=["pillar", "cash", "in_kind"])
    frame["total"] = [c + k for c, k in zip(frame["cash"], frame["in_kind"])]
    return frame


CONTRIBUTOR_COLUMNS = ["org_id", "contributor", "pillar", "cash", "in_kind", "total", "share"]


def received_by_contributor(**filters) -> pd.DataFrame:
    """Contributions received in the period per contributor (cash, in-kind, total in the reporting currency) and each one's share of the total, largest first."""
    rows = _converted(_contribution_rows(_scope(**filters))[0])
    return pd.DataFrame(_per_contributor(rows), columns=CONTRIBUTOR_COLUMNS)


NEUTRALITY_COLUMNS = ["group_id", "group", "fund_id", "fund", "funder_id", "funder", "share", "at_risk"]


def neutrality(**filters) -> pd.DataFrame:
    """The neutrality judgement (domain guide, Decisions): per working group, and per fund within
    it, the largest funder's share of the contributions received in the period (in-kind
    included), a company and its subsidiaries counted as one funder named after the top
    company; `at_risk` above NEUTRALITY_THRESHOLD. A group's own row has fund_id None and comes
    before its funds'; groups by name, funds by name; nothing received, no row."""
    rows = _converted(_contribution_rows(_scope(**filters), extra=(Fund.group_id, Fund.id.label("fund_id")))[0])
    if not rows:
        return pd.DataFrame(columns=NEUTRALITY_COLUMNS)
    with session_scope() as s:
        roots, names = _family_roots(s)
        groups = dict(s.execute(select(WorkingGroup.id, WorkingGroup.name)
                                .where(WorkingGroup.id.in_({r["group_id"] for r in rows}))).all())
        funds = dict(s.execute(select(Fund.id, Fund.name).where(Fund.id.in_({r["fund_id"] for r in rows}))).all())
    given: dict[tuple[int, int | None], dict[int, Decimal]] = {}
    for r in rows:
        funder = roots[r["contributor_org_id"]]
        for key in ((r["group_id"], None), (r["group_id"], r["fund_id"])):
            per_funder = given.setdefault(key, {})
            per_funder[funder] = per_funder.get(funder, ZERO) + r["value"]
    threshold = Decimal(str(NEUTRALITY_THRESHOLD))
    entries = []
    for (group_id, fund_id), per_funder in given.items():
        total = sum(per_funder.values(), ZERO)
        funder, amount = min(per_funder.items(), key=lambda item: (-item[1], names[item[0]]))
        share = amount / total if total else None
        entries.append({"group_id": group_id, "group": groups[group_id], "fund_id": fund_id,
                        "fund": funds[fund_id] if fund_id is not None else None, "funder_id": funder,
                        "funder": names[funder], "share": share, "at_risk": share is not None and share > threshold})
    entries.sort(key=lambda e: (e["group"], e["group_id"], e["fund"] is not None, e["fund"] or "", e["fund_id"] or 0))
    return pd.DataFrame(entries, columns=NEUTRALITY_COLUMNS, dtype=object)  # None stays None, not NaN


def _family_roots(s: Session) -> tuple[dict[int, int], dict[int, str]]:
    """Each organisation's top parent (itself when it has none) and every name."""
    parents, names = {}, {}
    for org_id, parent_id, name in s.execute(select(Organisation.id, Organisation.parent_id, Organisation.name)):
        parents[org_id], names[org_id] = parent_id, name
    roots = {}
    for org_id in parents:
        root, seen = org_id, {org_id}
        while parents.get(root) is not None and parents[root] not in seen:  # a cycle stops at its start
            root = parents[root]
            seen.add(root)
        roots[org_id] = root
    return roots, names


def _per_contributor(rows: list[dict]) -> list[dict]:
    """Converted contribution rows summed per contributor: cash, in-kind, total and share of
    the rows' grand total, largest first (the one definition behind the contributor figures)."""
    table: dict[int, dict] = {}
    for r in rows:
        entry = table.setdefault(r["contributor_org_id"], {
            "org_id": r["contributor_org_id"], "contributor": r["name"], "pillar": r["pillar"],
            "cash": ZERO, "in_kind": ZERO})
        entry["in_kind" if r["kind"] == ContributionKind.in_kind else "cash"] += r["value"]
    entries = list(table.values())
    for e in entries:
        e["total"] = e["cash"] + e["in_kind"]
    grand = sum((e["total"] for e in entries), ZERO)
    for e in entries:
        e["share"] = e["total"] / grand if grand else None
    entries.sort(key=lambda e: (-e["total"], e["contributor"]))
    return entries


def earmarked_share(**filters) -> Decimal | None:
    """Earmarked contributions divided by all contributions received in the period (reporting-currency value)."""
    rows = _converted(_contribution_rows(_scope(**filters))[0])
    total = _sum(rows)
    return _sum(rows, lambda r: r["earmarked"]) / total if total else None


def in_kind_share(**filters) -> Decimal | None:
    """In-kind contributions (estimated value) divided by all contributions received in the period."""
    rows = _converted(_contribution_rows(_scope(**filters))[0])
    total = _sum(rows)
    return _sum(rows, lambda r: r["kind"] == ContributionKind.in_kind) / total if total else None


def total_disbursed(**filters) -> Decimal | None:
    """Disbursements spent in the period, in the reporting currency."""
    rows = _converted(_disbursement_rows(_scope(**filters))[0])
    return _sum(rows) if rows else None


def disbursed_to_received(**filters) -> Decimal | None:
    """Disbursements spent in the period divided by cash contributions received in it (in-kind cannot be disbursed)."""
    scope = _scope(**filters)
    cash = _sum(_contribution_rows(scope, kind=ContributionKind.financial)[0])
    if not cash:
        return None
    return _sum(_disbursement_rows(scope)[0]) / cash


def cash_balance(**filters) -> Decimal | None:
    """Cash contributions minus disbursements from the start up to the period's end (today without a period), each converted at its own date's rate; in-kind support is not cash."""
    scope = _scope(**filters)
    until = scope.period.end if scope.period else today()
    received = _converted(_contribution_rows(scope, until=until, kind=ContributionKind.financial)[0])
    spent = _converted(_disbursement_rows(scope, until=until)[0])
    if not received and not spent:
        return None
    return _sum(received) - _sum(spent)


def published_share(**filters) -> Decimal | None:
    """Contributions marked published divided by all contributions received in the period (by number of entries)."""
    rows = _contribution_rows(_scope(**filters))[0]
    count = sum(r["entries"] for r in rows)
    return Decimal(sum(r["entries"] for r in rows if r["published"])) / count if count else None


def balance_over_time(**filters) -> pd.DataFrame:
    """The cash balance (reporting currency) at each month's end within the period (the last point is the period's end), counting everything before the period as the opening balance."""
    scope = _scope(**filters)
    end = scope.period.end if scope.period else today()
    received = _converted(_contribution_rows(scope, until=end, kind=ContributionKind.financial)[0])
    spent = _converted(_disbursement_rows(scope, until=end)[0])
    if not received and not spent:
        return pd.DataFrame(columns=["month", "balance"])
    flows = [(r["received_on"], r["value"]) for r in received] + [(r["spent_on"], -r["value"]) for r in spent]
    flows.sort(key=lambda f: f[0])
    start = scope.period.start if scope.period else flows[0][0]
    points, balance, index = [], ZERO, 0
    for month_end in _month_ends(start, end):
        while index < len(flows) and flows[index][0] <= month_end:
            balance += flows[index][1]
            index += 1
        points.append({"month": month_end, "balance": balance})
    return pd.DataFrame(points, columns=["month", "balance"])


def _month_ends(start: date, end: date) -> list[date]:
    ends, year, month = [], start.year, start.month
    while True:
        following = date(year + (month == 12), month % 12 + 1, 1)
        last = following.fromordinal(following.toordinal() - 1)
        if last >= end:
            ends.append(end)
            return ends
        ends.append(last)
        year, month = following.year, following.month


def _spending(extra: tuple, **filters) -> list[dict]:
    return _converted(_disbursement_rows(_scope(**filters), extra=extra)[0])


def spending_by_purpose(**filters) -> pd.DataFrame:
    """Disbursements spent in the period per purpose (db/vocab.SpendingPurpose), in the reporting currency."""
    totals: dict[str, Decimal] = {}
    for r in _spending((), **filters):
        totals[r["purpose"]] = totals.get(r["purpose"], ZERO) + r["value"]
    order = [p.value for p in SpendingPurpose]
    return pd.DataFrame([{"purpose": p, "amount": totals[p]} for p in sorted(totals, key=order.index)],
                        columns=["purpose", "amount"])


def spending_by_work_item(**filters) -> pd.DataFrame:
    """Disbursements spent in the period per work plan item they were made for (reporting currency); spending with no item is left out."""
    rows = _spending((Disbursement.work_plan_item_id,), **filters)
    return _per_target(rows, "work_plan_item_id", WorkPlanItem, "work_item")


def spending_by_activity(**filters) -> pd.DataFrame:
    """Disbursements spent in the period per activity they paid for (reporting currency); spending with no activity is left out."""
    rows = _spending((Disbursement.activity_id,), **filters)
    return _per_target(rows, "activity_id", Activity, "activity")


def _per_target(rows: list[dict], column: str, model, name: str) -> pd.DataFrame:
    totals: dict[int, Decimal] = {}
    for r in rows:
        if r[column] is not None:
            totals[r[column]] = totals.get(r[column], ZERO) + r["value"]
    if not totals:
        return pd.DataFrame(columns=["id", name, "amount"])
    with session_scope() as s:
        titles = dict(s.execute(select(model.id, model.title).where(model.id.in_(list(totals)))).all())
    entries = [{"id": key, name: titles.get(key, str(key)), "amount": value} for key, value in totals.items()]
    entries.sort(key=lambda e: -e["amount"])
    return pd.DataFrame(entries, columns=["id", name, "amount"])


def missing_rates(**filters) -> list[MissingRate]:
    """The currencies and dates whose exchange rate is missing, so figures above leave those entries out."""
    scope = _scope(**filters)
    gaps = set(_contribution_rows(scope)[1]) | set(_disbursement_rows(scope)[1])
    until = scope.period.end if scope.period else today()
    gaps |= set(_contribution_rows(scope, until=until, kind=ContributionKind.financial)[1])
    gaps |= set(_disbursement_rows(scope, until=until)[1])
    return sorted(gaps, key=lambda m: (m.currency, m.on))


# --------------------------------------------------------------------------- one fund


@dataclass(frozen=True)
class FundFlows:
    """A fund's cash movements in its own currency, per day: (date, change); and rates missing."""
    currency: str
    flows: list[tuple[date, Decimal]]
    missing: list[MissingRate]

    def balance_on(self, day: date) -> Decimal:
        return sum((change for on, change in self.flows if on <= day), ZERO)

    def lowest_from(self, day: date) -> tuple[Decimal, date]:
        """The lowest balance on `day` or any later day with a movement, and that day."""
        lowest, lowest_on = self.balance_on(day), day
        running = lowest
        for on, change in self.flows:
            if on > day:
                running += change
                if running < lowest:
                    lowest, lowest_on = running, on
        return lowest, lowest_on


def fund_flows(session: Session, fund_id: int) -> FundFlows:
    """A fund's cash contributions (+) and disbursements (-) in its own currency, summed per
    currency and day in SQL and converted per row at the rate in force on that day."""
    currency = session.execute(select(Fund.currency).where(Fund.id == fund_id)).scalar_one()
    received = (select(Contribution.received_on.label("on"), Contribution.currency,
                       sa.func.sum(Contribution.amount_minor).label("minor"))
                .where(Contribution.fund_id == fund_id, Contribution.retired.is_(False),
                       Contribution.kind == ContributionKind.financial)
                .group_by(Contribution.received_on, Contribution.currency))
    spent = (select(Disbursement.spent_on.label("on"), Disbursement.currency,
                    sa.func.sum(Disbursement.amount_minor).label("minor"))
             .where(Disbursement.fund_id == fund_id, Disbursement.retired.is_(False))
             .group_by(Disbursement.spent_on, Disbursement.currency))
    rows = [(r.on, r.currency, r.minor, 1) for r in session.execute(received)]
    rows += [(r.on, r.currency, r.minor, -1) for r in session.execute(spent)]
    book = RateBook.load(session, {c for _on, c, _m, _s in rows} | {currency})
    flows, missing = [], set()
    for on, row_currency, minor, sign in rows:
        value, gap = book.try_convert(from_minor(minor, row_currency), row_currency, on, currency)
        if gap:
            missing.add(gap)
            continue
        flows.append((on, sign * value))
    flows.sort(key=lambda f: f[0])
    return FundFlows(currency, flows, sorted(missing, key=lambda m: (m.currency, m.on)))


def fund_balance_over_time(fund_id: int) -> pd.DataFrame:
    """A fund's cash balance in its own currency after each day with a movement."""
    with session_scope() as s:
        flows = fund_flows(s, fund_id)
    points, balance = {}, ZERO
    for on, change in flows.flows:
        balance += change
        points[on] = balance
    return pd.DataFrame([{"date": on, "balance": value} for on, value in points.items()],
                        columns=["date", "balance"])


__all__ = ["Scope", "FundFlows", "total_received", "received_by_pillar",
           "received_by_contributor", "neutrality",
           "earmarked_share", "in_kind_share", "total_disbursed", "disbursed_to_received",
           "cash_balance", "published_share", "balance_over_time", "spending_by_purpose",
           "spending_by_work_item", "spending_by_activity", "missing_rates", "fund_flows",
           "fund_balance_over_time", "REPORTING_CURRENCY"]


# --------------------------------------------------------------------------- the Funding page


@dataclass(frozen=True)
class FundingSummary:
    """Every figure of the Funding page for one set of filters."""
    total_received: Decimal | None
    cash_balance: Decimal | None
    total_disbursed: Decimal | None
    disbursed_to_received: Decimal | None
    earmarked_share: Decimal | None
    in_kind_share: Decimal | None
    published_share: Decimal | None
    neutrality: pd.DataFrame
    by_pillar: pd.DataFrame
    by_contributor: pd.DataFrame
    balance_over_time: pd.DataFrame
    by_purpose: pd.DataFrame
    by_work_item: pd.DataFrame
    by_activity: pd.DataFrame
    missing: list


def summary(actor: Actor, *, group_ids=(), countries=(), period: Period | None = None) -> FundingSummary:
    """The Funding page's figures for these filters (cash, in-kind, shares, balance, spending)."""
    authorize(actor, Action.view_funding)
    f = {"group_ids": tuple(group_ids), "countries": tuple(countries), "period": period}
    with batch():
        return FundingSummary(
            total_received=total_received(**f), cash_balance=cash_balance(**f),
            total_disbursed=total_disbursed(**f), disbursed_to_received=disbursed_to_received(**f),
            earmarked_share=earmarked_share(**f), in_kind_share=in_kind_share(**f),
            published_share=published_share(**f), neutrality=neutrality(**f),
            by_pillar=received_by_pillar(**f), by_contributor=received_by_contributor(**f),
            balance_over_time=balance_over_time(**f), by_purpose=spending_by_purpose(**f),
            by_work_item=spending_by_work_item(**f), by_activity=spending_by_activity(**f),
            missing=missing_rates(**f))
