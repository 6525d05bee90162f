"""Funding metrics on a small world computed by hand: mixed currencies, in-kind, a missing
rate, a retired entry, two groups.

Rates (USD per unit): GHS 0.08 on 2026-01-01 and 2026-02-01, EUR 1.10 on 2026-01-01; none
for KES.
Contributions:
  1 Alpha Co   -> fund A (USD) 1000.00 USD  2026-02-01 cash, earmarked, published   = 1000.00
  2 Alpha Co   -> fund B (GHS) 5000.00 GHS  2026-01-10 cash, published             =  400.00
  3 Donor      -> fund A       200.00 EUR   2026-01-15 cash                        =  220.00
  4 NGO        -> fund A       150.00 USD   2026-03-01 in kind, published          =  150.00
  5 Beta Co    -> fund B       100.00 KES   2026-03-01 cash                        = missing rate
  6 Beta Co    -> fund A       999.00 USD   2026-02-01 cash, retired               = never counts
Disbursements: fund A 300.00 USD 2026-02-10 meetings (published); fund B 1000.00 GHS
2026-02-15 training = 80.00 USD."""
from datetime import date
from decimal import Decimal as D

import pytest

from db.engine import session_scope
from db.metrics import funding as m
from db.models import Contribution, Disbursement, ExchangeRate, Fund, Organisation, WorkingGroup
from db.money import MissingRate
from db.periods import Period

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def world(empty_db):
    with session_scope() as s:
        ga = WorkingGroup(name="Group A", country="GH", level="national", focus="security_human_rights", lead="joint", status="active")
        gb = WorkingGroup(name="Group B", country="KE", level="national", focus="security_human_rights", lead="joint", status="active")
        orgs = {name: Organisation(name=name, kind=kind, country="GH") for name, kind in
                [("Alpha Co", "company"), ("Beta Co", "company"), ("Donor", "donor"), ("NGO", "civil_society")]}
        s.add_all([ga, gb, *orgs.values()])
        s.flush()
        fa = Fund(group_id=ga.id, name="Fund A", kind="trust_fund", currency="USD")
        fb = Fund(group_id=gb.id, name="Fund B", kind="pooled_fund", currency="GHS")
        s.add_all([fa, fb])
        s.add_all([ExchangeRate(currency="GHS", rate_date=date(2026, 1, 1), rate=D("0.08")),
                   ExchangeRate(currency="GHS", rate_date=date(2026, 2, 1), rate=D("0.08")),
                   ExchangeRate(currency="EUR", rate_date=date(2026, 1, 1), rate=D("1.10"))])
        s.flush()
        o = {name: org.id for name, org in orgs.items()}

        def give(fund, org, minor, currency, on, kind="financial", **extra):
            s.add(Contribution(fund_id=fund.id, contributor_org_id=o[org], kind=kind, amount_minor=minor,
                               currency=currency, received_on=on, **extra))

        give(fa, "Alpha Co", 100000, "USD", date(2026, 2, 1), earmarked=True, earmark_purpose="training", published=True)
        give(fb, "Alpha Co", 500000, "GHS", date(2026, 1, 10), published=True)
        give(fa, "Donor", 20000, "EUR", date(2026, 1, 15))
        give(fa, "NGO", 15000, "USD", date(2026, 3, 1), kind="in_kind", description="Meeting room", published=True)
        give(fb, "Beta Co", 10000, "KES", date(2026, 3, 1))
        give(fa, "Beta Co", 99900, "USD", date(2026, 2, 1), retired=True, published=True)
        s.add(Disbursement(fund_id=fa.id, amount_minor=30000, currency="USD", spent_on=date(2026, 2, 10),
                           purpose="meetings", published=True))
        s.add(Disbursement(fund_id=fb.id, amount_minor=100000, currency="GHS", spent_on=date(2026, 2, 15),
                           purpose="training"))
        s.flush()
        return {"A": ga.id, "B": gb.id, "fund_a": fa.id, "fund_b": fb.id, **o}


def test_total_received_converts_each_row_and_leaves_out_the_missing_rate(world):
    assert m.total_received(period=YEAR) == D("1770.00")
    assert m.total_received(period=YEAR, group_ids=(world["A"],)) == D("1370.00")
    assert m.total_received(period=YEAR, countries=("KE",)) == D("400.00")
    assert m.total_received(period=Period(date(2026, 1, 1), date(2026, 1, 31))) == D("620.00")
    assert m.total_received(period=YEAR, published_only=True) == D("1550.00")
    assert m.total_received(period=YEAR, contributor_ids=(world["Alpha Co"],)) == D("1400.00")
    assert m.total_received(period=Period(date(2025, 1, 1), date(2025, 12, 31))) is None


def test_missing_rates_are_named(world):
    assert m.missing_rates(period=YEAR) == [MissingRate("KES", date(2026, 3, 1))]
    assert m.missing_rates(period=YEAR, group_ids=(world["A"],)) == []


