"""Issues, contributions, disbursements and memberships are retired or ended, never deleted:
the write layer has no delete for them (nor any generic delete); retiring keeps
the row and writes an audit entry with before and after; retired rows drop out of the figures
but stay in the history."""
from __future__ import annotations

import inspect
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from db.engine import session_scope
from db.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from db.metrics import funding as funding_metrics
from db.metrics import issues as issue_metrics
from db.models import AuditEntry, Contribution, Disbursement, Issue, IssueUpdate, Membership, MembershipUpdate
from db.permissions import SYSTEM
from db.reads import groups as group_reads
from db.reads import issues as issue_reads
from db.users import create_user
from db.writes import base
from db.writes import funding as funding_writes
from db.writes import groups as group_writes
from db.writes import issues as issue_writes
from tests.conftest import actor
from tests.unit.engagement_world import build


@pytest.fixture
def world(empty_db):
    world = build()
    create_user(SYSTEM, username="coord1", display_name="Cora", password="correct-horse-42", role="coordinator",
                group_ids=[world.group_a])
    create_user(SYSTEM, username="coord2", display_name="Colin", password="correct-horse-42", role="coordinator",
                group_ids=[world.group_b])
    return world


def audit(table: str, row_id: int) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                           .order_by(AuditEntry.id)).all())


def row(model, row_id):
    with session_scope() as s:
        return s.get(model, row_id)


@pytest.mark.parametrize("module", [base, issue_writes, funding_writes, group_writes])
def test_write_modules_offer_no_delete(module):
    names = [name for name, value in vars(module).items()
             if inspect.isfunction(value) and value.__module__ == module.__name__]
    assert names, "module has no functions?"
    assert not [n for n in names if any(word in n for word in ("delete", "remove", "purge", "drop"))]
    assert "delete_record" not in inspect.getsource(module)


def _issue(world) -> Issue:
    return issue_writes.log_issue(actor("coord1"), {
        "group_id": world.group_a, "title": "Fence blocks the path to the river", "category": "access_to_resources",
        "raiser_pillar": "community", "anonymous": True, "channel": "meeting", "raised_on": date(2026, 11, 2),
        "severity": "high"})


def test_retiring_an_issue_keeps_it_with_its_history(world):
    coord = actor("coord1")
    issue = _issue(world)
    issue_writes.change_status(coord, issue.id, issue.version, "acknowledged", note="Met the elders",
                               on_date=date(2026, 11, 3))
    assert int(issue_metrics.open_issues_by_age(group_ids=[world.group_a])["issues"].sum()) == 1
    version = row(Issue, issue.id).version
    with pytest.raises(PermissionDenied):
        issue_writes.retire_issue(actor("coord2"), issue.id, version)
    with pytest.raises(ConflictError):
        issue_writes.retire_issue(coord, issue.id, version - 1)
    issue_writes.retire_issue(coord, issue.id, version)

    kept = row(Issue, issue.id)
    assert (kept.retired, kept.title, kept.status) == (True, "Fence blocks the path to the river", "acknowledged")
    entry = audit("issue", issue.id)[-1]
    assert (entry.action, entry.username) == ("update", "coord1")
    assert (json.loads(entry.before)["retired"], json.loads(entry.after)["retired"]) == (False, True)
    # out of the figures and lists ...
    assert int(issue_metrics.open_issues_by_age(group_ids=[world.group_a])["issues"].sum()) == 0
    listed, total = issue_reads.list_issues(SYSTEM, issue_reads.IssueFilters())
    assert issue.id not in set(listed["id"]) and total == 0
    # ... but its timeline stays, an admin still opens it, and nobody can change it any more
    with session_scope() as s:
        assert [u.to_status for u in s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == issue.id)
                                             .order_by(IssueUpdate.id))] == ["received", "acknowledged"]
    assert issue_reads.issue_detail(SYSTEM, issue.id).fields["title"] == "Fence blocks the path to the river"
    with pytest.raises(NotFound):
        issue_reads.issue_detail(coord, issue.id)
    with pytest.raises(NotFound):
        issue_writes.change_status(coord, issue.id, kept.version, "in_dialogue", on_date=date(2026, 11, 5))


