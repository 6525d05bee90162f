"""Imports per kind: a valid file lands in one transaction with one bulk_load audit entry and
the right counts; one bad row rejects the whole file naming row, column and reason; a
re-import does not duplicate; a coordinator cannot import into another group; formula-looking
text is stored as text and neutralised on export."""
from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import ValidationFailed
from db.exports import to_csv_bytes, to_excel_bytes
from db.imports import parse, templates
from db.imports.apply import apply_plan
from db.imports.spec import KINDS, kinds_for
from db.imports.validate import plan_import
from db.models import (
    Activity,
    Attendance,
    AuditEntry,
    Contribution,
    DataVersion,
    Fund,
    Issue,
    IssueUpdate,
    Organisation,
    WorkingGroup,
)
from db.vocab import AuditAction
from db.writes import issues as issue_writes
from tests.conftest import actor
from tests.unit.import_files import csv_bytes, xlsx_bytes


def run_import(username: str, kind: str, rows: list[dict], *, excel: bool = False):
    data = xlsx_bytes(rows) if excel else csv_bytes(rows)
    name = f"{kind}.xlsx" if excel else f"{kind}.csv"
    table = parse.read_file(name, data)
    who = actor(username)
    plan = plan_import(who, kind, table, name)
    if plan.errors:
        return plan, None
    return plan, apply_plan(who, plan)


def count(model, *where) -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def bulk_entries(table: str) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == AuditAction.bulk_load,
                                                    AuditEntry.table_name == table)).all())


def audit_total() -> int:
    return count(AuditEntry)


def version() -> int:
    with session_scope() as s:
        return s.get(DataVersion, 1).version


def own_and_other_group() -> tuple[WorkingGroup, WorkingGroup]:
    coordinator = actor("coordinator")
    with session_scope() as s:
        groups = s.exec(select(WorkingGroup).order_by(WorkingGroup.id)).all()
    own = next(g for g in groups if g.id in coordinator.group_ids)
    other = next(g for g in groups if g.id not in coordinator.group_ids)
    return own, other


def org_names(n: int, kind: str | None = None) -> list[str]:
    with session_scope() as s:
        query = select(Organisation.name).order_by(Organisation.id)
        if kind:
            query = query.where(Organisation.kind == kind)
        return list(s.exec(query.limit(n)).all())


# --------------------------------------------------------------------------- parsing and templates


def test_templates_list_every_column_with_meaning_and_allowed_values():
    for key, kind in KINDS.items():
        book = openpyxl.load_workbook(io.BytesIO(templates.template_xlsx(key)))
        data, about = book.worksheets[0], book.worksheets[1]
        assert [c.value for c in data[1]] == kind.column_names
        described = {row[0].value: row for row in about.iter_rows(min_row=2)}
        for column in kind.columns:
            assert column.name in described
            if column.allowed:
                assert described[column.name][3].value == ", ".join(column.allowed)
        text = templates.template_csv(key).decode("utf-8-sig")
        table = parse.read_csv(text.encode())
        assert table.columns == kind.column_names
        assert len(table.rows) == 1  # the comment rows are skipped; the example row stays


def test_issue_template_offers_the_severities_of_the_vocabulary():
    about = pd.read_excel(io.BytesIO(templates.template_xlsx("issues")), sheet_name=1)
    severity = about.loc[about["column"] == "severity", "allowed values"].iloc[0]
    assert severity == "low, medium, high, critical"


def test_cells_undo_our_own_formula_quote_and_blank_is_none():
    assert parse.clean_cell("'=SUM(A1)") == "=SUM(A1)"
    assert parse.clean_cell("'quoted") == "'quoted"
    assert parse.clean_cell("  ") is None
    assert parse.to_amount_text(1250.5) == "1250.5"
    with pytest.raises(parse.CellError):
        parse.to_bool("maybe")


