"""A tiny hand-made world for permission, audit and fault tests: two groups, a company with a
subsidiary, another company, one membership per group, one fund per group, and one user
per role (the coordinator holds group A only; HQ belongs to the parent company)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import Fund, Membership, Organisation, WorkingGroup
from db.permissions import SYSTEM, Action, Actor
from db.users import create_user, load_actor
from db.writes.base import create_record

PASSWORD = "correct-horse-42"


@dataclass
class World:
    group_a: int
    group_b: int
    parent_co: int
    subsidiary: int
    other_co: int
    ngo: int
    membership_a: int
    membership_b: int
    fund_a: int
    fund_b: int

    def actor(self, username: str) -> Actor:
        found = load_actor(username)
        assert found is not None, username
        return found


def _org(name: str, kind: str = "company", parent_id: int | None = None) -> int:
    return create_record(SYSTEM, Action.edit_organisation,
                         Organisation(name=name, kind=kind, country="GH", parent_id=parent_id)).id


def _group(name: str) -> int:
    return create_record(SYSTEM, Action.create_group,
                         WorkingGroup(name=name, country="GH", level="national",
                                      focus="security_human_rights", lead="joint", status="active")).id


def build_world() -> World:
    group_a, group_b = _group("Group Alpha"), _group("Group Beta")
    parent = _org("Alpha Holdings")
    subsidiary = _org("Alpha Mining Operations", parent_id=parent)
    other = _org("Beta Gold Corp")
    ngo = _org("Community Voice Network", kind="civil_society")
    membership_a = create_record(SYSTEM, Action.edit_membership,
                                 Membership(group_id=group_a, org_id=ngo, role="member", since=date(2025, 1, 1))).id
    membership_b = create_record(SYSTEM, Action.edit_membership,
                                 Membership(group_id=group_b, org_id=ngo, role="member", since=date(2025, 1, 1))).id
    fund_a = create_record(SYSTEM, Action.edit_fund, Fund(group_id=group_a, name="Alpha trust fund",
                                                          kind="trust_fund", currency="USD")).id
    fund_b = create_record(SYSTEM, Action.edit_fund, Fund(group_id=group_b, name="Beta trust fund",
                                                          kind="trust_fund", currency="USD")).id
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD,
                role="coordinator", group_ids=[group_a])
    create_user(SYSTEM, username="hq1", display_name="Hank HQ", password=PASSWORD, role="hq", org_id=parent)
    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password=PASSWORD, role="viewer")
    return World(group_a, group_b, parent, subsidiary, other, ngo, membership_a, membership_b, fund_a, fund_b)
