"""An import checks every row on a read-only session, so other people keep saving while a large
file is checked, then writes in one short transaction: all or nothing, one audit entry with the
counts, and a number of statements that does not grow with the rows (rows go in as batches)."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db import audit
from db.engine import get_engine, session_scope
from db.errors import ValidationFailed
from db.imports import offline, parse, validate
from db.imports.apply import apply_plan
from db.imports.validate import plan_import
from db.models import Activity, Attendance, AuditEntry, Issue, IssueUpdate, Organisation, Site, WorkingGroup
from db.vocab import AuditAction
from tests.conftest import BACKEND, actor
from tests.unit.import_files import csv_bytes


def first_group_and_site():
    with session_scope() as s:
        group = s.exec(select(WorkingGroup).order_by(WorkingGroup.id)).first()
        site = s.exec(select(Site).where(Site.country == group.country).order_by(Site.id)).first()
        orgs = list(s.exec(select(Organisation.name).order_by(Organisation.id).limit(3)))
    return group, site, orgs


def organisation_rows(n: int, tag: str = "") -> list[dict]:
    rows = [{"name": f"Import Organisation {tag}{k}", "kind": "civil_society", "country": "GH", "parent": ""}
            for k in range(n)]
    rows[-1]["parent"] = rows[0]["name"]  # a parent named in the same file
    return rows


def issue_rows(n: int) -> list[dict]:
    group, site, _ = first_group_and_site()
    return [{"group": group.name, "site": site.name if site else "", "title": f"Dust from haul road {k}",
             "category": "environment", "raiser_pillar": "community", "anonymous": "yes", "channel": "meeting",
             "raised_on": "2026-11-20", "severity": "medium"} for k in range(n)]


def activity_rows(n: int) -> list[dict]:
    group, _, orgs = first_group_and_site()
    rows = []
    for k in range(n):
        for org in orgs[:2]:
            rows.append({"group": group.name, "title": f"Imported plenary {k}", "kind": "plenary",
                         "starts_at": f"2026-12-{1 + k % 28:02d} 09:00", "ends_at": f"2026-12-{1 + k % 28:02d} 12:00",
                         "organisation": org, "invited": "yes", "attended": "no", "participants": "0"})
    return rows


ROWS = {"organisations": organisation_rows, "issues": issue_rows, "activities": activity_rows}


def import_file(kind: str, rows: list[dict], username: str = "admin"):
    who = actor(username)
    plan = plan_import(who, kind, parse.read_file(f"{kind}.csv", csv_bytes(rows)), f"{kind}.csv")
    assert not plan.errors, plan.errors[:3]
    return apply_plan(who, plan)


def count(model, *where) -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@contextmanager
def statements():
    """Count the statements sent to the database (an executemany batch counts once)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)
    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


# --------------------------------------------------------------------------- the check holds no lock


def sqlite_path() -> str:
    return get_engine().url.database


needs_sqlite = pytest.mark.skipif(BACKEND != "sqlite", reason="the write lock in question is SQLite's")


def write_elsewhere(tag: str) -> None:
    """A save by someone else, on its own connection, that gives up at once if the file is locked."""
    other = sqlite3.connect(sqlite_path(), timeout=0)
    try:
        other.execute("UPDATE organisation SET name = name || ? WHERE id = (SELECT min(id) FROM organisation)", (tag,))
        other.commit()
    finally:
        other.close()


@needs_sqlite
def test_another_connection_writes_at_once_while_an_import_is_checked(demo_db, monkeypatch):
    written = []
    original = validate._report

    def report_and_write(progress, done, total):
        original(progress, done, total)
        if done == total:  # every row before this one was read and checked on the validation session
            write_elsewhere(" (edited)")
            written.append(done)
    monkeypatch.setattr(validate, "_report", report_and_write)
    import_file("issues", issue_rows(30))
    assert written == [30]
    assert count(Organisation, Organisation.name.endswith(" (edited)")) == 1


@needs_sqlite
def test_another_connection_writes_at_once_while_an_offline_workbook_is_checked(demo_db, monkeypatch):
    coordinator = actor("coordinator")
    data = offline.group_workbook(coordinator, min(coordinator.group_ids))
    original = offline._issues
    written = []

    def issues_then_write(*args):
        original(*args)
        write_elsewhere(" (edited)")
        written.append(True)
    monkeypatch.setattr(offline, "_issues", issues_then_write)
    plan = offline.plan_workbook(coordinator, "offline.xlsx", data)
    assert written and not plan.errors


