"""The funding forms in AppTest, logged in as the demo users: valid input is saved exactly
(checked in the database and the audit log), invalid input is refused beside its field with
what was typed kept, and each role sees only what it may record."""
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.engine import session_scope
from db.models import AuditEntry, Contribution, Disbursement, ExchangeRate, Fund
from db.reads import funding as reads
from tests.conftest import actor, page, sign_in


def _forms():
    from components import forms_funding
    from components.auth import current_actor
    from components.forms import show_flash

    show_flash()
    forms_funding.render(current_actor())


def forms(username: str, part: str | None = None) -> AppTest:
    """The funding forms for `username`, on `part` when given."""
    at = AppTest.from_function(_forms, default_timeout=60)
    sign_in(at, username)
    at.run()
    if part:
        at.segmented_control(key="ff_part").set_value(part)
        at.run()
    return at


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _count(model) -> int:
    with session_scope() as s:
        return s.exec(select(sa.func.count()).select_from(model)).one()


def _last(model):
    with session_scope() as s:
        return s.exec(select(model).order_by(model.id.desc())).first()


def _last_audit(table: str) -> AuditEntry:
    with session_scope() as s:
        return s.exec(select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id.desc())).first()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _usd_fund(username: str) -> int:
    funds = reads.fund_options(actor(username))
    return int(funds[funds["currency"] == "USD"]["id"].iloc[0])


def test_admin_records_a_contribution_exactly(demo_db):
    at = forms("admin")
    fund_id = _usd_fund("admin")
    before = _count(Contribution)
    at.selectbox(key="ffc_fund").select(fund_id)
    org_id = int(reads.contributor_options(actor("admin"))["id"].iloc[0])
    at.selectbox(key="ffc_org").select(org_id)
    at.text_input(key="ffc_amount").input("1 234.56")
    at.date_input(key="ffc_date").set_value(date(2026, 11, 20))
    at.checkbox(key="ffc_earmarked").check()
    at.text_input(key="ffc_purpose").input("Community dialogue travel")
    at = submit(at, "Record contribution")
    assert not _errors(at) and "Contribution recorded." in [s.value for s in at.success]
    assert _count(Contribution) == before + 1
    stored = _last(Contribution)
    assert (stored.fund_id, stored.contributor_org_id, stored.amount_minor, stored.currency, stored.earmarked,
            stored.published) == (fund_id, org_id, 123456, "USD", True, False)
    assert stored.earmark_purpose == "Community dialogue travel" and stored.received_on == date(2026, 11, 20)
    assert _last_audit("contribution").row_id == stored.id


@pytest.mark.parametrize("amount, currency, message", [
    ("12.345", "USD", "USD has 2 decimals"), ("0", "USD", "more than zero"), ("1,5", "USD", "dot for decimals"),
    ("100", "KES", "No exchange rate for KES"),
])
def test_a_refused_contribution_keeps_what_was_typed(demo_db, amount, currency, message):
    at = forms("admin")
    before = _count(Contribution)
    at.selectbox(key="ffc_fund").select(_usd_fund("admin"))
    at.selectbox(key="ffc_org").select(int(reads.contributor_options(actor("admin"))["id"].iloc[0]))
    at.text_input(key="ffc_amount").input(amount)
    at.selectbox(key="ffc_currency").select(currency)
    at.date_input(key="ffc_date").set_value(date(2019, 1, 1))  # no demo rate this early
    at = submit(at, "Record contribution")
    assert any(message in e for e in _errors(at)), _errors(at)
    assert at.text_input(key="ffc_amount").value == amount
    assert _count(Contribution) == before


def test_hq_may_name_only_its_own_company_family(demo_db):
    hq = actor("hq")
    at = forms("hq")
    offered = reads.contributor_options(hq)
    assert set(offered["id"]) == set(hq.company_ids) and len(offered) >= 1
    assert sorted(at.selectbox(key="ffc_org").options) == sorted(offered["name"])
    labels = [b.label for b in at.button]
    assert "Record disbursement" not in labels and "Create fund" not in labels
    assert at.segmented_control(key="ff_part").options == ["Contribution", "Retire an entry"]