def test_received_by_pillar_and_contributor(world):
    pillars = m.received_by_pillar(period=YEAR)
    assert pillars.to_dict("records") == [
        {"pillar": "company", "cash": D("1400.00"), "in_kind": D(0), "total": D("1400.00")},
        {"pillar": "civil_society", "cash": D(0), "in_kind": D("150.00"), "total": D("150.00")},
        {"pillar": "observer", "cash": D("220.00"), "in_kind": D(0), "total": D("220.00")},
    ]
    contributors = m.received_by_contributor(period=YEAR)
    assert list(contributors["contributor"]) == ["Alpha Co", "Donor", "NGO"]
    assert list(contributors["total"]) == [D("1400.00"), D("220.00"), D("150.00")]
    assert contributors["share"].iloc[0] == D("1400.00") / D("1770.00")


def test_the_largest_funders_share_counts_in_kind(world):
    def group_shares(period):
        judged = m.neutrality(period=period)
        return {r.group_id: (r.funder, r.share) for r in judged[judged["fund_id"].isna()].itertuples()}

    # Group A: Alpha 1000 of 1370, NGO's 150 in kind included
    assert group_shares(YEAR)[world["A"]] == ("Alpha Co", D("1000") / D("1370"))
    # January only: group A has Donor's 220 alone, group B Alpha's 400 alone
    assert group_shares(Period(date(2026, 1, 1), date(2026, 1, 31))) == {world["A"]: ("Donor", D(1)),
                                                                          world["B"]: ("Alpha Co", D(1))}


def test_neutrality_judges_each_group_alone(world):
    judged = m.neutrality(period=YEAR)
    groups = judged[judged["fund_id"].isna()]
    # Group A: Alpha 1000 of 1370; group B: Alpha 400 of 400 (Beta's KES has no rate)
    assert [(r.group_id, r.funder_id, r.funder, r.share) for r in groups.itertuples()] == [
        (world["A"], world["Alpha Co"], "Alpha Co", D("1000") / D("1370")),
        (world["B"], world["Alpha Co"], "Alpha Co", D(1)),
    ]
    for group in (world["A"], world["B"]):  # each group alone gives the same judgement
        alone = m.neutrality(period=YEAR, group_ids=(group,))
        assert groups.loc[groups["group_id"] == group, "share"].item() == alone["share"].iloc[0]


def test_earmarked_in_kind_and_published_shares(world):
    assert m.earmarked_share(period=YEAR) == D("1000") / D("1770")
    assert m.in_kind_share(period=YEAR) == D("150") / D("1770")
    assert m.published_share(period=YEAR) == D("0.6")  # 3 of 5 live entries, by number
    assert m.earmarked_share(period=Period(date(2025, 1, 1), date(2025, 1, 2))) is None


def test_disbursed_against_received_and_cash_balance(world):
    assert m.total_disbursed(period=YEAR) == D("380.00")
    assert m.disbursed_to_received(period=YEAR) == D("380") / D("1620")  # cash only
    assert m.cash_balance(period=YEAR) == D("1240.00")                   # in kind not cash
    assert m.cash_balance(period=YEAR, group_ids=(world["A"],)) == D("920.00")
    assert m.cash_balance(period=Period(date(2026, 1, 1), date(2026, 1, 31))) == D("620.00")
    assert m.total_disbursed(period=YEAR, published_only=True) == D("300.00")


def test_balance_over_time_by_month(world):
    frame = m.balance_over_time(period=Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert frame.to_dict("records") == [
        {"month": date(2026, 1, 31), "balance": D("620.00")},
        {"month": date(2026, 2, 28), "balance": D("1240.00")},
        {"month": date(2026, 3, 31), "balance": D("1240.00")},
    ]
    # A later period opens with the earlier balance
    later = m.balance_over_time(period=Period(date(2026, 4, 1), date(2026, 4, 15)))
    assert later.to_dict("records") == [{"month": date(2026, 4, 15), "balance": D("1240.00")}]


def test_spending_by_purpose(world):
    assert m.spending_by_purpose(period=YEAR).to_dict("records") == [
        {"purpose": "meetings", "amount": D("300.00")}, {"purpose": "training", "amount": D("80.00")}]


def test_fund_balance_in_its_own_currency(world):
    frame = m.fund_balance_over_time(world["fund_b"])
    assert frame.to_dict("records") == [{"date": date(2026, 1, 10), "balance": D("5000.00")},
                                        {"date": date(2026, 2, 15), "balance": D("4000.00")}]
    with session_scope() as s:
        flows = m.fund_flows(s, world["fund_b"])
    assert flows.missing == [MissingRate("KES", date(2026, 3, 1))]
    assert flows.lowest_from(date(2026, 2, 1)) == (D("4000.00"), date(2026, 2, 15))
    fund_a = m.fund_balance_over_time(world["fund_a"])
    # USD fund: +220 (EUR) on 01-15, +1000 on 02-01, -300 on 02-10; in kind and retired left out
    assert list(fund_a["balance"]) == [D("220.00"), D("1220.00"), D("920.00")]
