"""Funding reads for the Funding page, a fund's ledger, the public transparency view and the
funding forms. Every table keeps the original amount and currency beside the reporting-currency
value; a value whose exchange rate is missing is None with a note naming currency and date.

Public reads (`public_*`) hold published entries only and no personal names (approvers appear
as their organisation): they are for every role that sees the transparency view (viewers too).
Everything else is a ledger or a form's options: view_funding or data_entry (not viewers)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import (
    Activity,
    Contribution,
    Disbursement,
    ExchangeRate,
    Fund,
    Organisation,
    WorkingGroup,
    WorkPlan,
    WorkPlanItem,
)
from db.money import RateBook, from_minor
from db.periods import Period, today
from db.permissions import Action, Actor, authorize, can, company_scope, group_scope
from db.reads.common import pillar_of
from db.reads.scope import first_rows, in_groups
from db.vocab import RATE_MAX_AGE_DAYS, REPORTING_CURRENCY, ContributionKind
from i18n import _

CONTRIBUTION_COLUMNS = ["id", "version", "received_on", "group", "fund", "contributor", "pillar", "kind", "amount",
                        "currency", "value_usd", "rate_note", "earmarked", "earmark_purpose", "published",
                        "description"]
DISBURSEMENT_COLUMNS = ["id", "version", "spent_on", "group", "fund", "purpose", "amount", "currency", "value_usd",
                        "rate_note", "activity", "work_item", "approved_by", "approved_by_name", "published",
                        "description"]


def _require_ledger(actor: Actor, published_only: bool) -> None:
    """Ledgers are for view_funding; their published entries alone are the transparency view."""
    if published_only and can(actor, Action.view_transparency):
        return
    if not can(actor, Action.view_funding):
        raise PermissionDenied(_("Your role may see only the published funding on the public transparency page."))


def _where(query, group_ids=(), countries=(), period: Period | None = None, date_column=None):
    query = query.where(*in_groups(Fund.group_id, group_ids, countries))
    if period is not None and date_column is not None:
        query = query.where(date_column.between(period.start, period.end))
    return query


def _add_values(s, rows: list[dict], date_key: str) -> None:
    """Convert each row at its own date's rate (rounded per row); name a missing rate."""
    book = RateBook.load(s, {r["currency"] for r in rows})
    for r in rows:
        r["amount"] = from_minor(r.pop("minor"), r["currency"])
        r["value_usd"], gap = book.try_convert(r["amount"], r["currency"], r[date_key])
        r["rate_note"] = gap.message() if gap else ""


def _ledger(query, table, day_column, columns: list[str], group_ids, countries, period: Period | None,
            published_only: bool, limit: int | None) -> tuple[pd.DataFrame, int]:
    """A ledger's entries (`table`: contributions or disbursements; never retired ones) in the
    groups, countries and period, the published ones only when asked, newest first; each with
    its value in the reporting currency. The first `limit` (all with None) and how many match."""
    query = (query.where(table.retired.is_(False)).order_by(day_column.desc(), table.id.desc()))
    query = _where(query, group_ids, countries, period, day_column)
    if published_only:
        query = query.where(table.published.is_(True))
    with session_scope() as s:
        rows, total = first_rows(s, query, limit)
        _add_values(s, rows, day_column.key)
    return pd.DataFrame(rows, columns=columns), total


def contributions(actor: Actor, *, group_ids=(), countries=(), period: Period | None = None,
                  published_only: bool = False) -> pd.DataFrame:
    """Contributions in the period, newest first, with original and converted amounts."""
    return contributions_shown(actor, group_ids=group_ids, countries=countries, period=period,
                               published_only=published_only, limit=None)[0]