def test_coordinator_records_a_disbursement_and_is_refused_an_overdraft(demo_db):
    coordinator = actor("coordinator")
    at = forms("coordinator", "Disbursement")
    funds = reads.fund_options(coordinator)
    assert set(funds["group_id"]) <= set(coordinator.group_ids) and not funds.empty
    fund_id = int(at.selectbox(key="ffd_fund").value)
    detail = reads.fund_detail(coordinator, fund_id)
    assert detail.balance is not None and detail.balance > 1
    before = _count(Disbursement)
    too_much = str(detail.balance * 10)
    at.text_input(key="ffd_amount").input(too_much)
    at.selectbox(key="ffd_approver").select(int(reads.contributor_options(coordinator)["id"].iloc[0]))
    at = submit(at, "Record disbursement")
    assert any("would take the fund below zero" in e for e in _errors(at)), _errors(at)
    assert _count(Disbursement) == before and at.text_input(key="ffd_amount").value == too_much
    at.text_input(key="ffd_amount").input("1")
    at.selectbox(key="ffd_purpose").select("training")
    at.text_input(key="ffd_approver_name").input("A. Mensah")
    at = submit(at, "Record disbursement")
    assert not _errors(at), _errors(at)
    stored = _last(Disbursement)
    assert _count(Disbursement) == before + 1
    assert (stored.fund_id, stored.currency, stored.purpose, stored.approved_by_name) == \
        (fund_id, detail.currency, "training", "A. Mensah")
    assert stored.amount_minor == 10 ** {"JPY": 0}.get(detail.currency, 2)
    assert _last_audit("disbursement").row_id == stored.id


def test_fund_creation_valid_and_invalid(demo_db):
    at = forms("coordinator", "New fund")
    before = _count(Fund)
    at.text_input(key="fff_name").input("ab")
    at = submit(at, "Create fund")
    assert _errors(at) and _count(Fund) == before
    at.text_input(key="fff_name").input("Community dialogue pooled fund")
    at.selectbox(key="fff_currency").select("GHS")
    at = submit(at, "Create fund")
    assert not _errors(at), _errors(at)
    stored = _last(Fund)
    assert (stored.name, stored.currency) == ("Community dialogue pooled fund", "GHS")
    assert stored.group_id in actor("coordinator").group_ids
    assert _last_audit("fund").row_id == stored.id


def test_exchange_rate_valid_and_invalid(demo_db):
    at = forms("admin", "Exchange rates")
    before = _count(ExchangeRate)
    at.selectbox(key="ffr_currency").select("XOF")
    at.date_input(key="ffr_date").set_value(date(2026, 11, 26))
    at.text_input(key="ffr_rate").input("-1")
    at = submit(at, "Save rate")
    assert any("more than zero" in e for e in _errors(at)) and _count(ExchangeRate) == before
    at.text_input(key="ffr_rate").input("0.00165")
    at = submit(at, "Save rate")
    assert not _errors(at)
    with session_scope() as s:
        stored = s.exec(select(ExchangeRate).where(ExchangeRate.currency == "XOF",
                                                   ExchangeRate.rate_date == date(2026, 11, 26))).one()
    assert str(stored.rate) == "0.00165"


def test_only_admins_are_offered_exchange_rates(demo_db):
    """Rates are global (every group's figures use them): the form offers them to admins only."""
    assert "Exchange rates" in forms("admin").segmented_control(key="ff_part").options
    coordinator = forms("coordinator")
    assert not coordinator.exception, coordinator.exception
    assert coordinator.segmented_control(key="ff_part").options == ["Contribution", "Disbursement", "New fund", "Retire an entry"]


def test_viewer_has_no_data_entry(demo_db):
    at = page("pages/data_entry.py", "viewer").run()
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    with pytest.raises(KeyError):
        forms("viewer").segmented_control(key="ff_part")