def test_retiring_contributions_and_disbursements_keeps_rows_out_of_figures(world):
    coord = actor("coord1")
    fund = funding_writes.create_fund(coord, {"group_id": world.group_a, "name": "Ashanti Trust Fund",
                                              "kind": "trust_fund", "currency": "USD"})
    funding_writes.record_contribution(coord, {"fund_id": fund.id, "contributor_org_id": world.company,
                                                     "amount": "1000.00", "currency": "USD", "received_on": date(2026, 3, 1)})
    small = funding_writes.record_contribution(coord, {"fund_id": fund.id, "contributor_org_id": world.ngo,
                                                       "amount": "250.00", "currency": "USD", "received_on": date(2026, 4, 1)})
    spent = funding_writes.record_disbursement(coord, {"fund_id": fund.id, "amount": "300.00", "spent_on": date(2026, 5, 1),
                                                       "purpose": "meetings", "approved_by_org_id": world.ngo})
    scope = {"group_ids": (world.group_a,)}
    assert funding_metrics.total_received(**scope) == Decimal("1250.00")
    assert funding_metrics.total_disbursed(**scope) == Decimal("300.00")

    funding_writes.retire_disbursement(coord, spent.id, spent.version)
    funding_writes.retire_contribution(coord, small.id, small.version)
    assert funding_metrics.total_received(**scope) == Decimal("1000.00")
    assert funding_metrics.total_disbursed(**scope) is None or funding_metrics.total_disbursed(**scope) == 0
    assert funding_metrics.cash_balance(**scope) == Decimal("1000.00")
    for model, record, table in ((Contribution, small, "contribution"), (Disbursement, spent, "disbursement")):
        kept = row(model, record.id)
        assert kept.retired and kept.amount_minor == record.amount_minor
        entry = audit(table, record.id)[-1]
        assert (json.loads(entry.before)["retired"], json.loads(entry.after)["retired"]) == (False, True)
        assert [e.action for e in audit(table, record.id)] == ["create", "update"]


def test_retiring_a_contribution_that_paid_for_spending_is_refused(world):
    coord = actor("coord1")
    fund = funding_writes.create_fund(coord, {"group_id": world.group_a, "name": "Small Fund", "kind": "trust_fund",
                                              "currency": "USD"})
    gift = funding_writes.record_contribution(coord, {"fund_id": fund.id, "contributor_org_id": world.company,
                                                      "amount": "500.00", "currency": "USD", "received_on": date(2026, 3, 1)})
    funding_writes.record_disbursement(coord, {"fund_id": fund.id, "amount": "400.00", "spent_on": date(2026, 5, 1),
                                               "purpose": "meetings", "approved_by_org_id": world.ngo})
    with pytest.raises(ValidationFailed):
        funding_writes.retire_contribution(coord, gift.id, gift.version)
    assert not row(Contribution, gift.id).retired and len(audit("contribution", gift.id)) == 1


def test_ending_a_membership_keeps_it_in_the_history(world):
    coord = actor("coord1")
    with session_scope() as s:
        member = s.exec(select(Membership).where(Membership.group_id == world.group_a,
                                                 Membership.org_id == world.community)).one()
    current = group_reads.members(coord, world.group_a, include_past=False)
    assert world.community in set(current["org_id"])
    with pytest.raises(ValidationFailed) as refused:
        group_writes.change_membership(coord, member.id, member.version, MembershipUpdate(until=date(2024, 12, 31)))
    assert "until" in refused.value.errors
    with pytest.raises(PermissionDenied):
        group_writes.change_membership(actor("coord2"), member.id, member.version, MembershipUpdate(until=date(2026, 6, 30)))
    group_writes.change_membership(coord, member.id, member.version, MembershipUpdate(until=date(2026, 6, 30)))

    ended = row(Membership, member.id)
    assert (ended.until, ended.since, ended.role) == (date(2026, 6, 30), date(2025, 1, 1), "member")
    entry = audit("membership", member.id)[-1]
    assert (entry.action, json.loads(entry.before)["until"], json.loads(entry.after)["until"]) == (
        "update", None, "2026-06-30")
    assert world.community not in set(group_reads.members(coord, world.group_a, include_past=False)["org_id"])
    history = group_reads.members(coord, world.group_a, include_past=True)
    assert world.community in set(history["org_id"])
    # still a member on an earlier date, so past attendance keeps its meaning
    assert world.community in set(group_reads.members(coord, world.group_a, include_past=False,
                                                      as_of=date(2026, 3, 1))["org_id"])