def test_a_real_formula_cell_is_refused_with_its_row_and_column():
    book = openpyxl.Workbook()
    book.active.append(["name", "kind", "country"])
    book.active.append(["Org A", "donor", "=LEFT(\"GHANA\",2)"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(parse.FileRefused) as refused:
        parse.read_file("o.xlsx", out.getvalue())
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "country")]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message():
    with pytest.raises(parse.FileRefused) as refused:
        parse.read_file("x.xlsx", b"not a zip")
    assert "Excel" in refused.value.errors[0].reason
    with pytest.raises(parse.FileRefused):
        parse.read_file("x.pdf", b"%PDF")


def test_kinds_per_role(demo_db):
    assert [k.key for k in kinds_for(actor("admin"))] == list(KINDS)
    assert [k.key for k in kinds_for(actor("coordinator"))] == [k for k in KINDS if k != "exchange_rates"]
    assert [k.key for k in kinds_for(actor("hq"))] == ["contributions"]
    assert kinds_for(actor("viewer")) == []


# --------------------------------------------------------------------------- organisations


def org_rows() -> list[dict]:
    return [{"name": "Lagoon Fisherfolk Union", "kind": "community_group", "country": "GH", "parent": "",
             "vpshr_participant": "no", "icoca_member": "no", "eiti_supporter": "yes"},
            {"name": "Lagoon Fisherfolk Union Youth", "kind": "community_group", "country": "GH",
             "parent": "Lagoon Fisherfolk Union", "vpshr_participant": "", "icoca_member": "", "eiti_supporter": ""},
            {"name": "=HYPERLINK(\"http://x\")", "kind": "civil_society", "country": "gh", "parent": "",
             "vpshr_participant": "", "icoca_member": "", "eiti_supporter": ""}]


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "xlsx"])
def test_organisations_land_once_with_one_audit_entry(demo_db, excel):
    before_orgs, before_audit, before_version = count(Organisation), audit_total(), version()
    plan, counts = run_import("admin", "organisations", org_rows(), excel=excel)
    assert plan.errors == []
    assert counts == {"organisation": {"create": 3}}
    assert count(Organisation) == before_orgs + 3
    assert audit_total() == before_audit + 1
    assert version() == before_version + 1
    [entry] = bulk_entries("organisation")
    assert json.loads(entry.after)["counts"] == {"organisation": {"create": 3}}
    with session_scope() as s:
        youth = s.exec(select(Organisation).where(Organisation.name == "Lagoon Fisherfolk Union Youth")).one()
        parent = s.get(Organisation, youth.parent_id)
        formula = s.exec(select(Organisation).where(Organisation.name.startswith("="))).one()
    assert parent.name == "Lagoon Fisherfolk Union" and parent.eiti_supporter is True
    assert formula.name == "=HYPERLINK(\"http://x\")" and formula.country == "GH"  # stored as text
    exported = pd.DataFrame([{"name": formula.name}])
    assert to_csv_bytes(exported).decode("utf-8-sig").splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\")\""
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"o": exported})))
    assert book.active["A2"].value == "'=HYPERLINK(\"http://x\")"
    # Re-import: nothing duplicated, counted as unchanged, one more audit entry only.
    plan, counts = run_import("admin", "organisations", org_rows(), excel=excel)
    assert counts == {"organisation": {"unchanged": 3}}
    assert count(Organisation) == before_orgs + 3


def test_reimport_with_a_change_updates_and_bumps_the_version(demo_db):
    run_import("admin", "organisations", org_rows()[:1])
    changed = [{**org_rows()[0], "icoca_member": "yes"}]
    _plan, counts = run_import("admin", "organisations", changed)
    assert counts == {"organisation": {"update": 1}}
    with session_scope() as s:
        stored = s.exec(select(Organisation).where(Organisation.name == "Lagoon Fisherfolk Union")).one()
    assert stored.icoca_member is True and stored.version == 2


