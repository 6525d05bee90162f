"""Company engagement scorecard: per company (its subsidiaries rolled up through
organisation.parent_id), what it did in the working groups over a period.

Columns, each defined once here and computed by the area that owns the figure:
- groups_joined: working groups in which the company or a subsidiary held a membership at
  some point of the period;
- invited, attended, attendance_rate: held meetings of the period its organisations were
  invited to, and attended (db/metrics/engagement.organisation_engagement);
- commitments_due, done_on_time, kept, promise_keeping: commitments it owns due in the period,
  those done by their due date, and those verified as kept by an organisation of another
  pillar (same source);
- contributions: financial and in-kind contributions received in the period, in the
  reporting currency (db/metrics/funding.received_by_contributor);
- issues_open, issues_resolved: issues at its sites open at the end of the period, and
  resolved within it;
- people_trained, training_sessions: security training held at its sites in the period
  (db/metrics/learning.training_by_site: the units that protect its operations).
A figure with nothing to measure is None ("no data"), never 0."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Issue, Membership, Organisation, Site
from db.periods import Period, year_to_date
from db.permissions import Action, Actor, authorize
from db.reads.overview import Scope, open_on
from db.vocab import OrgKind

COLUMNS = ["company_id", "company", "country", "subsidiaries", "groups_joined", "invited", "attended",
           "attendance_rate", "commitments_due", "done_on_time", "kept", "promise_keeping",
           "contributions", "issues_open", "issues_resolved", "people_trained", "training_sessions"]


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    country: str
    family: frozenset[int]   # the company and all its subsidiaries


def companies(company_ids: Sequence[int] | None = None) -> list[Company]:
    """Group companies: organisations of kind company without a parent, with their families."""
    with session_scope() as s:
        rows = s.execute(select(Organisation.id, Organisation.name, Organisation.kind, Organisation.country,
                                Organisation.parent_id)).all()
    children: dict[int, list[int]] = {}
    for org_id, _name, _kind, _country, parent in rows:
        if parent is not None:
            children.setdefault(parent, []).append(org_id)
    found = []
    for org_id, name, kind, country, parent in sorted(rows, key=lambda r: r[1]):
        if kind != OrgKind.company or parent is not None:
            continue
        if company_ids and org_id not in company_ids:
            continue
        family, frontier = {org_id}, [org_id]
        while frontier:
            nxt = [c for f in frontier for c in children.get(f, []) if c not in family]
            family.update(nxt)
            frontier = nxt
        found.append(Company(org_id, name, country, frozenset(family)))
    return found


def company_of(company_id: int) -> Company | None:
    """The group company whose family holds this organisation (itself, or its top parent)."""
    for company in companies():
        if company_id in company.family:
            return company
    return None


def scorecard(actor: Actor, countries: Sequence[str] = (), group_ids: Sequence[int] = (),
              period: Period | None = None, company_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per group company (see the module docstring for each column)."""
    from db.metrics import engagement, funding, learning

    authorize(actor, Action.view_scorecard)
    period = period or year_to_date()
    scope = Scope(tuple(countries), tuple(int(g) for g in group_ids))
    listed = companies(company_ids)
    if not listed:
        return pd.DataFrame(columns=COLUMNS)
    owner = {org: c.id for c in listed for org in c.family}
    all_orgs = sorted(owner)

    engagement_rows = engagement.organisation_engagement(
        actor, org_ids=all_orgs, group_ids=scope.group_ids or None, countries=scope.countries or None,
        period=period, as_of=min(period.end, _today()))
    engagement_rows["company_id"] = engagement_rows["org_id"].map(owner)
    sums = engagement_rows.groupby("company_id")[["invited", "attended", "commitments_due", "done_on_time",
                                                  "kept"]].sum()

    money = funding.received_by_contributor(group_ids=scope.group_ids, countries=scope.countries, period=period,
                                            contributor_ids=tuple(all_orgs))
    money["company_id"] = money["org_id"].map(owner)
    contributions = {cid: sum(part["total"], Decimal(0)) for cid, part in money.groupby("company_id")}

    with session_scope() as s:
        groups_of = s.execute(
            select(Membership.org_id, Membership.group_id)
            .where(Membership.org_id.in_(all_orgs), Membership.since <= period.end,
                   sa.or_(Membership.until.is_(None), Membership.until >= period.start),
                   *scope.where(Membership.group_id))).all()
        site_owner = dict(s.execute(select(Site.id, Site.company_id).where(Site.company_id.in_(all_orgs))).all())
        open_by_site = dict(s.execute(
            select(Issue.site_id, sa.func.count(Issue.id))
            .where(open_on(period.end), Issue.site_id.in_(list(site_owner) or [-1]), *scope.where(Issue.group_id))
            .group_by(Issue.site_id)).all())
        resolved_by_site = dict(s.execute(
            select(Issue.site_id, sa.func.count(Issue.id))
            .where(Issue.retired == False, Issue.resolved_on.is_not(None),  # noqa: E712
                   Issue.resolved_on >= period.start, Issue.resolved_on <= period.end,
                   Issue.site_id.in_(list(site_owner) or [-1]), *scope.where(Issue.group_id))
            .group_by(Issue.site_id)).all())
    groups_by_company: dict[int, set[int]] = {}  # distinct per company, not summed per organisation
    for org_id, group_id in groups_of:
        groups_by_company.setdefault(owner[org_id], set()).add(group_id)

    training = learning.training_by_site(actor, tuple(scope.resolved_group_ids() or ()), period.start, period.end)
    training = training[training["site_id"].isin(list(site_owner))]
    training = training.assign(company_id=training["site_id"].map(lambda site: owner[site_owner[site]]))
    trained = training.groupby("company_id")[["people_trained", "sessions"]].sum()

    def per_company(counts: dict[int, int], company: Company) -> int | None:
        sites = [site for site, org in site_owner.items() if org in company.family]
        return sum(counts.get(site, 0) for site in sites) if sites else None

    rows = []
    for company in listed:
        e = sums.loc[company.id] if company.id in sums.index else None
        invited = int(e["invited"]) if e is not None else 0
        due = int(e["commitments_due"]) if e is not None else 0
        has_sites = any(org in company.family for org in site_owner.values())
        rows.append(dict(
            company_id=company.id, company=company.name, country=company.country,
            subsidiaries=len(company.family) - 1,
            groups_joined=len(groups_by_company.get(company.id, ())),
            invited=invited, attended=int(e["attended"]) if e is not None else 0,
            attendance_rate=(int(e["attended"]) / invited) if invited else None,
            commitments_due=due, done_on_time=int(e["done_on_time"]) if e is not None else 0,
            kept=int(e["kept"]) if e is not None else 0,
            promise_keeping=(int(e["kept"]) / due) if due else None,
            contributions=contributions.get(company.id),
            issues_open=per_company(open_by_site, company),
            issues_resolved=per_company(resolved_by_site, company),
            people_trained=int(trained.loc[company.id, "people_trained"]) if company.id in trained.index
            else (0 if has_sites else None),
            training_sessions=int(trained.loc[company.id, "sessions"]) if company.id in trained.index
            else (0 if has_sites else None),
        ))
    return pd.DataFrame(rows, columns=COLUMNS)


def _today():
    from db.periods import today

    return today()
