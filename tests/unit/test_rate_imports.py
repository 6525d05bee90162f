"""The Exchange rates import: rates land once with one audit entry, a stored (currency, date)
is updated or reported unchanged (never duplicated), bad rows are named by row and column with
the rate form's own messages, and only admins may import rates."""
from __future__ import annotations

import json
from decimal import Decimal

from sqlmodel import select

from db.engine import session_scope
from db.imports.spec import kinds_for
from db.models import ExchangeRate
from tests.conftest import actor
from tests.unit.test_imports import audit_total, bulk_entries, count, run_import


def rates(*rows: tuple[str, str, str]) -> list[dict]:
    return [{"currency": c, "date": d, "rate": r} for c, d, r in rows]


def stored_chf() -> list[tuple[str, Decimal]]:
    with session_scope() as s:
        found = s.exec(select(ExchangeRate).where(ExchangeRate.currency == "CHF").order_by(ExchangeRate.rate_date))
        return [(r.rate_date.isoformat(), Decimal(r.rate)) for r in found]


def test_rates_land_once_and_a_reimport_updates_or_leaves_them(demo_db):
    before = audit_total()
    plan, counts = run_import("admin", "exchange_rates", rates(("CHF", "2026-11-02", "1.1300"),
                                                               ("chf", "2026-11-03", "1.14")))
    assert plan.errors == []
    assert counts == {"exchange_rate": {"create": 2}}
    assert stored_chf() == [("2026-11-02", Decimal("1.1300")), ("2026-11-03", Decimal("1.14"))]
    assert audit_total() == before + 1
    [entry] = bulk_entries("exchange_rate")
    assert json.loads(entry.after)["counts"] == {"exchange_rate": {"create": 2}}

    _plan, counts = run_import("admin", "exchange_rates", rates(("CHF", "2026-11-02", "1.13"),
                                                                ("CHF", "2026-11-03", "1.15")))
    assert counts == {"exchange_rate": {"unchanged": 1, "update": 1}}
    assert stored_chf() == [("2026-11-02", Decimal("1.1300")), ("2026-11-03", Decimal("1.15"))]
    assert count(ExchangeRate, ExchangeRate.currency == "CHF") == 2


def test_bad_rows_are_named_and_nothing_is_written(demo_db):
    rows = rates(("CHF", "2026-11-02", "1.13"), ("XXQ", "2026-11-02", "1"), ("USD", "2026-11-02", "1"),
                 ("EUR", "2026-13-01", "1.1"), ("EUR", "2026-11-05", "-2"), ("EUR", "2026-11-06", "abc"),
                 ("chf", "2026-11-02", "1.2"))
    plan, counts = run_import("admin", "exchange_rates", rows)
    assert counts is None
    found = {(e.row, e.column): e.reason for e in plan.errors}
    assert list(found) == [(3, "currency"), (4, "currency"), (5, "date"), (6, "rate"), (7, "rate"), (8, "date")]
    assert "XXQ is not an ISO 4217 currency code" in found[(3, "currency")]
    assert "USD is the reporting currency" in found[(4, "currency")]
    assert found[(6, "rate")] == "The rate must be more than zero."
    assert found[(7, "rate")] == "Enter the rate as a number, for example 0.0821."
    assert "row 2" in found[(8, "date")]
    assert stored_chf() == [] and bulk_entries("exchange_rate") == []


def test_only_admins_import_rates(demo_db):
    assert "exchange_rates" in [k.key for k in kinds_for(actor("admin"))]
    assert "exchange_rates" not in [k.key for k in kinds_for(actor("coordinator"))]
    assert "exchange_rates" not in [k.key for k in kinds_for(actor("hq"))]
    plan, counts = run_import("coordinator", "exchange_rates", rates(("CHF", "2026-11-02", "1.13")))
    assert counts is None and [(e.row, e.column) for e in plan.errors] == [(2, "currency")]
    assert stored_chf() == []