def test_one_bad_row_rejects_the_whole_file_with_row_column_and_reason(demo_db):
    rows = org_rows()
    rows[1] = {**rows[1], "kind": "pirate"}
    rows[2] = {**rows[2], "parent": "Nobody Known", "icoca_member": "perhaps"}
    before, audits = count(Organisation), audit_total()
    plan, counts = run_import("admin", "organisations", rows)
    assert counts is None and plan.steps == []
    found = {(e.row, e.column) for e in plan.errors}
    assert found == {(3, "kind"), (4, "parent"), (4, "icoca_member")}
    assert "Nobody Known" in next(e.reason for e in plan.errors if e.column == "parent")
    assert count(Organisation) == before and audit_total() == audits
    with pytest.raises(ValidationFailed):
        apply_plan(actor("admin"), plan)


def test_missing_and_unknown_columns_are_named(demo_db):
    plan, _ = run_import("admin", "organisations", [{"name": "X Org", "colour": "red"}])
    assert {(e.row, e.column) for e in plan.errors} == {(1, "kind"), (1, "country"), (1, "colour")}


# --------------------------------------------------------------------------- activities with attendance


def activity_rows(group: WorkingGroup, orgs: list[str], title: str = "Imported plenary") -> list[dict]:
    base = {"group": group.name, "title": title, "kind": "plenary", "starts_at": "2026-11-10 09:00",
            "ends_at": "2026-11-10 12:00", "status": "held", "site": "", "place": "Town hall",
            "summary": "Met.", "outcomes": "Agreed a road survey."}
    return [{**base, "organisation": orgs[0], "invited": "yes", "attended": "yes", "participants": "3", "women": "1"},
            {**base, "organisation": orgs[1], "invited": "yes", "attended": "no", "participants": "0", "women": "0"},
            {**base, "title": title + " follow-up", "starts_at": "2026-12-10 09:00", "ends_at": "2026-12-10 10:00",
             "status": "scheduled", "outcomes": "", "organisation": "", "invited": "", "attended": "",
             "participants": "", "women": ""}]


def test_activities_with_attendance_land_and_reimport_does_not_duplicate(demo_db):
    own, _other = own_and_other_group()
    rows = activity_rows(own, org_names(2))
    before_activities, before_attendance, audits = count(Activity), count(Attendance), audit_total()
    plan, counts = run_import("coordinator", "activities", rows, excel=True)
    assert plan.errors == []
    assert counts == {"activity": {"create": 2}, "attendance": {"create": 2}}
    assert count(Activity) == before_activities + 2 and count(Attendance) == before_attendance + 2
    assert audit_total() == audits + 1 and len(bulk_entries("activity")) == 1
    with session_scope() as s:
        held = s.exec(select(Activity).where(Activity.title == "Imported plenary")).one()
        attended = s.exec(select(Attendance).where(Attendance.activity_id == held.id, Attendance.attended)).one()
    assert held.status == "held" and held.group_id == own.id and attended.participants == 3
    _plan, counts = run_import("coordinator", "activities", rows)
    assert counts == {"activity": {"unchanged": 2}, "attendance": {"unchanged": 2}}
    assert count(Activity) == before_activities + 2 and count(Attendance) == before_attendance + 2
    rows[1] = {**rows[1], "attended": "yes", "participants": "2", "women": "2"}
    _plan, counts = run_import("coordinator", "activities", rows)
    assert counts == {"activity": {"unchanged": 2}, "attendance": {"update": 1, "unchanged": 1}}
    rows = [{**r, "ends_at": "2026-11-10 12:30"} if r["title"] == "Imported plenary" else r for r in rows]
    _plan, counts = run_import("coordinator", "activities", rows)
    assert counts["activity"] == {"update": 1, "unchanged": 1}
    with session_scope() as s:
        held = s.exec(select(Activity).where(Activity.title == "Imported plenary")).one()
    assert held.version == 2 and (held.ends_at - held.starts_at).seconds == 3.5 * 3600


