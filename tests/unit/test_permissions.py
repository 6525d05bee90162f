"""The role-by-action table in db/permissions.py is what the data layer enforces: every role
against every action, scoped writes (a coordinator's own groups, HQ's own company), an audit
entry for every write, and no silent overwrite when two people save the same record."""
from __future__ import annotations

import json
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from small_world import build_world
from sqlmodel import select

from db.engine import session_scope
from db.errors import ConflictError, PermissionDenied, ValidationFailed
from db.models import AuditEntry, Contribution, Membership, MembershipUpdate, Organisation, OrganisationUpdate
from db.permissions import (
    FIELD_ACTIONS,
    GROUP_SCOPED,
    ROLE_ACTIONS,
    SHARED_SCOPED,
    Action,
    Actor,
    authorize,
    can,
)
from db.vocab import Role
from db.writes.base import create_record, update_record, validated

ALL = [(role, action) for role in Role for action in Action]
WRITE_ACTIONS = [a for a in Action if a.value.startswith(("edit_", "create_", "propose_", "decide_"))
                 or a in (Action.import_data,)]


def _plain_actor(role: Role, group_ids=(), company_ids=(), member_group_ids=()) -> Actor:
    return Actor(id=1, username=f"some_{role}", role=role, group_ids=frozenset(group_ids),
                 company_ids=frozenset(company_ids), member_group_ids=frozenset(member_group_ids))


# --------------------------------------------------------------------------- the table


def test_the_table_names_every_role():
    assert set(ROLE_ACTIONS) == set(Role)


@pytest.mark.parametrize("role,action", ALL, ids=[f"{r}-{a}" for r, a in ALL])
def test_can_follows_the_table(role, action):
    assert can(_plain_actor(role), action) == (action in ROLE_ACTIONS[role])


@pytest.mark.parametrize("role,action", ALL, ids=[f"{r}-{a}" for r, a in ALL])
def test_authorize_follows_the_table_within_scope(role, action):
    """Inside its own scope (its group, its company, a shared record only its group uses) each
    role may do exactly its actions."""
    actor = _plain_actor(role, group_ids={1}, company_ids={10}, member_group_ids={1})
    if action in ROLE_ACTIONS[role]:
        authorize(actor, action, group_id=1, company_id=10, used_by={1})
    else:
        with pytest.raises(PermissionDenied):
            authorize(actor, action, group_id=1, company_id=10, used_by={1})


@pytest.mark.parametrize("action", sorted(GROUP_SCOPED), ids=str)
def test_a_coordinator_is_refused_outside_their_groups(action):
    coordinator = _plain_actor(Role.coordinator, group_ids={1})
    authorize(coordinator, action, group_id=1)
    with pytest.raises(PermissionDenied):
        authorize(coordinator, action, group_id=2)
    with pytest.raises(PermissionDenied):
        authorize(coordinator, action, group_id=None)


@pytest.mark.parametrize("action", sorted(SHARED_SCOPED), ids=str)
def test_a_coordinator_edits_a_shared_record_only_when_their_groups_alone_use_it(action):
    coordinator = _plain_actor(Role.coordinator, group_ids={1, 2})
    authorize(coordinator, action, used_by={1})
    authorize(coordinator, action, used_by={1, 2})
    for used_by in ({1, 3}, {3}, set(), None):  # another group's too, or nobody's yet
        with pytest.raises(PermissionDenied):
            authorize(coordinator, action, used_by=used_by)
    authorize(_plain_actor(Role.admin), action, used_by={3})


def test_shared_registers_company_families_and_rates_are_admin_writes_but_coordinators_add():
    for action in (Action.edit_company_family, Action.edit_exchange_rate):
        assert [role for role in Role if action in ROLE_ACTIONS[role]] == [Role.admin]
    for action in (Action.create_organisation, Action.create_site):
        assert [role for role in Role if action in ROLE_ACTIONS[role]] == [Role.admin, Role.coordinator]
    assert FIELD_ACTIONS[("organisation", "parent_id")] == Action.edit_company_family


@pytest.mark.parametrize("action", WRITE_ACTIONS, ids=str)
def test_a_viewer_may_write_nothing(action):
    with pytest.raises(PermissionDenied):
        authorize(_plain_actor(Role.viewer), action, group_id=1, company_id=10)


def test_hq_records_contributions_of_its_own_company_family_only():
    hq = _plain_actor(Role.hq, company_ids={10, 11})
    authorize(hq, Action.edit_contribution, company_id=11)
    with pytest.raises(PermissionDenied):
        authorize(hq, Action.edit_contribution, company_id=12)
    with pytest.raises(PermissionDenied):
        authorize(hq, Action.propose_work_item, group_id=3)


def test_admin_only_actions_belong_to_admins_alone():
    for action in (Action.manage_users, Action.view_audit, Action.backup, Action.reset_demo):
        assert [role for role in Role if action in ROLE_ACTIONS[role]] == [Role.admin]


# --------------------------------------------------------------------------- the data layer


@pytest.fixture
def world(empty_db):
    return build_world()


def _audit(table: str, row_id: int) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table,
                                                    AuditEntry.row_id == row_id).order_by(AuditEntry.id)).all())


def _count(model) -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _audit_count() -> int:
    return _count(AuditEntry)


