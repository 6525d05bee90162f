"""Which currencies will have no exchange rate in force within the next week: the rate in force
on a date is the latest within RATE_MAX_AGE_DAYS (31) before it, so a currency whose latest rate
is dated D lacks one from D + 32 days. Hand-made funds, contributions and rates, fixed dates."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from db.models import Contribution, ExchangeRate, Fund
from db.permissions import SYSTEM, Action
from db.reads import funding
from db.writes.base import create_record
from tests.unit.small_world import build_world


def _rate(currency: str, day: date) -> None:
    create_record(SYSTEM, Action.edit_exchange_rate, ExchangeRate(currency=currency, rate_date=day, rate=Decimal("0.1")))


def _world():
    world = build_world()
    create_record(SYSTEM, Action.edit_fund, Fund(group_id=world.group_a, name="Cedi fund", kind="trust_fund", currency="GHS"))
    create_record(SYSTEM, Action.edit_fund, Fund(group_id=world.group_b, name="Franc fund", kind="trust_fund", currency="XOF"))
    for currency, retired in (("KES", False), ("NGN", True)):
        create_record(SYSTEM, Action.edit_contribution, Contribution(
            fund_id=world.fund_a, contributor_org_id=world.parent_co, kind="financial", amount_minor=1000,
            currency=currency, received_on=date(2026, 10, 1), retired=retired))
    _rate("GHS", date(2026, 10, 1))
    _rate("GHS", date(2026, 11, 1))    # in force up to 2026-12-02
    _rate("KES", date(2026, 11, 10))   # in force up to 2026-12-11
    _rate("NGN", date(2026, 1, 1))     # only a retired contribution uses it
    _rate("EUR", date(2026, 1, 1))     # no fund or contribution uses it
    return world


def test_currencies_that_lack_a_rate_within_a_week(empty_db, monkeypatch):
    admin = _world().actor("admin1")
    monkeypatch.setenv("AS_OF_DATE", "2026-11-27")
    found = funding.rates_running_out(admin)
    assert [(r.currency, r.latest, r.lacks_from) for r in found] == [
        ("XOF", None, date(2026, 11, 27)),              # never had a rate: lacking now
        ("GHS", date(2026, 11, 1), date(2026, 12, 3)),
    ]


def test_the_week_ends_on_the_seventh_day(empty_db, monkeypatch):
    coordinator = _world().actor("coord1")
    monkeypatch.setenv("AS_OF_DATE", "2026-11-26")  # GHS lacks one on day 7
    assert [r.currency for r in funding.rates_running_out(coordinator)] == ["XOF", "GHS"]  # soonest first
    monkeypatch.setenv("AS_OF_DATE", "2026-11-25")  # ... on day 8: not yet
    assert [r.currency for r in funding.rates_running_out(coordinator)] == ["XOF"]
    monkeypatch.setenv("AS_OF_DATE", "2026-12-05")  # KES's runs out on 2026-12-12
    assert [(r.currency, r.lacks_from) for r in funding.rates_running_out(coordinator)] == [
        ("GHS", date(2026, 12, 3)), ("XOF", date(2026, 12, 5)), ("KES", date(2026, 12, 12))]
