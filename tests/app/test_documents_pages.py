"""The Documents page per role and its upload form with valid and invalid files (checking the
database and the audit log), download on demand, and confidential issues' documents."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from db.engine import session_scope
from db.models import AuditEntry, Document, Issue
from db.users import load_actor
from db.writes import documents as writes
from tests.conftest import page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_learning import build_learning_world

PDF = b"%PDF-1.7\n%%EOF\n"
FORM = "fd_upload_{group}"


@pytest.fixture
def world(empty_db):
    return build_learning_world()


def documents():
    with session_scope() as s:
        return list(s.exec(select(Document)))


def submit(at, group_id):
    return at.button(key=f"FormSubmitter:{FORM.format(group=group_id)}-Upload document").click().run()


def test_upload_refuses_a_renamed_program_then_stores_a_pdf(world):
    at = page("pages/documents.py", "coord1").run()
    assert at.selectbox(key="fd_group").options == ["Group Alpha"]  # own groups only
    k = FORM.format(group=world.group_a)
    at.text_input(key=f"{k}_title").set_value("Terms of reference 2026")
    at.selectbox(key=f"{k}_kind").set_value("terms_of_reference")
    at.file_uploader(key=f"{k}_file").upload("terms.pdf", b"MZ\x90\x00 program", "application/pdf")
    submit(at, world.group_a)
    assert any("is not a PDF file" in e.value for e in at.error)
    assert at.text_input(key=f"{k}_title").value == "Terms of reference 2026"  # kept
    assert documents() == []

    at.file_uploader(key=f"{k}_file").upload("terms.pdf", PDF, "application/pdf")
    submit(at, world.group_a)
    assert not at.error
    [stored] = documents()
    assert (stored.title, stored.kind, stored.content, stored.group_id) == (
        "Terms of reference 2026", "terms_of_reference", PDF, world.group_a)
    with session_scope() as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.table_name == "document")).all()
    assert [(e.username, e.action) for e in entries] == [("coord1", "create")]
    assert at.dataframe[0].value["title"].tolist() == ["Terms of reference 2026"]


def test_upload_refuses_a_type_not_allowed_and_a_missing_title(world):
    at = page("pages/documents.py", "admin1").run()
    group = at.selectbox(key="fd_group").value
    k = FORM.format(group=group)
    at.file_uploader(key=f"{k}_file").upload("macro.xlsm", b"PK\x03\x04", "application/octet-stream")
    submit(at, group)
    messages = " ".join(e.value for e in at.error)
    assert "cannot be uploaded" in messages and "PDF, DOCX" in messages
    assert "at least 3 characters" in messages
    assert documents() == []


@pytest.mark.parametrize("username", ["hq1", "admin1", "coord1"])
def test_list_and_download(world, username):
    writes.add_document(load_actor("admin1"), {"group_id": world.group_a, "kind": "minutes", "title": "March minutes"},
                        "minutes.pdf", PDF)
    at = page("pages/documents.py", username).run()
    assert not at.exception
    assert (len(at.file_uploader) > 0) is (username != "hq1")  # only uploaders see the form
    frame = at.dataframe[0].value
    assert frame["title"].tolist() == ["March minutes"] and frame["kind"].tolist() == ["Minutes"]
    assert frame["added_by"].tolist() == ["Ada Admin" if username == "admin1" else "Secretariat"]
    assert not at.download_button or all(b.label.startswith("Download CSV") or b.label.startswith("Download Excel")
                                         for b in at.download_button)
    document_id = documents()[0].id
    at = page("pages/documents.py", username, {"id": str(document_id)}).run()
    [button] = [b for b in at.download_button if b.label.startswith("Download minutes.pdf")]
    assert button.label == "Download minutes.pdf (15 bytes)"


def _confidential(world):
    with session_scope() as s:
        issue = Issue(group_id=world.group_a, title="Beating at the gate", category="security_conduct",
                      raiser_pillar="community", channel="walk_in", raised_on=date(2026, 3, 1), severity="high",
                      security_actor="private", case_number="A-1", acknowledge_by=date(2026, 3, 4),
                      resolve_by=date(2026, 3, 31), confidential=True)
        s.add(issue)
        s.flush()
        issue_id = issue.id
    return writes.add_document(load_actor("admin1"), {"group_id": world.group_a, "issue_id": issue_id, "kind": "report",
                                                      "title": "Witness statement"}, "statement.pdf", PDF).id


def test_confidential_document_is_listed_without_download_for_hq(world):
    document_id = _confidential(world)
    at = page("pages/documents.py", "hq1", {"id": str(document_id)}).run()
    frame = at.dataframe[0].value
    assert frame["title"].tolist() == ["Confidential"] and frame["filename"].tolist() == ["Confidential"]
    assert "Witness statement" not in str([m.value for m in at.markdown])
    assert any("confidential issue" in w.value for w in at.warning)
    assert not [b for b in at.download_button if "statement" in b.label]
    at = page("pages/documents.py", "coord1", {"id": str(document_id)}).run()  # the group's coordinator
    assert [b.label for b in at.download_button if "statement" in b.label] == ["Download statement.pdf (15 bytes)"]


def test_viewer_and_logged_out_are_refused(world):
    _confidential(world)
    at = page("pages/documents.py", "viewer1").run()
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert not at.dataframe and not at.file_uploader
    at = page("pages/documents.py", None).run()
    assert [i.value for i in at.info] == ["Please log in to see this page."]


def test_empty_states_say_what_to_do(world):
    assert "Upload the first one above" in page("pages/documents.py", "coord1").run().info[0].value
    assert "coordinator can upload them" in page("pages/documents.py", "hq1").run().info[0].value


def test_demo_documents_page_renders(demo_db):
    for username in ("admin", "coordinator", "hq"):
        at = page("pages/documents.py", username).run()
        assert not at.exception, (username, at.exception)
        assert at.title[0].value == "Documents"