def contributions_shown(actor: Actor, *, group_ids=(), countries=(), period: Period | None = None,
                        published_only: bool = False, limit: int | None = 200) -> tuple[pd.DataFrame, int]:
    """The newest `limit` contributions of `contributions` (all with None) and how many match."""
    _require_ledger(actor, published_only)
    query = (select(Contribution.id, Contribution.version, Contribution.received_on, WorkingGroup.name.label("group"),
                    Fund.name.label("fund"), Organisation.name.label("contributor"),
                    pillar_of(Organisation.kind).label("pillar"), Contribution.kind,
                    Contribution.amount_minor.label("minor"), Contribution.currency, Contribution.earmarked,
                    Contribution.earmark_purpose, Contribution.published, Contribution.description)
             .join(Fund, Fund.id == Contribution.fund_id)
             .join(WorkingGroup, WorkingGroup.id == Fund.group_id)
             .join(Organisation, Organisation.id == Contribution.contributor_org_id))
    return _ledger(query, Contribution, Contribution.received_on, CONTRIBUTION_COLUMNS,
                   group_ids, countries, period, published_only, limit)


def disbursements(actor: Actor, *, group_ids=(), countries=(), period: Period | None = None,
                  published_only: bool = False) -> pd.DataFrame:
    """Disbursements in the period, newest first; approvers' names only for signed-in staff
    roles (viewers and the public view see the organisation alone)."""
    return disbursements_shown(actor, group_ids=group_ids, countries=countries, period=period,
                               published_only=published_only, limit=None)[0]


def disbursements_shown(actor: Actor, *, group_ids=(), countries=(), period: Period | None = None,
                        published_only: bool = False, limit: int | None = 200) -> tuple[pd.DataFrame, int]:
    """The newest `limit` disbursements of `disbursements` (all with None) and how many match."""
    _require_ledger(actor, published_only)
    approver = aliased(Organisation)
    query = (select(Disbursement.id, Disbursement.version, Disbursement.spent_on, WorkingGroup.name.label("group"),
                    Fund.name.label("fund"), Disbursement.purpose, Disbursement.amount_minor.label("minor"),
                    Disbursement.currency, Activity.title.label("activity"), WorkPlanItem.title.label("work_item"),
                    approver.name.label("approved_by"), Disbursement.approved_by_name, Disbursement.published,
                    Disbursement.description)
             .join(Fund, Fund.id == Disbursement.fund_id)
             .join(WorkingGroup, WorkingGroup.id == Fund.group_id)
             .outerjoin(Activity, Activity.id == Disbursement.activity_id)
             .outerjoin(WorkPlanItem, WorkPlanItem.id == Disbursement.work_plan_item_id)
             .outerjoin(approver, approver.id == Disbursement.approved_by_org_id))
    frame, total = _ledger(query, Disbursement, Disbursement.spent_on, DISBURSEMENT_COLUMNS,
                           group_ids, countries, period, published_only, limit)
    if published_only or not can(actor, Action.view_funding):  # the public view names no approver
        frame["approved_by_name"] = ""
    return frame, total


# --------------------------------------------------------------------------- funds


def funds(actor: Actor, *, group_ids=(), countries=()) -> pd.DataFrame:
    """Funds with their group, administrator and current cash balance in their own currency."""
    authorize(actor, Action.view_funding)
    admin = aliased(Organisation)
    query = (select(Fund.id, Fund.name.label("fund"), WorkingGroup.name.label("group"), Fund.group_id, Fund.kind,
                    Fund.currency, admin.name.label("administrator"))
             .join(WorkingGroup, WorkingGroup.id == Fund.group_id)
             .outerjoin(admin, admin.id == Fund.administrator_org_id)
             .order_by(WorkingGroup.name, Fund.name))
    query = _where(query, group_ids, countries)
    with session_scope() as s:
        rows = [r._asdict() for r in s.execute(query)]
        balances = _fund_balances(s, [r["id"] for r in rows])
    for r in rows:
        r["balance"] = balances.get(r["id"], Decimal(0))
    return pd.DataFrame(rows, columns=["id", "fund", "group", "group_id", "kind", "currency", "administrator", "balance"])


