"""A funding world for the neutrality judgement, computed by hand (all amounts USD, 2026).

Parent Mining Ghana is a subsidiary of Parent Mining: one funder for neutrality.
  Group A (GH)  Fund A1: Parent Mining 300, Parent Mining Ghana 300, Donor 400  -> Parent Mining family 60%
                Fund A2: Donor 500                                               -> Donor 100%
                the group: Donor 900 of 1500                                     -> Donor 60%
  Group B (KE)  Fund B1: NGO 300, Donor 300, Parent Mining Ghana 400             -> Parent Mining family 40%
No single organisation gives more than half of all 2,500 (Donor 1,200 is 48%), and none gives
more than 40% of fund A1 on its own: only the per-group, per-fund, family view shows the risk."""
from __future__ import annotations

from datetime import date

from db.engine import session_scope
from db.models import Contribution, Fund, Organisation, WorkingGroup


def build() -> dict[str, int]:
    with session_scope() as s:
        ga = WorkingGroup(name="Group A", country="GH", level="national", focus="security_human_rights",
                          lead="joint", status="active")
        gb = WorkingGroup(name="Group B", country="KE", level="national", focus="security_human_rights",
                          lead="joint", status="active")
        parent = Organisation(name="Parent Mining", kind="company", country="GB")
        s.add_all([ga, gb, parent])
        s.flush()
        orgs = {"Parent Mining": parent,
                "Parent Mining Ghana": Organisation(name="Parent Mining Ghana", kind="company", country="GH",
                                                    parent_id=parent.id),
                "Donor": Organisation(name="Donor", kind="donor", country="US"),
                "NGO": Organisation(name="NGO", kind="civil_society", country="KE")}
        s.add_all(orgs.values())
        funds = {"A1": Fund(group_id=ga.id, name="Fund A1", kind="trust_fund", currency="USD"),
                 "A2": Fund(group_id=ga.id, name="Fund A2", kind="trust_fund", currency="USD"),
                 "B1": Fund(group_id=gb.id, name="Fund B1", kind="pooled_fund", currency="USD")}
        s.add_all(funds.values())
        s.flush()
        for fund, org, dollars in [("A1", "Parent Mining", 300), ("A1", "Parent Mining Ghana", 300),
                                   ("A1", "Donor", 400), ("A2", "Donor", 500), ("B1", "NGO", 300),
                                   ("B1", "Donor", 300), ("B1", "Parent Mining Ghana", 400)]:
            s.add(Contribution(fund_id=funds[fund].id, contributor_org_id=orgs[org].id, kind="financial",
                               amount_minor=dollars * 100, currency="USD", received_on=date(2026, 3, 1)))
        s.flush()
        return {"A": ga.id, "B": gb.id, **{f: fund.id for f, fund in funds.items()},
                **{name: org.id for name, org in orgs.items()}}
