"""The setup checklist's read: on an empty database every step is open, each step ticks as
its data arrives, the demo data completes it, and only admins may ask."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from db.engine import get_engine, session_scope
from db.errors import PermissionDenied
from db.models import Contribution, ExchangeRate, Fund, Membership, Organisation, Site, User, WorkingGroup
from db.permissions import SYSTEM, Actor
from db.reads import setup
from db.reads.setup import Step
from db.users import create_user
from db.vocab import Role
from tests.app.groups_fixtures import PASSWORD


def _open(actor=SYSTEM) -> list[Step]:
    return [item.step for item in setup.checklist(actor) if not item.done]


def _add(record) -> int:
    with session_scope() as s:
        s.add(record)
        s.flush()
        return record.id


def test_an_empty_database_has_every_step_open_in_order(empty_db):
    assert _open() == [Step.organisations, Step.sites, Step.groups, Step.members, Step.users, Step.fund, Step.rates]


def test_each_step_ticks_as_its_data_arrives(empty_db):
    org = _add(Organisation(name="Ministry of Lands", kind="government", country="GH"))
    assert Step.organisations not in _open()
    _add(Site(name="Obuasi mine", country="GH", latitude=6.2, longitude=-1.7, company_id=org))
    assert _open()[0] == Step.groups
    group = _add(WorkingGroup(name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
                              lead="joint", status="active"))
    assert _open() == [Step.members, Step.users, Step.fund, Step.rates]
    _add(Membership(group_id=group, org_id=org, role="member", since=date(2025, 1, 1)))
    assert _open() == [Step.users, Step.fund, Step.rates]
    create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD, role="coordinator",
                group_ids=[group])
    assert _open() == [Step.fund, Step.rates]
    # A fund in cedis needs a cedi rate; until then the step names the currency it lacks.
    fund = _add(Fund(group_id=group, name="Ashanti trust fund", kind="trust_fund", currency="GHS"))
    assert _open() == [Step.rates]
    assert {i.step: i.missing_rates for i in setup.checklist(SYSTEM)}[Step.rates] == ("GHS",)
    _add(ExchangeRate(currency="GHS", rate_date=date(2026, 1, 1), rate=Decimal("0.08")))
    assert _open() == []
    # A contribution in another currency opens the step again.
    _add(Contribution(fund_id=fund, contributor_org_id=org, kind="financial", amount_minor=100_00, currency="EUR",
                      received_on=date(2026, 2, 1)))
    assert {i.step: i.missing_rates for i in setup.checklist(SYSTEM)}[Step.rates] == ("EUR",)


def test_funds_in_the_reporting_currency_need_no_rate(empty_db):
    org = _add(Organisation(name="Ministry of Lands", kind="government", country="GH"))
    group = _add(WorkingGroup(name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
                              lead="joint", status="active"))
    _add(Fund(group_id=group, name="Direct budget", kind="direct_budget", currency="USD", administrator_org_id=org))
    assert Step.rates not in _open() and Step.fund not in _open()


def test_an_inactive_coordinator_or_an_admin_does_not_count_as_a_user(empty_db):
    group = _add(WorkingGroup(name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
                              lead="joint", status="active"))
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    create_user(SYSTEM, username="admin2", display_name="Abe Admin", password=PASSWORD, role="admin")
    user_id = create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD,
                          role="coordinator", group_ids=[group])
    assert Step.users not in _open()
    with session_scope() as s:
        s.get(User, user_id).active = False
    assert Step.users in _open()


def test_the_demo_data_completes_the_checklist(demo_db):
    assert _open() == []


def test_it_takes_two_queries(empty_db):
    queries: list[str] = []
    listener = lambda *args: queries.append(args[2])  # noqa: E731 (before_cursor_execute: statement)
    sa.event.listen(get_engine(), "before_cursor_execute", listener)
    try:
        setup.checklist(SYSTEM)
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", listener)
    assert 1 <= len(queries) <= 2, queries


@pytest.mark.parametrize("role", [Role.coordinator, Role.hq, Role.viewer])
def test_only_admins_may_read_it(empty_db, role):
    with pytest.raises(PermissionDenied):
        setup.checklist(Actor(id=5, username="someone", role=role, group_ids=frozenset({1})))