def _fund_balances(s, fund_ids: list[int]) -> dict[int, Decimal | None]:
    """Each fund's cash balance in its own currency, as db/metrics/funding.fund_flows sums it
    (cash in minus out, each (day, currency) row converted at that day's rate, None when a
    rate is missing), for all the funds at once: entries in the fund's own currency are summed
    in SQL (converting them changes nothing); only the others are read per day."""
    if not fund_ids:
        return {}
    ids = tuple(fund_ids)
    flows = []
    for model, day, cash in ((Contribution, Contribution.received_on, Contribution.kind == ContributionKind.financial),
                             (Disbursement, Disbursement.spent_on, sa.true())):
        base = (select(model.fund_id, Fund.currency.label("fund_currency"), model.currency,
                       sa.func.sum(model.amount_minor).label("minor"))
                .join(Fund, Fund.id == model.fund_id)
                .where(model.fund_id.in_(ids), model.retired.is_(False), cash))
        sign = 1 if model is Contribution else -1
        same = base.where(model.currency == Fund.currency).group_by(model.fund_id, Fund.currency, model.currency)
        other = (base.add_columns(day.label("on")).where(model.currency != Fund.currency)
                 .group_by(model.fund_id, Fund.currency, model.currency, day))
        flows += [(r.fund_id, r.fund_currency, r.currency, r.minor, None, sign) for r in s.execute(same)]
        flows += [(r.fund_id, r.fund_currency, r.currency, r.minor, r.on, sign) for r in s.execute(other)]
    book = RateBook.load(s, {f[1] for f in flows} | {f[2] for f in flows}) if any(f[4] for f in flows) else RateBook()
    balances: dict[int, Decimal | None] = {}
    for fund_id, fund_currency, currency, minor, on, sign in flows:
        if fund_id in balances and balances[fund_id] is None:
            continue
        if on is None:
            value = from_minor(minor, currency)
        else:
            value, gap = book.try_convert(from_minor(minor, currency), currency, on, fund_currency)
            if gap:
                balances[fund_id] = None
                continue
        balances[fund_id] = balances.get(fund_id, Decimal(0)) + sign * value
    return balances


@dataclass(frozen=True)
class FundDetail:
    id: int
    name: str
    group: str
    group_id: int
    kind: str
    currency: str
    administrator: str
    governance_notes: str
    balance: Decimal | None
    ledger: pd.DataFrame  # date, entry, party, kind, amount, currency, in_fund_currency, balance, published, note
    missing: list


def fund_detail(actor: Actor, fund_id: int) -> FundDetail | None:
    """One fund: who administers it, its governance notes and its ledger in date order with a
    running cash balance in the fund's currency (in-kind support listed, not in the balance)."""
    authorize(actor, Action.view_funding)
    admin = aliased(Organisation)
    with session_scope() as s:
        head = s.execute(select(Fund.id, Fund.name, WorkingGroup.name.label("group"), Fund.group_id, Fund.kind,
                                Fund.currency, admin.name.label("administrator"), Fund.governance_notes)
                         .join(WorkingGroup, WorkingGroup.id == Fund.group_id)
                         .outerjoin(admin, admin.id == Fund.administrator_org_id)
                         .where(Fund.id == fund_id)).first()
        if head is None:
            return None
        incoming = s.execute(select(Contribution.received_on.label("on"), Contribution.id, Organisation.name.label("party"),
                                    Contribution.kind, Contribution.amount_minor, Contribution.currency,
                                    Contribution.published, Contribution.description, Contribution.earmark_purpose)
                             .join(Organisation, Organisation.id == Contribution.contributor_org_id)
                             .where(Contribution.fund_id == fund_id, Contribution.retired.is_(False))).all()
        outgoing = s.execute(select(Disbursement.spent_on.label("on"), Disbursement.id, Disbursement.purpose,
                                    Disbursement.amount_minor, Disbursement.currency, Disbursement.published,
                                    Disbursement.description)
                             .where(Disbursement.fund_id == fund_id, Disbursement.retired.is_(False))).all()
        book = RateBook.load(s, {r.currency for r in incoming} | {r.currency for r in outgoing} | {head.currency})
    entries, missing = [], set()
    for r in incoming:
        entries.append({"date": r.on, "entry": "contribution", "party": r.party, "kind": r.kind,
                        "amount": from_minor(r.amount_minor, r.currency), "currency": r.currency, "sign": 1,
                        "published": r.published, "description": r.description or r.earmark_purpose, "order": 0,
                        "id": r.id})
    for r in outgoing:
        entries.append({"date": r.on, "entry": "disbursement", "party": r.purpose, "kind": "financial",
                        "amount": from_minor(r.amount_minor, r.currency), "currency": r.currency, "sign": -1,
                        "published": r.published, "description": r.description, "order": 1, "id": r.id})
    entries.sort(key=lambda e: (e["date"], e["order"], e["id"]))
    balance, rows = Decimal(0), []
    for e in entries:
        value, gap = book.try_convert(e["amount"], e["currency"], e["date"], head.currency)
        note = ""
        cash = e["kind"] != ContributionKind.in_kind
        if gap:
            missing.add(gap)
            note = gap.message()
        elif cash:
            balance += e["sign"] * value
        rows.append({"date": e["date"], "entry": e["entry"], "party": e["party"], "kind": e["kind"],
                     "amount": e["sign"] * e["amount"], "currency": e["currency"],
                     "in_fund_currency": None if value is None else e["sign"] * value,
                     "balance": None if missing else balance, "published": e["published"],
                     "description": e["description"], "note": note})
    ledger = pd.DataFrame(rows, columns=["date", "entry", "party", "kind", "amount", "currency", "in_fund_currency",
                                         "balance", "published", "description", "note"])
    return FundDetail(head.id, head.name, head.group, head.group_id, head.kind, head.currency,
                      head.administrator or "", head.governance_notes, None if missing else balance, ledger,
                      sorted(missing, key=lambda m: (m.currency, m.on)))


