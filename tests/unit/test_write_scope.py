"""Writes stay inside the writer's scope: a commitment links only to an issue of its own working
group, and a lesson is shared only in the name of the writer's own groups and organisations
(coordinators: their groups and those groups' member organisations; HQ: their company family)."""
from __future__ import annotations

from datetime import date

import pytest
from issue_world import IssueWorld, build_issue_world

from db.errors import PermissionDenied, ValidationFailed
from db.models import Membership
from db.permissions import SYSTEM, Action
from db.writes import commitments as commitment_writes
from db.writes import learning as learning_writes
from db.writes.base import create_record


@pytest.fixture
def world(empty_db) -> IssueWorld:
    built = build_issue_world()
    # The community council sits in group A; the company in group B only.
    for group_id, org_id in ((built.group_a, built.community_org), (built.group_b, built.company_org)):
        create_record(SYSTEM, Action.edit_membership, Membership(group_id=group_id, org_id=org_id, role="member",
                                                                 since=date(2025, 1, 1)), group_id=group_id)
    return built


def commitment(world: IssueWorld, group_id: int, issue_id: int) -> dict:
    return {"group_id": group_id, "issue_id": issue_id, "owner_org_id": world.company_org,
            "description": "Pay the agreed compensation"}


def lesson(**changes) -> dict:
    return {"title": "Meet at the community hall", "text": "Holding the dialogue on neutral ground built trust.",
            "tags": "", "org_id": None, "group_id": None, "shared_on": date(2026, 3, 1), **changes}


# --------------------------------------------------------------------------- commitments


@pytest.mark.parametrize("username", ["coord2", "admin1"])
def test_a_commitment_links_only_to_an_issue_of_its_own_group(world, username):
    # coord2 edits group B; I4 is group A's confidential issue. Not even an admin may cross groups.
    with pytest.raises(ValidationFailed) as refused:
        commitment_writes.add_commitment(IssueWorld.actor(username), commitment(world, world.group_b, world.i4))
    assert "working group" in refused.value.errors["issue_id"]


def test_a_commitment_on_an_issue_of_its_group_is_saved(world):
    assert commitment_writes.add_commitment(IssueWorld.actor("coord2"), commitment(world, world.group_b, world.i5))
    assert commitment_writes.add_commitment(IssueWorld.actor("coord1"), commitment(world, world.group_a, world.i4))


def test_a_commitment_on_an_issue_that_does_not_exist_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        commitment_writes.add_commitment(IssueWorld.actor("coord2"), commitment(world, world.group_b, 999_999))
    assert "issue_id" in refused.value.errors


# --------------------------------------------------------------------------- lessons


def test_coordinator_shares_lessons_for_own_groups_only(world):
    coord = IssueWorld.actor("coord1")  # group A
    with pytest.raises(PermissionDenied):
        learning_writes.add_lesson(coord, lesson(group_id=world.group_b))
    assert learning_writes.add_lesson(coord, lesson(group_id=world.group_a)).group_id == world.group_a
    assert learning_writes.add_lesson(coord, lesson()).group_id is None  # not tied to one group


def test_coordinator_names_only_organisations_of_own_groups(world):
    coord = IssueWorld.actor("coord1")
    with pytest.raises(PermissionDenied):  # the company is a member of group B only
        learning_writes.add_lesson(coord, lesson(group_id=world.group_a, org_id=world.company_org))
    with pytest.raises(PermissionDenied):
        learning_writes.add_lesson(coord, lesson(org_id=world.company_org))
    shared = learning_writes.add_lesson(coord, lesson(group_id=world.group_a, org_id=world.community_org))
    assert shared.org_id == world.community_org


def test_hq_shares_lessons_in_own_company_name_only(world):
    hq = IssueWorld.actor("hq1")  # Aurum Ridge Mining
    with pytest.raises(PermissionDenied):
        learning_writes.add_lesson(hq, lesson(org_id=world.community_org))
    assert learning_writes.add_lesson(hq, lesson()).org_id == world.company_org
    assert learning_writes.add_lesson(hq, lesson(org_id=world.company_org)).org_id == world.company_org