def test_activity_rules_of_the_write_layer_apply(demo_db):
    own, _other = own_and_other_group()
    rows = activity_rows(own, org_names(2))
    rows[0] = {**rows[0], "women": "5"}                                 # more women than participants
    rows[2] = {**rows[2], "status": "held", "outcomes": "x"}             # held but in the future
    plan, counts = run_import("coordinator", "activities", rows)
    assert counts is None
    assert {(e.row, e.column) for e in plan.errors} == {(2, "women"), (4, "status")}


def test_a_coordinator_cannot_import_into_another_group(demo_db):
    own, other = own_and_other_group()
    rows = activity_rows(own, org_names(2)) + activity_rows(other, org_names(2), "Elsewhere")
    before = count(Activity)
    plan, counts = run_import("coordinator", "activities", rows)
    assert counts is None
    refused = sorted({e.row for e in plan.errors})
    assert refused == [5, 6, 7] and all(e.column == "group" for e in plan.errors)
    assert "assigned to you" in plan.errors[0].reason
    assert count(Activity) == before
    _plan, counts = run_import("admin", "activities", rows)  # admins may import for every group
    assert counts["activity"] == {"create": 4}


def test_unknown_group_organisation_and_site_are_named(demo_db):
    own, _other = own_and_other_group()
    rows = activity_rows(own, ["Nobody Org", org_names(1)[0]])
    rows[1] = {**rows[1], "site": "Atlantis"}
    rows[2] = {**rows[2], "group": "No Such Group"}
    plan, _counts = run_import("admin", "activities", rows)
    by_cell = {(e.row, e.column): e.reason for e in plan.errors}
    assert "Nobody Org" in by_cell[(2, "organisation")]
    assert "Atlantis" in by_cell[(3, "site")]
    assert "No Such Group" in by_cell[(4, "group")]


# --------------------------------------------------------------------------- issues


def issue_rows(group: WorkingGroup) -> list[dict]:
    base = {"case_number": "", "group": group.name, "site": "", "title": "Dust on the school road",
            "description": "Children cough.", "category": "environment", "raiser_pillar": "community",
            "raiser_organisation": "", "raiser_name": "", "anonymous": "yes", "channel": "meeting",
            "raised_on": "2026-11-20", "severity": "high", "violence_risk": "no", "security_actor": "none",
            "owner_organisation": "", "confidential": "no", "status": "", "note": ""}
    return [base, {**base, "title": "Fence blocks grazing path", "category": "land", "severity": "low",
                   "raised_on": "2025-03-02"}]


def test_new_issues_get_case_numbers_targets_and_first_update(demo_db):
    own, _other = own_and_other_group()
    before, audits = count(Issue), audit_total()
    plan, counts = run_import("coordinator", "issues", issue_rows(own))
    assert plan.errors == [] and counts == {"issue": {"create": 2}}
    assert count(Issue) == before + 2 and audit_total() == audits + 1
    with session_scope() as s:
        new = s.exec(select(Issue).where(Issue.title == "Dust on the school road")).one()
        other = s.exec(select(Issue).where(Issue.title == "Fence blocks grazing path")).one()
        first = s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == new.id)).one()
    assert new.case_number.startswith(f"{own.country}-2026-") and other.case_number.startswith(f"{own.country}-2025-")
    assert [len(issue_writes.CASE_NUMBER.match(i.case_number)["seq"]) for i in (new, other)] == [issue_writes.CASE_DIGITS] * 2
    assert new.status == "received" and first.to_status == "received"
    assert (new.acknowledge_by - new.raised_on).days == 3 and (new.resolve_by - new.raised_on).days == 30
    # Re-import by case number: unchanged; a status change follows the transitions.
    rows = issue_rows(own)
    rows[0] = {**rows[0], "case_number": new.case_number}
    rows[1] = {**rows[1], "case_number": other.case_number, "status": "acknowledged"}
    _plan, counts = run_import("coordinator", "issues", rows)
    assert counts == {"issue": {"unchanged": 1, "update": 1}} and count(Issue) == before + 2
    with session_scope() as s:
        assert s.get(Issue, other.id).status == "acknowledged"
        assert [u.to_status for u in s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == other.id)
                                             .order_by(IssueUpdate.id))] == ["received", "acknowledged"]


