"""The Data entry page's Import section in AppTest: a valid file is checked then imported (the
database and the one audit entry checked), a bad file is refused with a row/column/reason
table and nothing stored, a coordinator is refused another group's rows, HQ sees only
contributions, and the offline workbook's conflicts are listed and need confirmation."""
from __future__ import annotations

import io
import json

import openpyxl
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.imports import offline
from db.models import AuditEntry, Commitment, Organisation, WorkingGroup
from db.users import load_actor
from db.vocab import AuditAction
from db.writes import commitments as commitment_writes
from tests.app.form_page import upload_for_import
from tests.conftest import page

HEADER = "name,kind,country,parent,vpshr_participant,icoca_member,eiti_supporter\n"
GOOD = HEADER + "Riverbank Women's Association,community_group,GH,,no,no,no\nCoastal Monitors,civil_society,GH,,,,\n"
BAD = HEADER + "Riverbank Women's Association,community_group,GH,,no,no,no\nCoastal Monitors,spaceship,Ghana,,,,\n"


def data_entry(username: str):
    return page("pages/data_entry.py", username, query={"section": "import"}).run()


def organisations_named(*names: str) -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name.in_(names))).scalar_one()


def bulk_entries() -> list[AuditEntry]:
    """Bulk loads by a person (the demo data's own load is by the system)."""
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == AuditAction.bulk_load,
                                                    AuditEntry.user_id.is_not(None))))


def frame_with(at, column: str):
    [found] = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def test_a_valid_file_is_checked_then_imported_once(demo_db):
    at = data_entry("admin")
    assert not at.exception
    assert at.selectbox(key="imp_kind").options == ["Organisations", "Activities and attendance", "Issues", "Contributions",
                                                     "Exchange rates"]
    upload_for_import(at, "organisations", "orgs.csv", GOOD)
    assert any("The file is valid: organisation: 2 new" in i.value for i in at.info)
    assert organisations_named("Riverbank Women's Association", "Coastal Monitors") == 0  # checked, not yet written
    at.button(key="imp_apply").click().run()
    assert not at.exception
    assert any("Imported orgs.csv: organisation: 2 new." in s.value for s in at.success)
    assert organisations_named("Riverbank Women's Association", "Coastal Monitors") == 2
    [entry] = bulk_entries()
    assert entry.table_name == "organisation" and entry.username == "admin"
    assert json.loads(entry.after)["counts"] == {"organisation": {"create": 2}}
    # The uploader is emptied: uploading the same file again changes nothing.
    at.file_uploader(key="imp_file_organisations_1").upload("orgs.csv", GOOD.encode(), "text/csv").run()
    assert any("organisation: 2 unchanged" in i.value for i in at.info)


def test_a_bad_row_rejects_the_file_with_row_column_and_reason(demo_db):
    at = data_entry("admin")
    upload_for_import(at, "organisations", "orgs.csv", BAD)
    assert any("The file was not imported: 2 problems" in e.value for e in at.error)
    errors = frame_with(at, "reason")
    assert errors[["row", "column"]].values.tolist() == [[3, "kind"], [3, "country"]]
    assert not [b for b in at.button if b.key == "imp_apply"]
    assert organisations_named("Riverbank Women's Association") == 0 and bulk_entries() == []


def test_a_coordinator_is_refused_rows_of_another_group(demo_db):
    coordinator = load_actor("coordinator")
    with session_scope() as s:
        other = s.exec(select(WorkingGroup).where(WorkingGroup.id.not_in(coordinator.group_ids))).first()
    csv = ("group,title,kind,starts_at,ends_at\n"
           f"{other.name},Not mine,workshop,2026-12-01 09:00,2026-12-01 11:00\n").encode()
    at = data_entry("coordinator")
    at.selectbox(key="imp_kind").set_value("activities").run()
    at.file_uploader(key="imp_file_activities_0").upload("a.csv", csv, "text/csv").run()
    errors = frame_with(at, "reason")
    assert errors[["row", "column"]].values.tolist() == [[2, "group"]]
    assert "assigned to you" in errors["reason"].iloc[0]


def test_hq_may_import_contributions_only_and_viewers_nothing(demo_db):
    at = data_entry("hq")
    assert not at.exception
    assert at.selectbox(key="imp_kind").options == ["Contributions"]
    assert not [s for s in at.selectbox if s.key == "imp_off_group"]  # no offline workbook for HQ
    at = data_entry("viewer")
    assert not [s for s in at.selectbox if s.key == "imp_kind"]


def test_offline_conflicts_are_listed_and_need_confirmation(demo_db):
    coordinator = load_actor("coordinator")
    at = data_entry("coordinator")
    group_id = at.selectbox(key="imp_off_group").value
    assert group_id in coordinator.group_ids
    book = openpyxl.load_workbook(io.BytesIO(offline.group_workbook(coordinator, group_id)))
    sheet = book["commitments"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 6).value == "open")
    commitment_id, version = sheet.cell(row, 1).value, sheet.cell(row, 2).value
    sheet.cell(row, 6, "dropped")
    other = next((r for r in range(2, sheet.max_row + 1) if r != row and sheet.cell(r, 6).value == "open"), None)
    if other:
        sheet.cell(other, 6, "in_progress")
    commitment_writes.update_status(load_actor("admin"), commitment_id, version, "in_progress")  # meanwhile
    out = io.BytesIO()
    book.save(out)
    at.file_uploader(key="imp_off_file_0").upload("offline.xlsx", out.getvalue(), XLSX).run()
    assert not at.exception
    conflicts = frame_with(at, "stored value")
    assert conflicts[["sheet", "column", "your value", "stored value"]].values.tolist() == [
        ["commitments", "status", "dropped", "in_progress"]]
    assert at.button(key="imp_off_apply").disabled  # not without confirmation
    at.checkbox(key="imp_off_confirm").check().run()
    at.button(key="imp_off_apply").click().run()
    assert not at.exception
    with session_scope() as s:
        assert s.get(Commitment, commitment_id).status == "in_progress"
        if other:
            assert s.get(Commitment, sheet.cell(other, 1).value).status == "in_progress"
    assert [e.table_name for e in bulk_entries()] == ["working_group"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
