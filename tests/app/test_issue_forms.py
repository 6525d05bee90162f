"""The issue forms in the app: log an issue (register and Data entry), change status, record the
outcome (with a stale save), link an activity, create a commitment, retire; each with valid
and invalid input, checking the database and the audit log afterwards."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlmodel import select

from db.engine import session_scope
from db.models import AuditEntry, Commitment, Issue, IssueActivity, IssueUpdate
from tests.conftest import page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from issue_world import IssueWorld, build_issue_world

ISSUES = "pages/issues.py"


@pytest.fixture
def world(empty_db):
    return build_issue_world()


def press(at, label: str):
    next(b for b in at.button if b.label == label).click()
    at.run()


def refused(at, save: str, because: str) -> None:
    """Save, and see the save refused with a message saying why."""
    press(at, save)
    assert because in errors(at), errors(at)


def issue_form(username: str, issue_id: int, form: str):
    """The issue page open on one issue, and the key prefix of one of its forms."""
    return page(ISSUES, username, {"id": str(issue_id)}).run(), f"issue_{form}_{issue_id}"


def issues() -> list[Issue]:
    with session_scope() as s:
        return list(s.exec(select(Issue).order_by(Issue.id)).all())


def issue(issue_id: int) -> Issue:
    with session_scope() as s:
        return s.get(Issue, issue_id)


def audit_rows(table: str) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id)).all())


def errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_log_issue_from_the_register(world):
    at = page(ISSUES, "coord1").run()
    at.text_input(key="register_log_issue_title").input("Blasting cracks in school walls")
    at.text_area(key="register_log_issue_description").input("Three classrooms affected")
    at.selectbox(key="register_log_issue_severity").select("high")
    at.checkbox(key="register_log_issue_anonymous").check()
    at.checkbox(key="register_log_issue_confidential").check()
    press(at, "Log the issue")
    assert not at.exception, at.exception
    new = issues()[-1]
    assert (new.title, new.severity, new.anonymous, new.confidential) == (
        "Blasting cracks in school walls", "high", True, True)
    assert new.case_number == "GH-2026-00006" and new.group_id == world.group_a
    assert any("GH-2026-00006" in s.value for s in at.success)
    assert audit_rows("issue")[-1].row_id == new.id and audit_rows("issue")[-1].username == "coord1"


def test_log_issue_refused_keeps_what_was_typed(world):
    at = page(ISSUES, "coord1").run()
    at.text_input(key="register_log_issue_title").input("ab")
    at.text_input(key="register_log_issue_raiser_name").input("Kwame Asante")
    at.checkbox(key="register_log_issue_anonymous").check()
    press(at, "Log the issue")
    assert not at.exception
    assert len(issues()) == 5
    assert "name blank for an anonymous issue" in errors(at) or "at least 3" in errors(at)
    assert at.text_input(key="register_log_issue_title").value == "ab"
    assert at.text_input(key="register_log_issue_raiser_name").value == "Kwame Asante"


def _data_entry_section(username: str) -> None:
    from components.forms_issues import render
    from db.users import load_actor

    render(load_actor(username))


def test_log_issue_from_data_entry(world):
    # The section on its own (the Data entry page also needs the other areas' sections).
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_data_entry_section, args=("coord1",), default_timeout=60).run()
    assert not at.exception, at.exception
    at.text_input(key="log_issue_title").input("Fish dying in the river")
    at.selectbox(key="log_issue_category").select("environment")
    at.text_input(key="log_issue_raiser_name").input("Efua Owusu")
    press(at, "Log the issue")
    assert not at.exception, at.exception
    new = issues()[-1]
    assert (new.title, new.category, new.raiser_name, new.anonymous) == ("Fish dying in the river", "environment",
                                                                        "Efua Owusu", False)


def test_log_issue_form_not_offered_outside_own_groups(world):
    for username in ("hq1",):
        at = page(ISSUES, username).run()
        assert not any(b.label == "Log the issue" for b in at.button)
    at = page("pages/data_entry.py", "viewer1").run()
    assert not at.text_input and any("does not give access" in w.value for w in at.warning)
    at = page(ISSUES, "coord2", {"id": str(world.i4)}).run()  # another group's issue: no forms
    assert not any(b.label == "Save the status" for b in at.button)


def test_change_status_with_and_without_a_reason(world):
    at, key = issue_form("coord1", world.i4, "status")
    at.selectbox(key=f"{key}_to").select("closed")
    refused(at, "Save the status", "Give the reason")
    assert issue(world.i4).status == "received"
    at.text_area(key=f"{key}_note").input("Raised twice; see GH-2026-0001")
    at.checkbox(key=f"{key}_informed").check()
    press(at, "Save the status")
    assert not at.exception, at.exception
    stored = issue(world.i4)
    assert stored.status == "closed" and stored.closed_on is not None
    with session_scope() as s:
        last = s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == world.i4).order_by(IssueUpdate.id.desc())).first()
    assert (last.from_status, last.to_status, last.note, last.raiser_informed) == (
        "received", "closed", "Raised twice; see GH-2026-0001", True)
    assert audit_rows("issue")[-1].action == "update" and audit_rows("issue_update")[-1].row_id == last.id


def test_outcome_form_and_a_stale_save(world):
    from db.writes.issues import IssueOutcome, record_outcome

    at, key = issue_form("coord1", world.i2, "outcome")
    # Someone else saves while this page is open.
    record_outcome(IssueWorld.actor("admin1"), world.i2, issue(world.i2).version,
                   IssueOutcome(outcome="Admin's outcome", remedy="", referral="none", satisfaction="unknown"))
    at.text_area(key=f"{key}_remedy").input("Boundary markers replaced")
    refused(at, "Save the outcome", "Someone else saved")
    assert issue(world.i2).outcome == "Admin's outcome" and issue(world.i2).remedy == ""
    assert at.text_area(key=f"{key}_remedy").value == "Boundary markers replaced"  # kept
    assert at.json and "Admin's outcome" in at.json[0].value  # the stored values beside it
    press(at, "Save the outcome")  # saving again after seeing them goes through
    assert issue(world.i2).remedy == "Boundary markers replaced"


def test_outcome_form_refuses_control_characters(world):
    at, key = issue_form("admin1", world.i2, "outcome")
    at.text_area(key=f"{key}_outcome").input("bad\x07bell")
    refused(at, "Save the outcome", "control characters")
    assert issue(world.i2).outcome == ""


def test_link_activity_and_create_commitment(world):
    at = page(ISSUES, "coord1", {"id": str(world.i3)}).run()
    press(at, "Link the activity")
    assert not at.exception, at.exception
    with session_scope() as s:
        assert s.get(IssueActivity, (world.i3, world.activity_a)) is not None
    refused(at, "Link the activity", "already linked")  # twice: refused

    key = f"issue_commitment_{world.i3}"
    press(at, "Create the commitment")  # no description
    assert errors(at)
    with session_scope() as s:
        assert s.exec(select(Commitment)).first() is None
    at.text_area(key=f"{key}_description").input("Replace the guard unit at River Camp")
    press(at, "Create the commitment")
    with session_scope() as s:
        commitment = s.exec(select(Commitment)).one()
    assert (commitment.issue_id, commitment.group_id) == (world.i3, world.group_a)
    assert audit_rows("commitment")[-1].username == "coord1"


def test_retire_needs_confirmation(world):
    at = page(ISSUES, "admin1", {"id": str(world.i5)}).run()
    press(at, "Retire")
    assert "Tick the box" in errors(at) and not issue(world.i5).retired
    at.checkbox(key=f"issue_retire_{world.i5}_sure").check()
    press(at, "Retire")
    assert issue(world.i5).retired
    assert audit_rows("issue")[-1].action == "update"
