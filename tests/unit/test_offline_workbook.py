"""The offline round trip: download a group's workbook, edit it with openpyxl as a coordinator
would in Excel, upload it, check the database; a change someone made meanwhile is listed as a
conflict (your value beside the stored one) and is not overwritten."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.imports import offline
from db.imports.apply import apply_plan
from db.models import Activity, Attendance, AuditEntry, Commitment, Issue, IssueUpdate, Organisation, WorkingGroup
from db.vocab import AuditAction
from db.writes import commitments as commitment_writes
from tests.conftest import actor


def own_group_id() -> int:
    coordinator = actor("coordinator")
    with session_scope() as s:
        ids = [g for g in coordinator.group_ids
               if s.exec(select(Issue).where(Issue.group_id == g, Issue.status == "received", Issue.retired == False)).first()  # noqa: E712
               and s.exec(select(Commitment).where(Commitment.group_id == g, Commitment.status == "open")).first()]
    return sorted(ids)[0]


def download(group_id: int) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(offline.group_workbook(actor("coordinator"), group_id)))


def upload(book: openpyxl.Workbook, username: str = "coordinator"):
    out = io.BytesIO()
    book.save(out)
    return offline.plan_workbook(actor(username), "offline.xlsx", out.getvalue())


def rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]


def set_cell(sheet, row_index: int, column: str, value) -> None:
    header = [c.value for c in sheet[1]]
    sheet.cell(row_index, header.index(column) + 1, value)


def find(sheet, column: str, predicate) -> int:
    for index, row in enumerate(rows(sheet), start=2):
        if predicate(row.get(column), row):
            return index
    raise AssertionError(f"no row in {sheet.title} matches")


def test_the_workbook_has_every_sheet_with_ids_and_versions(demo_db):
    group_id = own_group_id()
    book = download(group_id)
    assert book.sheetnames == ["about", "members", "activities", "attendance", "commitments", "issues"]
    with session_scope() as s:
        open_commitments = s.execute(sa.select(sa.func.count()).select_from(Commitment).where(
            Commitment.group_id == group_id, Commitment.status.in_(["open", "in_progress"]))).scalar_one()
    commitments = rows(book["commitments"])
    assert len(commitments) == open_commitments and all(r["id"] and r["version"] for r in commitments)
    assert all(r["status"] != "closed" for r in rows(book["issues"]))
    assert book["about"]["B2"].value == group_id
    # Nothing changed: uploading it back plans no writes.
    plan = upload(book)
    assert plan.errors == [] and plan.conflicts == []
    assert all(step.op == "unchanged" for step in plan.steps)


def test_round_trip_applies_offline_changes_in_one_transaction(demo_db):
    group_id = own_group_id()
    book = download(group_id)
    issues, commitments, activities = book["issues"], book["commitments"], book["activities"]
    issue_row = find(issues, "status", lambda v, r: v == "received")
    issue_id = issues.cell(issue_row, 1).value
    set_cell(issues, issue_row, "new_status", "acknowledged")
    set_cell(issues, issue_row, "note", "Met the raiser at the market.")
    set_cell(issues, issue_row, "raiser_informed", "yes")
    set_cell(issues, issue_row, "on_date", "2026-11-26")
    commitment_row = find(commitments, "status", lambda v, r: v == "open")
    commitment_id = commitments.cell(commitment_row, 1).value
    set_cell(commitments, commitment_row, "status", "done")
    set_cell(commitments, commitment_row, "done_on", "2026-11-20")
    activities.append([None, None, "Offline steering meeting", "steering_committee", "2026-12-15 10:00",
                       "2026-12-15 12:00", "scheduled", "District office", "", ""])
    attendance = book["attendance"]
    attendance_row = 2  # the first member of the first upcoming or recent activity
    assert attendance.max_row >= 2
    if attendance_row:
        set_cell(attendance, attendance_row, "attended", "yes")
        set_cell(attendance, attendance_row, "participants", 4)
        set_cell(attendance, attendance_row, "women", 2)
    with session_scope() as s:
        audits_before = s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()
    plan = upload(book)
    assert plan.errors == [] and plan.conflicts == []
    counts = apply_plan(actor("coordinator"), plan)
    assert counts["issue"]["update"] == 1 and counts["commitment"]["update"] == 1 and counts["activity"]["create"] == 1
    with session_scope() as s:
        issue = s.get(Issue, issue_id)
        last = s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == issue_id).order_by(IssueUpdate.id.desc())).first()
        commitment = s.get(Commitment, commitment_id)
        new = s.exec(select(Activity).where(Activity.title == "Offline steering meeting")).one()
        entries = s.exec(select(AuditEntry).where(AuditEntry.id > audits_before)).all()
        if attendance_row:
            org = s.exec(select(Organisation).where(Organisation.name == attendance.cell(attendance_row, 3).value)).one()
            stored = s.exec(select(Attendance).where(Attendance.activity_id == attendance.cell(attendance_row, 1).value,
                                                     Attendance.org_id == org.id)).one()
            assert (stored.attended, stored.participants, stored.women) == (True, 4, 2)
    assert issue.status == "acknowledged" and str(issue.acknowledged_on) == "2026-11-26"
    assert (last.from_status, last.to_status, last.note, last.raiser_informed) == ("received", "acknowledged",
                                                                                  "Met the raiser at the market.", True)
    assert commitment.status == "done" and str(commitment.done_on) == "2026-11-20"
    assert new.group_id == group_id and new.status == "scheduled"
    assert [(e.action, e.table_name, e.row_id) for e in entries] == [(AuditAction.bulk_load, "working_group", group_id)]
    assert json.loads(entries[0].after)["counts"]["issue"]["update"] == 1


def test_a_change_made_meanwhile_is_a_conflict_and_not_overwritten(demo_db):
    group_id = own_group_id()
    book = download(group_id)
    commitments, issues = book["commitments"], book["issues"]
    commitment_row = find(commitments, "status", lambda v, r: v == "open")
    commitment_id, version = commitments.cell(commitment_row, 1).value, commitments.cell(commitment_row, 2).value
    set_cell(commitments, commitment_row, "status", "dropped")
    issue_row = find(issues, "status", lambda v, r: v == "received")
    issue_id = issues.cell(issue_row, 1).value
    set_cell(issues, issue_row, "new_status", "acknowledged")
    # Meanwhile, online, someone marks the commitment in progress.
    commitment_writes.update_status(actor("admin"), commitment_id, version, "in_progress")
    plan = upload(book)
    assert plan.errors == []
    [conflict] = plan.conflicts
    assert (conflict.sheet, conflict.row, conflict.column, conflict.yours, conflict.stored) == (
        "commitments", commitment_row, "status", "dropped", "in_progress")
    with pytest.raises(ValidationFailed):
        apply_plan(actor("coordinator"), plan)  # not without the coordinator's confirmation
    counts = apply_plan(actor("coordinator"), plan, skip_conflicts=True)
    assert counts["issue"]["update"] == 1 and "update" not in counts.get("commitment", {})
    with session_scope() as s:
        assert s.get(Commitment, commitment_id).status == "in_progress"  # the other person's change stands
        assert s.get(Issue, issue_id).status == "acknowledged"


def test_offline_rules_refuse_the_whole_workbook(demo_db):
    group_id = own_group_id()
    book = download(group_id)
    issues, commitments = book["issues"], book["commitments"]
    issue_row = find(issues, "status", lambda v, r: v == "received")
    set_cell(issues, issue_row, "new_status", "resolved")        # received cannot jump to resolved
    commitment_row = find(commitments, "status", lambda v, r: v == "open")
    set_cell(commitments, commitment_row, "status", "done")      # done without a date
    plan = upload(book)
    assert {(e.sheet, e.row, e.column) for e in plan.errors} == {("issues", issue_row, "new_status"),
                                                                 ("commitments", commitment_row, "done_on")}
    assert plan.steps == []


def test_another_groups_workbook_is_refused(demo_db):
    coordinator = actor("coordinator")
    with session_scope() as s:
        other = s.exec(select(WorkingGroup.id).where(WorkingGroup.id.not_in(coordinator.group_ids))).first()
    with pytest.raises(PermissionDenied):
        offline.group_workbook(coordinator, other)
    book = openpyxl.load_workbook(io.BytesIO(offline.group_workbook(actor("admin"), other)))
    with pytest.raises(PermissionDenied):
        upload(book, "coordinator")


def test_confidential_issue_titles_follow_the_screen_redaction(demo_db):
    with session_scope() as s:
        issue = s.exec(select(Issue).where(Issue.confidential == True, Issue.status != "closed",  # noqa: E712
                                           Issue.retired == False)).first()  # noqa: E712
    admin_book = openpyxl.load_workbook(io.BytesIO(offline.group_workbook(actor("admin"), issue.group_id)))
    titles = {r["id"]: r["title"] for r in rows(admin_book["issues"])}
    assert titles[issue.id] == issue.title  # admins (and the group's coordinators) see the details
    with pytest.raises(PermissionDenied):  # nobody else may download a workbook at all
        offline.group_workbook(actor("hq"), issue.group_id)


def test_formula_text_is_neutralised_in_the_workbook_and_round_trips(demo_db):
    group_id = own_group_id()
    book = download(group_id)
    book["activities"].append([None, None, "=cmd|' /C calc'!A0", "workshop", "2026-12-20 10:00", "2026-12-20 12:00",
                               "scheduled", "", "", ""])
    book["activities"].cell(book["activities"].max_row, 3).data_type = "s"
    plan = upload(book)
    assert plan.errors == []
    apply_plan(actor("coordinator"), plan)
    again = download(group_id)
    titles = [r["title"] for r in rows(again["activities"])]
    assert "'=cmd|' /C calc'!A0" in titles            # neutralised in the file
    assert all(step.op == "unchanged" for step in upload(again).steps)  # and reads back as the stored text