# --------------------------------------------------------------------------- public view


def public_summary(actor: Actor, *, group_ids=(), countries=()) -> pd.DataFrame:
    """Published contributions and disbursements per working group and year, in the reporting
    currency: SQL sums minor units per group, currency, day (and form), Python converts each such
    row at its day's rate (rounded per row); unpublished entries are not read at all."""
    authorize(actor, Action.view_transparency)
    table: dict[tuple, dict] = {}
    with session_scope() as s:
        book = RateBook.load(s)
        for model, day, kind, column in (
                (Contribution, Contribution.received_on, Contribution.kind, "received"),
                (Disbursement, Disbursement.spent_on, sa.literal(ContributionKind.financial.value), "disbursed")):
            # Reporting-currency entries need no rate: summed per year in SQL; the others per day.
            year = sa.cast(sa.extract("year", day), sa.Integer)
            rows = []
            for when, same in ((year, True), (day, False)):
                query = (select(WorkingGroup.name.label("group"), model.currency, when.label("on"), kind.label("kind"),
                                sa.func.sum(model.amount_minor).label("minor"), sa.func.count().label("entries"))
                         .join(Fund, Fund.id == model.fund_id)
                         .join(WorkingGroup, WorkingGroup.id == Fund.group_id)
                         .where(model.retired.is_(False), model.published.is_(True),
                                (model.currency == REPORTING_CURRENCY) if same else (model.currency != REPORTING_CURRENCY))
                         .group_by(WorkingGroup.name, model.currency, when, kind))
                rows += s.execute(_where(query, group_ids, countries)).all()
            for r in rows:
                key = (r.group, r.on if isinstance(r.on, int) else r.on.year)
                entry = table.setdefault(key, {"group": key[0], "year": key[1], "received": Decimal(0),
                                               "in_kind": Decimal(0), "disbursed": Decimal(0), "entries": 0,
                                               "unconverted": 0})
                entry["entries"] += r.entries
                if isinstance(r.on, int):  # reporting currency: the amount is its value
                    value, gap = from_minor(r.minor, r.currency), None
                else:
                    value, gap = book.try_convert(from_minor(r.minor, r.currency), r.currency, r.on)
                if gap:
                    entry["unconverted"] += r.entries
                    continue
                entry[column] += value
                if column == "received" and r.kind == ContributionKind.in_kind:
                    entry["in_kind"] += value
    rows = sorted(table.values(), key=lambda e: (e["group"], -e["year"]))
    return pd.DataFrame(rows, columns=["group", "year", "received", "in_kind", "disbursed", "entries", "unconverted"])