def test_a_viewers_write_is_refused_and_leaves_nothing(world):
    viewer = world.actor("viewer1")
    orgs, audits = _count(Organisation), _audit_count()
    with pytest.raises(PermissionDenied):
        create_record(viewer, Action.edit_organisation, Organisation(name="Sneaky Org", kind="company", country="GH"))
    with pytest.raises(PermissionDenied):
        update_record(viewer, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    assert (_count(Organisation), _audit_count()) == (orgs, audits)


def test_a_coordinator_writes_in_their_group_and_is_refused_in_another(world):
    coordinator = world.actor("coord1")
    assert coordinator.group_ids == {world.group_a}
    created = create_record(coordinator, Action.edit_membership,
                            Membership(group_id=world.group_a, org_id=world.other_co, role="member", since=date(2026, 1, 1)))
    assert created.id is not None
    before = _count(Membership)
    with pytest.raises(PermissionDenied):
        create_record(coordinator, Action.edit_membership,
                      Membership(group_id=world.group_b, org_id=world.other_co, role="member", since=date(2026, 1, 1)))
    with pytest.raises(PermissionDenied):
        update_record(coordinator, Action.edit_membership, Membership, world.membership_b, 1, MembershipUpdate(role="chair"))
    # nor may a record of their own group be moved into another group (a membership's group never changes)
    with pytest.raises(ValidationFailed):
        validated(MembershipUpdate, {"group_id": world.group_b})
    assert _count(Membership) == before
    with session_scope() as s:
        assert s.get(Membership, world.membership_b).role == "member"
        assert s.get(Membership, world.membership_a).group_id == world.group_a


def _contribution(world, contributor: int) -> Contribution:
    return Contribution(fund_id=world.fund_a, contributor_org_id=contributor, kind="financial",
                        amount_minor=500_00, currency="USD", received_on=date(2026, 3, 1))


def test_hq_records_its_own_companys_contribution_and_not_anothers(world):
    hq = world.actor("hq1")
    assert hq.company_ids == {world.parent_co, world.subsidiary}
    own = create_record(hq, Action.edit_contribution, _contribution(world, world.subsidiary),
                        company_id=world.subsidiary)
    assert own.id is not None
    with pytest.raises(PermissionDenied):
        create_record(hq, Action.edit_contribution, _contribution(world, world.other_co),
                      company_id=world.other_co)
    assert _count(Contribution) == 1


@pytest.mark.parametrize("model_name", ["organisation", "membership"])
def test_every_write_leaves_an_audit_entry_with_before_and_after(world, model_name):
    admin = world.actor("admin1")
    if model_name == "organisation":
        model, action = Organisation, Action.edit_organisation
        record = Organisation(name="Audit Test Org", kind="donor", country="KE")
        change, then = OrganisationUpdate(country="TZ"), OrganisationUpdate(vpshr_participant=True)
        field, value, then_field, then_value = "country", "TZ", "vpshr_participant", True
    else:  # memberships are ended, never deleted: history refers to them
        model, action = Membership, Action.edit_membership
        record = Membership(group_id=world.group_b, org_id=world.other_co, role="member", since=date(2026, 2, 1))
        change, then = MembershipUpdate(role="observer"), MembershipUpdate(until=date(2026, 6, 30))
        field, value, then_field, then_value = "role", "observer", "until", "2026-06-30"
    created = create_record(admin, action, record)
    update_record(admin, action, model, created.id, 1, change)
    update_record(admin, action, model, created.id, 2, then)
    entries = _audit(model.__tablename__, created.id)
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert all(e.username == "admin1" and e.user_id == admin.id for e in entries)
    create, update, last = entries
    assert create.before is None and json.loads(create.after)["id"] == created.id
    assert json.loads(update.before)[field] != value and json.loads(update.after)[field] == value
    assert json.loads(update.after)["version"] == 2
    assert json.loads(last.before)[then_field] != then_value and json.loads(last.after)[then_field] == then_value
    assert json.loads(last.after)[field] == value  # left unset by the second save: kept


def test_a_refused_write_leaves_no_audit_entry(world):
    audits = _audit_count()
    with pytest.raises(PermissionDenied):
        create_record(world.actor("coord1"), Action.edit_fund, _fund_in(world.group_b))
    assert _audit_count() == audits


def _fund_in(group_id):
    from db.models import Fund

    return Fund(group_id=group_id, name="Another fund", kind="pooled_fund", currency="EUR")


# --------------------------------------------------------------------------- no silent overwrite


def test_a_second_save_with_the_same_version_is_refused_with_the_stored_values(world):
    admin = world.actor("admin1")
    update_record(admin, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    with pytest.raises(ConflictError) as refused:
        update_record(admin, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="observer"))
    assert refused.value.stored["role"] == "chair"
    assert refused.value.stored["version"] == 2
    with session_scope() as s:
        stored = s.get(Membership, world.membership_a)
        assert (stored.role, stored.version) == ("chair", 2)
    assert [e.action for e in _audit("membership", world.membership_a)] == ["create", "update"]


def test_two_concurrent_writers_one_wins_one_conflicts_nothing_lost(world):
    admin = world.actor("admin1")
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def writer(role: str) -> None:
        start.wait()
        try:
            update_record(admin, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role=role))
            outcomes[role] = "saved"
        except ConflictError as error:
            outcomes[role] = error
        except Exception as error:
            outcomes[role] = repr(error)

    threads = [threading.Thread(target=writer, args=(role,)) for role in ("chair", "observer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [role for role, outcome in outcomes.items() if outcome == "saved"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].stored["role"] == saved[0]
    with session_scope() as s:
        stored = s.get(Membership, world.membership_a)
        assert (stored.role, stored.version) == (saved[0], 2)
    updates = [e for e in _audit("membership", world.membership_a) if e.action == "update"]
    assert len(updates) == 1 and json.loads(updates[0].after)["role"] == saved[0]
