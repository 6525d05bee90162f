"""The Exchange rates import on the Data entry page: an admin checks then imports a rates file
and sees the counts; a coordinator is not offered the kind."""
from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from db.engine import session_scope
from db.models import ExchangeRate
from tests.app.form_page import upload_for_import
from tests.conftest import page

RATES = "currency,date,rate\nCHF,2026-11-02,1.13\nCHF,2026-11-03,1.14\n"


def data_entry(username: str):
    return page("pages/data_entry.py", username, query={"section": "import"}).run()


def test_an_admin_imports_a_rates_file(demo_db):
    at = data_entry("admin")
    upload_for_import(at, "exchange_rates", "rates.csv", RATES)
    assert any("The file is valid: exchange_rate: 2 new" in i.value for i in at.info)
    at.button(key="imp_apply").click().run()
    assert not at.exception
    assert any("Imported rates.csv: exchange_rate: 2 new." in s.value for s in at.success)
    with session_scope() as s:
        stored = s.exec(select(ExchangeRate).where(ExchangeRate.currency == "CHF")).all()
    assert sorted(Decimal(r.rate) for r in stored) == [Decimal("1.13"), Decimal("1.14")]


def test_a_coordinator_is_not_offered_rates(demo_db):
    at = data_entry("coordinator")
    assert "Exchange rates" not in at.selectbox(key="imp_kind").options