def public_contributions(actor: Actor, *, group_ids=(), countries=()) -> pd.DataFrame:
    """Published contributions only, organisations only (no people, no record ids)."""
    authorize(actor, Action.view_transparency)
    frame = contributions(actor, group_ids=group_ids, countries=countries, published_only=True)
    return frame[["received_on", "group", "fund", "contributor", "pillar", "kind", "amount", "currency",
                  "value_usd", "rate_note", "earmarked", "earmark_purpose"]]


def public_disbursements(actor: Actor, *, group_ids=(), countries=()) -> pd.DataFrame:
    """Published disbursements only; the approver appears as an organisation, never a person."""
    authorize(actor, Action.view_transparency)
    frame = disbursements(actor, group_ids=group_ids, countries=countries, published_only=True)
    return frame[["spent_on", "group", "fund", "purpose", "amount", "currency", "value_usd", "rate_note",
                  "activity", "approved_by"]]


# --------------------------------------------------------------------------- form options


def fund_options(actor: Actor, *, editable_only: bool = True) -> pd.DataFrame:
    """Funds the actor may record contributions against: coordinators their groups'; admins and HQ all."""
    authorize(actor, Action.data_entry)
    query = (select(Fund.id, Fund.name, Fund.currency, Fund.group_id, WorkingGroup.name.label("group"))
             .join(WorkingGroup, WorkingGroup.id == Fund.group_id).order_by(WorkingGroup.name, Fund.name))
    if editable_only:
        query = query.where(group_scope(actor, Action.edit_contribution).sql(Fund.group_id))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)], columns=["id", "name", "currency", "group_id", "group"])


def contributor_options(actor: Actor) -> pd.DataFrame:
    """Organisations the actor may record as contributor (HQ: own company and subsidiaries)."""
    authorize(actor, Action.data_entry)
    query = select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name)
    query = query.where(company_scope(actor, Action.edit_contribution).sql(Organisation.id))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)], columns=["id", "name", "kind"])


