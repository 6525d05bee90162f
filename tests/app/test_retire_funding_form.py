"""Retiring a wrongly entered contribution or disbursement through the Funding data entry form:
it leaves the Funding page's totals, stays in the database and the audit log, asks for a
confirmation and refuses a save made from an older version (hand-made world:
tests/unit/engagement_world.py, one USD fund with 1,000 + 250 received and 300 spent)."""
import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from components.funding_views import usd
from db.engine import session_scope
from db.models import AuditEntry, Contribution, Disbursement
from db.permissions import SYSTEM
from db.users import create_user
from db.writes import funding as funding_writes
from tests.conftest import actor, page, sign_in
from tests.unit.engagement_world import build

PERIOD = {"from": "2026-01-01", "to": "2026-11-27"}


@pytest.fixture
def world(empty_db):
    world = build()
    for username, groups in (("coord1", [world.group_a]), ("coord2", [world.group_b])):
        create_user(SYSTEM, username=username, display_name=username, password="correct-horse-42",
                    role="coordinator", group_ids=groups)
    create_user(SYSTEM, username="hq1", display_name="hq1", password="correct-horse-42", role="hq",
                org_id=world.company)
    coord = actor("coord1")
    fund = funding_writes.create_fund(coord, {"group_id": world.group_a, "name": "Ashanti Trust Fund",
                                              "kind": "trust_fund", "currency": "USD"})
    big = funding_writes.record_contribution(coord, {"fund_id": fund.id, "contributor_org_id": world.company,
                                                     "amount": "1000.00", "currency": "USD",
                                                     "received_on": date(2026, 3, 1)})
    wrong = funding_writes.record_contribution(coord, {"fund_id": fund.id, "contributor_org_id": world.ngo,
                                                       "amount": "250.00", "currency": "USD",
                                                       "received_on": date(2026, 4, 1)})
    spent = funding_writes.record_disbursement(coord, {"fund_id": fund.id, "amount": "300.00",
                                                       "spent_on": date(2026, 5, 1), "purpose": "meetings",
                                                       "approved_by_org_id": world.ngo})
    return SimpleNamespace(**vars(world), fund=fund.id, big=big.id, wrong=wrong.id, spent=spent.id)


def _forms():
    from components import forms_funding
    from components.auth import current_actor
    from components.forms import show_flash

    show_flash()
    forms_funding.render(current_actor())


def retire_part(username: str) -> AppTest:
    at = AppTest.from_function(_forms, default_timeout=60)
    sign_in(at, username)
    at.run()
    at.segmented_control(key="ff_part").set_value("Retire an entry").run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _row(model, row_id):
    with session_scope() as s:
        return s.get(model, row_id)


def _audit(table: str, row_id: int) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                           .order_by(AuditEntry.id)).all())


def test_a_contribution_retired_through_the_form_leaves_the_funding_totals(world):
    funding = page("pages/funding.py", "coord1", {**PERIOD, "group": str(world.group_a)}).run()
    assert _metric(funding, "Received") == usd(1250)

    at = retire_part("coord1")
    picker = at.selectbox(key="ffx_contribution")
    assert picker.options == ["2026-04-01 · $250.00 · Rights Watch Ghana · Ashanti Trust Fund",
                              "2026-03-01 · $1,000.00 · Goldridge Mining · Ashanti Trust Fund"]
    picker.select(world.wrong)
    at.checkbox(key="ffx_contribution_sure").check()
    at = _click(at, "Retire contribution")
    assert not at.error and "Contribution retired." in [s.value for s in at.success]
    assert at.selectbox(key="ffx_contribution").options == ["2026-03-01 · $1,000.00 · Goldridge Mining · Ashanti Trust Fund"]

    kept = _row(Contribution, world.wrong)
    assert kept.retired and kept.amount_minor == 25000  # kept, not deleted
    entry = _audit("contribution", world.wrong)[-1]
    assert (entry.action, entry.username) == ("update", "coord1")
    assert (json.loads(entry.before)["retired"], json.loads(entry.after)["retired"]) == (False, True)
    funding = page("pages/funding.py", "coord1", {**PERIOD, "group": str(world.group_a)}).run()
    assert _metric(funding, "Received") == usd(1000)
    assert _metric(funding, "Cash balance") == usd(700)


def test_retiring_asks_for_the_confirmation_beside_the_box(world):
    at = retire_part("coord1")
    at.selectbox(key="ffx_contribution").select(world.wrong)
    at = _click(at, "Retire contribution")
    assert [e.value for e in at.error] == ["Tick the box to confirm."]
    assert not _row(Contribution, world.wrong).retired


def test_retiring_what_paid_for_spending_is_refused_with_the_reason(world):
    funding_writes.retire_contribution(actor("coord1"), world.wrong, 1)
    at = retire_part("coord1")
    at.selectbox(key="ffx_contribution").select(world.big)
    at.checkbox(key="ffx_contribution_sure").check()
    at = _click(at, "Retire contribution")
    assert at.error and "This would take the fund below zero" in at.error[0].value
    assert not _row(Contribution, world.big).retired


def test_a_retire_made_from_an_older_version_is_refused(world):
    at = retire_part("coord1")
    at.selectbox(key="ffx_contribution").select(world.wrong)
    at.checkbox(key="ffx_contribution_sure").check()
    at.run()
    with session_scope() as s:  # someone else corrects the record meanwhile
        stored = s.get(Contribution, world.wrong)
        stored.version += 1
        s.add(stored)
    at = _click(at, "Retire contribution")
    assert at.error and not _row(Contribution, world.wrong).retired


def test_a_disbursement_is_retired_through_the_form(world):
    at = retire_part("coord1")
    at.radio(key="ffx_what").set_value("disbursement").run()
    picker = at.selectbox(key="ffx_disbursement")
    assert picker.options == ["2026-05-01 · $300.00 · Meetings · Ashanti Trust Fund"]
    at.checkbox(key="ffx_disbursement_sure").check()
    at = _click(at, "Retire disbursement")
    assert not at.error and "Disbursement retired." in [s.value for s in at.success]
    assert _row(Disbursement, world.spent).retired
    assert [e.action for e in _audit("disbursement", world.spent)] == ["create", "update"]


def test_a_coordinator_of_another_group_has_nothing_to_retire(world):
    at = retire_part("coord2")
    assert "Nothing you may retire has been recorded yet." in [i.value for i in at.info]


def test_an_hq_user_may_retire_only_its_own_companys_contributions(world):
    at = retire_part("hq1")
    assert not at.radio  # no disbursements for HQ: nothing to choose between
    assert at.selectbox(key="ffx_contribution").options == ["2026-03-01 · $1,000.00 · Goldridge Mining · Ashanti Trust Fund"]
