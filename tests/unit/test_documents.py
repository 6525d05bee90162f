"""Documents: upload permissions, size and type limits (by extension and by content), the
metadata-only list, on-demand download and confidential issues' documents."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event
from sqlmodel import select
from test_learning import build_learning_world

from db.engine import get_engine, session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.models import Activity, AuditEntry, Document, Issue
from db.permissions import SYSTEM, Action
from db.reads import documents as reads
from db.users import create_user, load_actor
from db.vocab import DOCUMENT_MAX_BYTES
from db.writes import documents as writes
from db.writes.base import create_record

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture
def world(empty_db):
    return build_learning_world()


def who(username):
    return load_actor(username)


def values(group_id, **changes):
    result = {"group_id": group_id, "activity_id": None, "issue_id": None, "kind": "minutes",
              "title": "Plenary minutes, March"}
    result.update(changes)
    return result


def _issue(group_id, case, confidential):
    with session_scope() as s:
        issue = Issue(group_id=group_id, title="Beating at the gate", category="security_conduct",
                      raiser_pillar="community", channel="walk_in", raised_on=date(2026, 3, 1), severity="high",
                      security_actor="private", case_number=case, acknowledge_by=date(2026, 3, 4),
                      resolve_by=date(2026, 3, 31), confidential=confidential)
        s.add(issue)
        s.flush()
        return issue.id


def test_coordinator_uploads_for_own_group_with_audit_but_not_elsewhere(world):
    coordinator = who("coord1")
    stored = writes.add_document(coordinator, values(world.group_a), "minutes.pdf", PDF)
    with session_scope() as s:
        row = s.get(Document, stored.id)
        assert (row.content, row.size_bytes, row.content_type, row.filename) == (PDF, len(PDF), "application/pdf", "minutes.pdf")
        entries = s.exec(select(AuditEntry).where(AuditEntry.table_name == "document")).all()
    assert [(e.username, e.row_id) for e in entries] == [("coord1", stored.id)]
    assert "%PDF" not in entries[0].after  # the file body never goes into the audit log
    with pytest.raises(PermissionDenied):
        writes.add_document(coordinator, values(world.group_b), "minutes.pdf", PDF)
    for username in ("hq1", "viewer1"):
        with pytest.raises(PermissionDenied):
            writes.add_document(who(username), values(world.group_a), "minutes.pdf", PDF)


@pytest.mark.parametrize("filename, content, message", [
    ("tool.exe", b"MZ\x90\x00", "cannot be uploaded"),
    ("noextension", PDF, "cannot be uploaded"),
    ("renamed.pdf", b"MZ\x90\x00 this is a program", "not a PDF file"),
    ("sheet.xlsx", PDF, "not a XLSX file"),
    ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes", "not a PNG file"),
    ("notes.txt", b"\xff\xfe\x00binary", "not plain text"),
    ("empty.pdf", b"", "empty"),
    ("huge.pdf", b"%PDF" + b"0" * DOCUMENT_MAX_BYTES, f"the largest allowed is {DOCUMENT_MAX_BYTES:,} bytes"),
])
def test_refused_files_say_why(world, filename, content, message):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_document(who("admin1"), values(world.group_a), filename, content)
    assert message in refused.value.errors["file"]
    with session_scope() as s:
        assert s.exec(select(Document)).all() == []


@pytest.mark.parametrize("filename, content", [
    ("photo.JPEG", b"\xff\xd8\xff\xe0 jpeg"), ("map.png", PNG), ("terms.docx", b"PK\x03\x04zip"),
    ("budget.csv", "name,amount\nÉcole,3\n".encode()), ("exactly-the-limit.pdf", b"%PDF" + b"0" * (DOCUMENT_MAX_BYTES - 4)),
])
def test_allowed_files_are_stored(world, filename, content):
    stored = writes.add_document(who("admin1"), values(world.group_a), filename, content)
    assert stored.size_bytes == len(content)


def test_filenames_lose_folders_and_odd_characters():
    assert writes.safe_filename("C:\\Users\\ama\\minutes<1>.pdf") == "minutes_1_.pdf"
    assert writes.safe_filename("../../etc/passwd.txt") == "passwd.txt"
    assert len(writes.safe_filename("a" * 500 + ".pdf")) == 200


def test_form_fields_are_validated_and_attachments_must_belong_to_the_group(world):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_document(who("admin1"), values(world.group_a, title="ab", kind="poem"), "m.pdf", PDF)
    assert set(refused.value.errors) == {"title", "kind"}
    with pytest.raises(ValidationFailed) as refused:
        writes.add_document(who("admin1"), values(world.group_a), None, None)
    assert "Choose a file" in refused.value.errors["file"]
    other_issue = _issue(world.group_b, "B-1", False)
    with pytest.raises(ValidationFailed) as refused:
        writes.add_document(who("admin1"), values(world.group_a, issue_id=other_issue), "m.pdf", PDF)
    assert "same working group" in refused.value.errors["issue_id"]


def test_list_never_loads_file_bodies(world):
    writes.add_document(who("admin1"), values(world.group_a), "minutes.pdf", PDF)
    statements: list[str] = []
    engine = get_engine()
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        frame, total = reads.documents(who("hq1"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert total == 1 and frame.loc[0, "title"] == "Plenary minutes, March"
    assert statements and not any(re.search(r"document\.content(?!_)", s) for s in statements)
    assert reads.document_file(who("hq1"), int(frame.loc[0, "id"])).content == PDF


def test_uploader_appears_as_organisation_to_non_admins(world):
    writes.add_document(who("coord1"), values(world.group_a), "minutes.pdf", PDF)
    assert reads.documents(who("hq1"))[0].loc[0, "added_by"] == "Community Voice Network"
    assert reads.documents(who("admin1"))[0].loc[0, "added_by"] == "Cora Coordinator"


def test_confidential_issue_documents_are_hidden_from_all_but_admins_and_the_groups_coordinators(world):
    create_user(SYSTEM, username="coord2", display_name="Bo Coordinator", password="correct-horse-42",
                role="coordinator", group_ids=[world.group_b])
    secret = _issue(world.group_a, "A-1", True)
    open_issue = _issue(world.group_a, "A-2", False)
    hidden = writes.add_document(who("admin1"), values(world.group_a, issue_id=secret, kind="report",
                                                       title="Witness statement"), "statement.pdf", PDF)
    writes.add_document(who("admin1"), values(world.group_a, issue_id=open_issue, title="Public report"),
                        "report.pdf", PDF)
    for username, sees in (("admin1", True), ("coord1", True), ("coord2", False), ("hq1", False)):
        frame = reads.documents(who(username))[0].set_index("id")
        row = frame.loc[hidden.id]
        assert (row["title"] != "Confidential") is sees, username
        assert bool(row["downloadable"]) is sees
        assert row["attached_to"] == "Issue A-1"
        assert frame.drop(index=hidden.id)["title"].tolist() == ["Public report"]
        if sees:
            assert reads.document_file(who(username), hidden.id).filename == "statement.pdf"
        else:
            assert row["filename"] == "Confidential"
            with pytest.raises(PermissionDenied):
                reads.document_file(who(username), hidden.id)


def test_viewer_sees_no_documents_and_filters_apply(world):
    writes.add_document(who("admin1"), values(world.group_a), "a.pdf", PDF)
    writes.add_document(who("admin1"), values(world.group_b, kind="agreement", title="MoU"), "b.pdf", PDF)
    with pytest.raises(PermissionDenied):
        reads.documents(who("viewer1"))
    assert reads.documents(who("hq1"), group_ids=(world.group_b,))[0]["title"].tolist() == ["MoU"]
    assert reads.documents(who("hq1"), kinds=("minutes",))[0]["title"].tolist() == ["Plenary minutes, March"]


def test_documents_attach_to_an_activity_of_the_group(world):
    activity = create_record(SYSTEM, Action.edit_activity, Activity(
        group_id=world.group_a, kind="plenary", title="March plenary", starts_at=datetime(2026, 3, 5, 9, tzinfo=timezone.utc),
        ends_at=datetime(2026, 3, 5, 12, tzinfo=timezone.utc), status="held")).id
    writes.add_document(who("coord1"), values(world.group_a, activity_id=activity), "m.pdf", PDF)
    assert reads.documents(who("hq1"))[0].loc[0, "attached_to"] == "Activity: March plenary"
    activities, issues = reads.attachable(who("coord1"), world.group_a)
    assert activities["label"].tolist() == ["2026-03-05 · March plenary"] and issues.empty