def group_links(group_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A group's activities and work plan items (id, title) a disbursement may point at."""
    with session_scope() as s:
        acts = s.execute(select(Activity.id, Activity.title, Activity.starts_at).where(Activity.group_id == group_id)
                         .order_by(Activity.starts_at.desc()).limit(500)).all()
        items = s.execute(select(WorkPlanItem.id, WorkPlanItem.title)
                          .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
                          .where(WorkPlan.group_id == group_id).order_by(WorkPlanItem.title)).all()
    return (pd.DataFrame([{"id": a.id, "title": f"{a.starts_at:%Y-%m-%d} {a.title}"} for a in acts], columns=["id", "title"]),
            pd.DataFrame([r._asdict() for r in items], columns=["id", "title"]))


def exchange_rates(actor: Actor, currency: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """Stored exchange rates to the reporting currency, newest first."""
    authorize(actor, Action.view_funding)
    query = select(ExchangeRate.currency, ExchangeRate.rate_date, ExchangeRate.rate) \
        .order_by(ExchangeRate.rate_date.desc(), ExchangeRate.currency).limit(limit)
    if currency:
        query = query.where(ExchangeRate.currency == currency)
    with session_scope() as s:
        rows = [r._asdict() for r in s.execute(query)]
    frame = pd.DataFrame(rows, columns=["currency", "rate_date", "rate"])
    frame["reporting_currency"] = REPORTING_CURRENCY
    return frame


RETIRE_OPTIONS = 200  # the newest entries a retire form offers


def retirable_contributions(actor: Actor) -> pd.DataFrame:
    """The newest contributions (not retired) the actor may retire: their groups' funds and,
    for HQ users, their own company's (id, version, received_on, fund, contributor, amount,
    currency)."""
    if not can(actor, Action.edit_contribution):
        raise PermissionDenied(_("Your role may not do this."))
    query = (select(Contribution.id, Contribution.version, Contribution.received_on, Fund.name.label("fund"),
                    Organisation.name.label("contributor"), Contribution.amount_minor.label("minor"),
                    Contribution.currency)
             .join(Fund, Fund.id == Contribution.fund_id)
             .join(Organisation, Organisation.id == Contribution.contributor_org_id)
             .where(Contribution.retired.is_(False),
                    group_scope(actor, Action.edit_contribution).sql(Fund.group_id),
                    company_scope(actor, Action.edit_contribution).sql(Contribution.contributor_org_id))
             .order_by(Contribution.received_on.desc(), Contribution.id.desc()).limit(RETIRE_OPTIONS))
    return _with_amounts(query, ["id", "version", "received_on", "fund", "contributor", "amount", "currency"])


def retirable_disbursements(actor: Actor) -> pd.DataFrame:
    """The newest disbursements (not retired) from funds of the actor's groups (id, version,
    spent_on, fund, purpose, amount, currency)."""
    if not can(actor, Action.edit_disbursement):
        raise PermissionDenied(_("Your role may not do this."))
    query = (select(Disbursement.id, Disbursement.version, Disbursement.spent_on, Fund.name.label("fund"),
                    Disbursement.purpose, Disbursement.amount_minor.label("minor"), Disbursement.currency)
             .join(Fund, Fund.id == Disbursement.fund_id)
             .where(Disbursement.retired.is_(False), group_scope(actor, Action.edit_disbursement).sql(Fund.group_id))
             .order_by(Disbursement.spent_on.desc(), Disbursement.id.desc()).limit(RETIRE_OPTIONS))
    return _with_amounts(query, ["id", "version", "spent_on", "fund", "purpose", "amount", "currency"])


def _with_amounts(query, columns: list[str]) -> pd.DataFrame:
    """Rows whose `minor` column becomes an exact `amount` in its currency."""
    with session_scope() as s:
        rows = [r._asdict() for r in s.execute(query)]
    for r in rows:
        r["amount"] = from_minor(r.pop("minor"), r["currency"])
    return pd.DataFrame(rows, columns=columns)


def currencies_in_use():
    """The currencies of funds and of live contributions and disbursements (a subquery with a
    `currency` column): what needs exchange rates. The setup checklist asks the same."""
    return sa.union(sa.select(Fund.currency),
                    sa.select(Contribution.currency).where(Contribution.retired == sa.false()),
                    sa.select(Disbursement.currency).where(Disbursement.retired == sa.false())).subquery()


RATE_WARNING_DAYS = 7  # how far ahead the Funding page warns of rates running out


@dataclass(frozen=True)
class RateRunningOut:
    currency: str
    latest: date | None  # its latest stored rate; None when it has none
    lacks_from: date     # the first day with no rate in force (today when it has none)


def rates_running_out(actor: Actor, within_days: int = RATE_WARNING_DAYS) -> list[RateRunningOut]:
    """Currencies in use (currencies_in_use; not the reporting currency) that will have no
    rate in force on some day of the next `within_days` days: their latest rate is dated more
    than RATE_MAX_AGE_DAYS before that day. Soonest first."""
    authorize(actor, Action.view_funding)
    used = currencies_in_use()
    latest = sa.select(ExchangeRate.currency, sa.func.max(ExchangeRate.rate_date).label("latest")) \
        .group_by(ExchangeRate.currency).subquery()
    query = sa.select(used.c.currency, latest.c.latest).select_from(used) \
        .outerjoin(latest, latest.c.currency == used.c.currency).where(used.c.currency != REPORTING_CURRENCY)
    as_of = today()
    horizon = as_of + timedelta(days=within_days)
    with session_scope() as s:
        rows = s.execute(query).all()
    found = [RateRunningOut(currency, last, last + timedelta(days=RATE_MAX_AGE_DAYS + 1) if last else as_of)
             for currency, last in rows]
    return sorted((r for r in found if r.lacks_from <= horizon), key=lambda r: (r.lacks_from, r.currency))
