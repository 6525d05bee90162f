"""Funding writes: permissions by fund group and contributor company, exact amounts, ISO
currencies, missing rates named, no overdraft now or later, retiring, rates, audit, and two
disbursements racing on one fund (SQLite and PostgreSQL)."""
import threading
import time
from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db import engine as db_engine
from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.metrics.funding import fund_balance_over_time
from db.migrate import upgrade
from db.models import AuditEntry, Contribution, Disbursement, ExchangeRate
from db.permissions import SYSTEM
from db.writes import funding as w
from tests.unit.small_world import build_world


@pytest.fixture
def world(empty_db):
    return build_world()


def _give(world, amount="100.00", currency="USD", on=date(2026, 3, 1), fund=None, org=None, **extra):
    return w.record_contribution(SYSTEM, {"fund_id": fund or world.fund_a, "contributor_org_id": org or world.parent_co,
                                          "amount": amount, "currency": currency, "received_on": on, **extra})


def _spend(actor, world, amount, on=date(2026, 3, 10), fund=None, **extra):
    return w.record_disbursement(actor, {"fund_id": fund or world.fund_a, "amount": amount, "spent_on": on,
                                         "purpose": "meetings", "approved_by_org_id": world.ngo, **extra})


def _audits(table):
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table)))


def test_create_fund_checks_group_and_currency(world):
    coordinator = world.actor("coord1")
    fund = w.create_fund(coordinator, {"group_id": world.group_a, "name": "Alpha pooled fund", "kind": "pooled_fund",
                                       "currency": "ghs", "administrator_org_id": world.ngo})
    assert fund.currency == "GHS" and _audits("fund")[-1].row_id == fund.id
    with pytest.raises(PermissionDenied):
        w.create_fund(coordinator, {"group_id": world.group_b, "name": "Beta pooled fund", "kind": "pooled_fund",
                                    "currency": "USD"})
    with pytest.raises(ValidationFailed) as refused:
        w.create_fund(coordinator, {"group_id": world.group_a, "name": "Odd fund", "kind": "trust_fund",
                                    "currency": "XYZ"})
    assert "currency" in refused.value.errors and "ISO 4217" in refused.value.errors["currency"]


def test_contribution_is_stored_exactly_in_minor_units_with_an_audit_entry(world):
    record = w.record_contribution(world.actor("hq1"), {
        "fund_id": world.fund_b, "contributor_org_id": world.subsidiary, "amount": "1 234.56", "currency": "USD",
        "received_on": date(2026, 3, 1), "earmarked": True, "earmark_purpose": "training", "published": True})
    with session_scope() as s:
        stored = s.get(Contribution, record.id)
    assert (stored.amount_minor, stored.currency, stored.earmarked, stored.published) == (123456, "USD", True, True)
    assert stored.recorded_by_user_id == world.actor("hq1").id
    assert '"amount_minor": 123456' in _audits("contribution")[-1].after


def test_contribution_permissions(world):
    hq, coordinator, viewer = world.actor("hq1"), world.actor("coord1"), world.actor("viewer1")
    with pytest.raises(PermissionDenied):
        _contribution_as(hq, world, org=world.other_co)
    with pytest.raises(PermissionDenied):
        _contribution_as(coordinator, world, fund=world.fund_b)
    with pytest.raises(PermissionDenied):
        _contribution_as(viewer, world)
    assert _contribution_as(coordinator, world, org=world.other_co).id
    with session_scope() as s:
        assert s.exec(select(sa.func.count()).select_from(Contribution)).one() == 1


def _contribution_as(actor, world, fund=None, org=None):
    return w.record_contribution(actor, {"fund_id": fund or world.fund_a, "contributor_org_id": org or world.parent_co,
                                         "amount": "10", "currency": "USD", "received_on": date(2026, 3, 1)})


@pytest.mark.parametrize("changes, field, words", [
    ({"amount": "12.345"}, "amount", "USD has 2 decimals"),
    ({"amount": "0"}, "amount", "more than zero"),
    ({"amount": "-4"}, "amount", "positive number"),
    ({"amount": "ten"}, "amount", "positive number"),
    ({"currency": "ABC"}, "currency", "ISO 4217"),
    ({"currency": "JPY", "amount": "10.5"}, "amount", "JPY has no minor unit"),
    ({"kind": "in_kind", "description": ""}, "description", "Describe the in-kind support"),
    ({"earmarked": True, "earmark_purpose": ""}, "earmark_purpose", "earmarked"),
])
def test_contribution_validation(world, changes, field, words):
    with pytest.raises(ValidationFailed) as refused:
        _give(world, **{"amount": "10", **changes})
    assert words in refused.value.errors[field]
    with session_scope() as s:
        assert s.exec(select(sa.func.count()).select_from(Contribution)).one() == 0


def test_missing_rate_is_refused_by_name_and_accepted_once_the_rate_exists(world):
    with pytest.raises(ValidationFailed) as refused:
        _give(world, amount="100", currency="EUR", on=date(2026, 3, 1))
    message = refused.value.errors["currency"]
    assert "EUR" in message and "2026-03-01" in message
    w.save_exchange_rate(SYSTEM, {"currency": "EUR", "rate_date": date(2026, 2, 1), "rate": "1.1"})
    record = _give(world, amount="100", currency="EUR", on=date(2026, 3, 1))
    assert (record.amount_minor, record.currency) == (10000, "EUR")
    balance = fund_balance_over_time(world.fund_a)
    assert list(balance["balance"]) == [D("110.00")]   # converted into the USD fund at 1.1