def test_the_check_runs_on_a_session_that_refuses_writes(demo_db, monkeypatch):
    """Validation only reads: a write slipped into it is refused, not silently kept."""
    refused = []
    original = validate.Names.load.__func__

    def load_then_try_writing(cls, s):
        names = original(cls, s)
        try:
            with s.begin_nested():
                s.execute(sa.update(Organisation).where(Organisation.id == -1).values(name="x"))
        except sa.exc.DBAPIError as error:
            refused.append(str(error.orig))
        return names
    monkeypatch.setattr(validate.Names, "load", classmethod(load_then_try_writing))
    plan = plan_import(actor("admin"), "organisations", parse.read_file("o.csv", csv_bytes(organisation_rows(3))), "o.csv")
    assert not plan.errors
    assert refused, "the validation session accepted a write"


# --------------------------------------------------------------------------- all or nothing


def test_an_error_in_the_last_row_writes_nothing(demo_db):
    rows = issue_rows(50)
    rows[-1]["severity"] = "apocalyptic"
    before = count(Issue), count(AuditEntry)
    who = actor("admin")
    plan = plan_import(who, "issues", parse.read_file("i.csv", csv_bytes(rows)), "i.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(51, "severity")]
    with pytest.raises(ValidationFailed, match="The file has errors"):
        apply_plan(who, plan)
    assert (count(Issue), count(AuditEntry)) == before


def test_a_failure_after_the_last_row_is_written_leaves_nothing(demo_db, monkeypatch):
    before = count(Issue), count(IssueUpdate), count(Activity), count(Attendance), count(AuditEntry)

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(audit, "record", broken)
    for kind in ("issues", "activities"):
        with pytest.raises(RuntimeError):
            import_file(kind, ROWS[kind](40))
    assert (count(Issue), count(IssueUpdate), count(Activity), count(Attendance), count(AuditEntry)) == before


def test_one_audit_entry_with_the_counts_and_every_row_linked(demo_db):
    counts = import_file("activities", activity_rows(30))
    assert counts == {"activity": {"create": 30}, "attendance": {"create": 60}}
    [entry] = [e for e in bulkloads() if e.table_name == "activity"]
    assert json.loads(entry.after)["counts"] == counts
    with session_scope() as s:
        linked = s.execute(sa.select(sa.func.count()).select_from(Attendance).join(Activity)
                           .where(Activity.title.startswith("Imported plenary"))).scalar_one()
    assert linked == 60
    import_file("issues", issue_rows(20))
    with session_scope() as s:
        new = s.exec(select(Issue).where(Issue.title.startswith("Dust from haul road"))).all()
        updates = s.exec(select(IssueUpdate).where(IssueUpdate.issue_id.in_([i.id for i in new]))).all()
    assert len(new) == 20 and len({i.case_number for i in new}) == 20
    assert sorted(u.issue_id for u in updates) == sorted(i.id for i in new)
    import_file("organisations", organisation_rows(10, "P"))
    with session_scope() as s:
        child = s.exec(select(Organisation).where(Organisation.name == "Import Organisation P9")).one()
        parent = s.exec(select(Organisation).where(Organisation.name == "Import Organisation P0")).one()
    assert child.parent_id == parent.id


def bulkloads() -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == AuditAction.bulk_load,
                                                    AuditEntry.user_id.is_not(None))))


# --------------------------------------------------------------------------- bounded statements


@pytest.mark.parametrize("kind", ["organisations", "issues", "activities"])
def test_the_data_layer_sends_a_bounded_number_of_statements(demo_db, kind):
    with statements() as small:
        import_file(kind, ROWS[kind](20) if kind != "organisations" else organisation_rows(20, "S"))
    with statements() as large:
        import_file(kind, [dict(r, title=r["title"] + " (b)") if "title" in r else r for r in ROWS[kind](400)]
                    if kind != "organisations" else organisation_rows(400, "L"))
    assert len(large) <= len(small) + 10, (len(small), len(large))


PAGE_SCRIPT = '''
import streamlit as st
from db.users import load_actor
from components import forms_import
st.session_state.setdefault("imp_kind", "{kind}")
forms_import.render(load_actor("admin"))
'''


def import_through_the_page(kind: str, rows: list[dict]) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(PAGE_SCRIPT.format(kind=kind), default_timeout=120).run()
    at.file_uploader(key=f"imp_file_{kind}_0").upload(f"{kind}.csv", csv_bytes(rows), "text/csv").run()
    assert not at.exception and any("valid" in i.value for i in at.info), [e.value for e in at.error]
    at.button(key="imp_apply").click().run()
    assert not at.exception and any("Imported" in s.value for s in at.success), [e.value for e in at.error]


@pytest.mark.parametrize("kind", ["organisations", "issues"])
def test_the_page_sends_a_bounded_number_of_statements(demo_db, kind):
    with statements() as small:
        import_through_the_page(kind, ROWS[kind](20) if kind != "organisations" else organisation_rows(20, "S"))
    with statements() as large:
        import_through_the_page(kind, [dict(r, title=r["title"] + " (b)") for r in ROWS[kind](400)]
                                if kind != "organisations" else organisation_rows(400, "L"))
    assert len(large) <= len(small) + 20, (len(small), len(large))