def test_issue_status_that_skips_the_transitions_is_refused(demo_db):
    own, _other = own_and_other_group()
    _plan, _counts = run_import("admin", "issues", issue_rows(own)[:1])
    with session_scope() as s:
        new = s.exec(select(Issue).where(Issue.title == "Dust on the school road")).one()
    rows = [{**issue_rows(own)[0], "case_number": new.case_number, "status": "closed"}]
    plan, counts = run_import("admin", "issues", rows)
    assert counts is None and [(e.row, e.column) for e in plan.errors] == [(2, "note")]  # closing unresolved needs a reason
    rows = [{**issue_rows(own)[0], "raised_on": "2099-01-01"}, {**issue_rows(own)[0], "case_number": "GH-1999-0001"}]
    plan, counts = run_import("admin", "issues", rows)
    assert {(e.row, e.column) for e in plan.errors} == {(2, "raised_on"), (3, "case_number")}


# --------------------------------------------------------------------------- contributions


def contribution_rows(fund: Fund, contributor: str) -> list[dict]:
    return [{"fund": fund.name, "contributor": contributor, "kind": "financial", "amount": "1250.50",
             "currency": fund.currency, "description": "", "received_on": "2026-11-02", "earmarked": "no",
             "earmark_purpose": "", "published": "yes"}]


def test_contributions_land_exactly_and_reimport_does_not_duplicate(demo_db):
    own, _other = own_and_other_group()
    with session_scope() as s:
        fund = s.exec(select(Fund).where(Fund.group_id == own.id, Fund.currency == "USD")).first() \
            or s.exec(select(Fund).where(Fund.currency == "USD")).first()
    company = org_names(1, "company")[0]
    before = count(Contribution)
    plan, counts = run_import("admin", "contributions", contribution_rows(fund, company), excel=True)
    assert plan.errors == [] and counts == {"contribution": {"create": 1}}
    with session_scope() as s:
        new = s.exec(select(Contribution).order_by(Contribution.id.desc())).first()
    assert new.amount_minor == 125050 and new.currency == "USD" and new.published is True
    _plan, counts = run_import("admin", "contributions", contribution_rows(fund, company), excel=True)
    assert counts == {"contribution": {"unchanged": 1}} and count(Contribution) == before + 1
    rows = contribution_rows(fund, company)
    rows[0]["amount"] = "12.345"
    plan, counts = run_import("admin", "contributions", rows)
    assert counts is None and plan.errors[0].column == "amount"


def test_hq_imports_its_own_companys_contributions_only(demo_db):
    hq = actor("hq")
    with session_scope() as s:
        fund = s.exec(select(Fund).where(Fund.currency == "USD")).first()
        own = s.get(Organisation, next(iter(hq.company_ids))).name
        other = s.exec(select(Organisation.name).where(Organisation.kind == "company",
                                                       Organisation.id.not_in(hq.company_ids))).first()
    rows = contribution_rows(fund, own) + contribution_rows(fund, other)
    plan, counts = run_import("hq", "contributions", rows)
    assert counts is None and [(e.row, e.column) for e in plan.errors] == [(3, "contributor")]
    _plan, counts = run_import("hq", "contributions", rows[:1])
    assert counts == {"contribution": {"create": 1}}
    plan, counts = run_import("hq", "issues", issue_rows(own_and_other_group()[0]))
    assert counts is None and plan.errors


def test_names_in_a_file_match_whatever_their_case_and_surrounding_space(empty_db):
    from db.imports.validate import Names
    from db.models import Organisation, WorkingGroup

    with session_scope() as s:
        group = WorkingGroup(name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
                             lead="joint", status="active")
        org = Organisation(name="Goldridge Mining", kind="company", country="GH")
        s.add_all([group, org])
        s.flush()
        group_id, org_id = group.id, org.id
        names = Names.load(s)
        assert names.group("  ASHANTI group ").id == group_id
        assert names.org_id("goldridge MINING") == org_id