def test_in_kind_does_not_fund_a_disbursement(world):
    _give(world, amount="500", kind="in_kind", description="Venue for three meetings")
    with pytest.raises(ValidationFailed) as refused:
        _spend(SYSTEM, world, "1")
    assert "balance available on 2026-03-10 is $0.00" in refused.value.errors["amount"]


def test_disbursement_may_not_overdraw_now_or_later(world):
    _give(world, amount="100.00", on=date(2026, 3, 1))
    _spend(SYSTEM, world, "60.00", on=date(2026, 3, 20))
    with pytest.raises(ValidationFailed) as now:
        _spend(SYSTEM, world, "100.01", on=date(2026, 3, 25))
    assert "balance available on 2026-03-25 is $40.00" in now.value.errors["amount"]
    with pytest.raises(ValidationFailed) as later:   # backdated: fine on 03-10, but 03-20 would go below zero
        _spend(SYSTEM, world, "50.00", on=date(2026, 3, 10))
    assert "2026-03-20" in later.value.errors["amount"] and "$40.00" in later.value.errors["amount"]
    assert _spend(SYSTEM, world, "40.00", on=date(2026, 3, 10)).amount_minor == 4000
    with pytest.raises(ValidationFailed):
        _spend(SYSTEM, world, "0.01", on=date(2026, 12, 1))


def test_disbursement_permissions_and_links(world):
    _give(world, amount="100", fund=world.fund_b)
    _give(world, amount="100", fund=world.fund_a)
    with pytest.raises(PermissionDenied):
        _spend(world.actor("coord1"), world, "10", fund=world.fund_b)
    with pytest.raises(PermissionDenied):
        _spend(world.actor("hq1"), world, "10")
    record = _spend(world.actor("coord1"), world, "10", approved_by_name="J. Mensah", purpose="training")
    assert (record.purpose, record.currency, record.approved_by_name) == ("training", "USD", "J. Mensah")
    with pytest.raises(ValidationFailed) as refused:
        _spend(SYSTEM, world, "10", activity_id=999)
    assert "activity_id" in refused.value.errors
    with pytest.raises(ValidationFailed):
        _spend(SYSTEM, world, "10", purpose="parties")


def test_retiring_keeps_the_row_and_refuses_an_overdraft(world):
    first = _give(world, amount="100", on=date(2026, 3, 1))
    second = _give(world, amount="50", on=date(2026, 3, 2))
    _spend(SYSTEM, world, "120", on=date(2026, 3, 5))
    with pytest.raises(ValidationFailed) as refused:
        w.retire_contribution(SYSTEM, second.id, second.version)
    assert "below zero" in refused.value.errors["form"]
    spent = _spend(SYSTEM, world, "20", on=date(2026, 3, 6))
    w.retire_disbursement(SYSTEM, spent.id, spent.version)
    with session_scope() as s:
        assert s.get(Disbursement, spent.id).retired is True
    assert list(fund_balance_over_time(world.fund_a)["balance"]) == [D("100.00"), D("150.00"), D("30.00")]
    assert first.id


def test_exchange_rates_are_added_then_replaced_with_audit(world):
    w.save_exchange_rate(world.actor("admin1"), {"currency": "GHS", "rate_date": date(2026, 1, 1), "rate": "0.0812"})
    w.save_exchange_rate(world.actor("admin1"), {"currency": "GHS", "rate_date": date(2026, 1, 1), "rate": "0.0815"})
    with session_scope() as s:
        rates = list(s.exec(select(ExchangeRate)))
    assert [(r.currency, r.rate) for r in rates] == [("GHS", D("0.0815"))]
    assert [a.action for a in _audits("exchange_rate")] == ["create", "update"]
    for bad, words in [({"rate": "0"}, "more than zero"), ({"rate": "x"}, "number"), ({"currency": "USD"}, "reporting"),
                       ({"currency": "QQQ"}, "ISO 4217")]:
        with pytest.raises(ValidationFailed) as refused:
            w.save_exchange_rate(SYSTEM, {"currency": "GHS", "rate_date": date(2026, 1, 2), "rate": "0.08", **bad})
        assert words in " ".join(refused.value.errors.values())
    for username in ("hq1", "coord1"):  # rates are global: admins only
        with pytest.raises(PermissionDenied):
            w.save_exchange_rate(world.actor(username), {"currency": "GHS", "rate_date": date(2026, 1, 2), "rate": "0.08"})


def _race(world, monkeypatch):
    """Two disbursements of 60 against a balance of 100 at the same moment: one must lose."""
    _give(world, amount="100", on=date(2026, 3, 1))
    monkeypatch.setattr(w, "_after_balance_check", lambda: time.sleep(0.4))  # widen the window
    start, outcomes = threading.Barrier(2), []

    def spend():
        start.wait()
        try:
            _spend(SYSTEM, world, "60", on=date(2026, 3, 5))
            outcomes.append("saved")
        except ValidationFailed as error:
            outcomes.append(error.errors["amount"])

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes, key=len)[0] == "saved" and len(outcomes) == 2
    assert "balance available on 2026-03-05 is $40.00" in sorted(outcomes, key=len)[1]
    with session_scope() as s:
        spent = s.exec(select(sa.func.sum(Disbursement.amount_minor))).one()
    assert spent == 6000


def test_two_disbursements_racing_cannot_overdraw_on_sqlite(world, monkeypatch):
    _race(world, monkeypatch)


def test_two_disbursements_racing_cannot_overdraw_on_postgresql(pg_url, monkeypatch):
    upgrade(db_engine.get_engine(pg_url))
    db_engine.use_database(pg_url)
    try:
        _race(build_world(), monkeypatch)
    finally:
        db_engine.use_database(None)
