"""Audit log reads: filters, paging, the before-and-after view, and admins only."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from small_world import build_world

from db import audit
from db.engine import session_scope
from db.errors import NotFound, PermissionDenied
from db.models import AuditEntry, Membership, MembershipUpdate, Organisation
from db.permissions import Action
from db.reads.audit_log import CHANGED, AuditFilters, audit_choices, audit_detail, audit_entries
from db.vocab import AuditAction
from db.writes.base import create_record, update_record


@pytest.fixture
def world(empty_db):
    return build_world()


def _total() -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()


def test_only_admins_read_the_audit_log(world):
    for username in ("coord1", "hq1", "viewer1"):
        actor = world.actor(username)
        with pytest.raises(PermissionDenied):
            audit_entries(actor, AuditFilters())
        with pytest.raises(PermissionDenied):
            audit_detail(actor, 1)
        with pytest.raises(PermissionDenied):
            audit_choices(actor)


def test_entries_newest_first_with_the_count_of_all_matches(world):
    admin = world.actor("admin1")
    page = audit_entries(admin, AuditFilters())
    assert page.total == _total() == 14  # 4 organisations, 2 groups, 2 memberships, 2 funds, 4 users
    assert list(page.entries["id"]) == sorted(page.entries["id"], reverse=True)
    assert set(page.entries["username"]) == {"system"}


def test_paging_splits_the_matches_without_overlap(world):
    admin = world.actor("admin1")
    first = audit_entries(admin, AuditFilters(), limit=5)
    second = audit_entries(admin, AuditFilters(), limit=5, offset=5)
    third = audit_entries(admin, AuditFilters(), limit=5, offset=10)
    assert (len(first.entries), len(second.entries), len(third.entries)) == (5, 5, 4)
    assert first.total == second.total == 14
    ids = [*first.entries["id"], *second.entries["id"], *third.entries["id"]]
    assert len(set(ids)) == 14


def test_filters_by_user_table_record_and_period(world):
    admin = world.actor("admin1")
    update_record(admin, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    made = create_record(admin, Action.edit_organisation, Organisation(name="Filter Test Org", kind="donor", country="KE"))
    with session_scope() as s:  # date two entries in the past
        s.execute(sa.update(AuditEntry).where(AuditEntry.table_name == "fund")
                  .values(at=datetime(2025, 3, 10, 23, 30, tzinfo=timezone.utc)))

    by_user = audit_entries(admin, AuditFilters(username="admin1")).entries
    assert set(by_user["row_id"]) == {world.membership_a, made.id}
    by_table = audit_entries(admin, AuditFilters(table_name="membership")).entries
    assert len(by_table) == 3 and set(by_table["table_name"]) == {"membership"}
    by_record = audit_entries(admin, AuditFilters(table_name="membership", row_id=world.membership_a)).entries
    assert list(by_record["action"]) == ["update", "create"]
    day = audit_entries(admin, AuditFilters(start=date(2025, 3, 10), end=date(2025, 3, 10)))
    assert day.total == 2 and set(day.entries["table_name"]) == {"fund"}
    assert audit_entries(admin, AuditFilters(start=date(2025, 3, 11), end=date(2025, 12, 31))).total == 0
    assert audit_entries(admin, AuditFilters(end=date(2025, 3, 9))).total == 0
    users, tables = audit_choices(admin)
    assert users == ["admin1", "system"] and "membership" in tables and "app_user" in tables


def test_an_update_shows_before_and_after_and_marks_only_changed_fields(world):
    admin = world.actor("admin1")
    update_record(admin, Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    entry_id = int(audit_entries(admin, AuditFilters(username="admin1")).entries["id"].iloc[0])
    detail = audit_detail(admin, entry_id)
    assert (detail.action, detail.table_name, detail.row_id, detail.username) == (
        "update", "membership", world.membership_a, "admin1")
    changes = detail.changes.set_index("field")
    assert changes.loc[f"{CHANGED} role", "before"] == "member"
    assert changes.loc[f"{CHANGED} role", "after"] == "chair"
    assert changes.loc[f"{CHANGED} version", "after"] == "2"
    assert changes.loc["group_id", "before"] == changes.loc["group_id", "after"] == str(world.group_a)
    assert sorted(detail.changes.loc[detail.changes["changed"], "field"]) == [f"{CHANGED} role", f"{CHANGED} version"]
    summary = audit_entries(admin, AuditFilters(username="admin1")).entries["changed_fields"].iloc[0]
    assert set(summary.split(", ")) == {"role", "version"}


def test_create_and_delete_show_one_side_with_every_field_marked(world):
    admin = world.actor("admin1")
    made = create_record(admin, Action.edit_organisation, Organisation(name="Short Lived Org", kind="donor", country="KE"))
    with session_scope() as s:  # nothing deletes today; the log still shows entries of a delete
        audit.record(s, admin, AuditAction.delete, "organisation", made.id, before=audit.snapshot(made))
    entries = audit_entries(admin, AuditFilters(table_name="organisation", row_id=made.id)).entries
    delete_id, create_id = [int(i) for i in entries["id"]]
    created = audit_detail(admin, create_id).changes
    deleted = audit_detail(admin, delete_id).changes
    assert created["changed"].all() and deleted["changed"].all()
    assert set(created["before"]) == {""} and "Short Lived Org" in set(created["after"])
    assert set(deleted["after"]) == {""} and "Short Lived Org" in set(deleted["before"])


def test_user_changes_show_group_lists_as_text(world):
    from db.users import UserUpdate, update_user
    admin = world.actor("admin1")
    coordinator = world.actor("coord1")
    update_user(admin, coordinator.id, UserUpdate(group_ids=[world.group_a, world.group_b]))
    entry_id = int(audit_entries(admin, AuditFilters(table_name="app_user", username="admin1")).entries["id"].iloc[0])
    changes = audit_detail(admin, entry_id).changes.set_index("field")
    row = changes.loc[f"{CHANGED} group_ids"]
    assert row["before"] == f"[{world.group_a}]"
    assert row["after"] == f"[{world.group_a}, {world.group_b}]"
    assert not any("hash" in field for field in changes.index)


def test_a_missing_entry_is_not_found(world):
    with pytest.raises(NotFound):
        audit_detail(world.actor("admin1"), 99999)
