"""Reports: the company's annual report and the group's quarterly report hold the right numbers
in every format (PDF text, Word headings, Excel sheets and totals), say "no data" where nothing
was entered, never show a confidential issue's details to a role that may not see them, and
follow the role rules. The narrative write is checked here too."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from db.engine import get_engine
from db.errors import ConflictError, PermissionDenied, ValidationFailed
from db.periods import Period
from db.reads.common import data_version
from db.reports import company_report, group_report, render
from db.writes.narrative import narrative_for, save_narrative
from tests.conftest import actor
from tests.unit import overview_world as w

AS_OF = date(2026, 11, 27)
SECRET_OUTCOME = "Paid Kwame Mensah 4,000 cedis in private"
SECRET_TITLE = "Beating at the north gate checkpoint"


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def world(empty_db):
    made = w.company_world()
    # a confidential issue at the company's site, resolved in 2026, with an outcome
    w.issue(made["g1"], date(2026, 3, 1), site_id=made["pit"], status="resolved", resolved_on=date(2026, 6, 1),
            confidential=True, title=SECRET_TITLE, outcome=SECRET_OUTCOME, category="security_conduct",
            severity="high")
    w.issue(made["g1"], date(2026, 3, 5), site_id=made["pit"], status="resolved", resolved_on=date(2026, 6, 2),
            outcome="Road watered twice a day")
    w.user("admin1", "admin")
    w.user("coord1", "coordinator", group_ids=(made["g1"],))
    w.user("coord3", "coordinator", group_ids=(made["g3"],))
    w.user("viewer1", "viewer")
    w.user("hq2", "hq", org_id=made["other"])
    return made


# --------------------------------------------------------------------------- narrative


def test_narrative_is_saved_audited_and_scoped(world):
    hq = actor("hq1")
    save_narrative(hq, world["parent"], 2026, {"commitment": "We commit to the Voluntary Principles.",
                                               "policies": ""}, {"commitment": None, "policies": None})
    saved = narrative_for(world["parent"], 2026)
    assert saved["commitment"].text == "We commit to the Voluntary Principles."
    assert saved["policies"].version is None  # nothing written: no row
    with get_engine().connect() as c:
        entry = c.execute(sa.text("SELECT username, action, after FROM audit_entry WHERE table_name = 'narrative'")).one()
    assert entry[:2] == ("hq1", "create") and "Voluntary Principles" in json.loads(entry[2])["text"]
    # another company's HQ may not write it; a coordinator may not either
    with pytest.raises(PermissionDenied):
        save_narrative(actor("hq2"), world["parent"], 2026, {"commitment": "x"}, {"commitment": None})
    with pytest.raises(PermissionDenied):
        save_narrative(actor("coord1"), world["parent"], 2026, {"commitment": "x"}, {"commitment": None})
    # a save based on an old version is refused and keeps the stored text
    save_narrative(hq, world["parent"], 2026, {"commitment": "Second text"}, {"commitment": 1})
    with pytest.raises(ConflictError) as conflict:
        save_narrative(hq, world["parent"], 2026, {"commitment": "Third text"}, {"commitment": 1})
    assert conflict.value.stored["text"] == "Second text"
    assert narrative_for(world["parent"], 2026)["commitment"].text == "Second text"


def test_narrative_refuses_bad_input(world):
    with pytest.raises(ValidationFailed) as refused:
        save_narrative(actor("hq1"), world["parent"], 2026, {"policies": "bad\x07text"}, {"policies": None})
    assert "policies" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        save_narrative(actor("admin1"), world["ngo"], 2026, {"policies": "ok"}, {"policies": None})
    assert "company" in refused.value.errors


# --------------------------------------------------------------------------- the company report


def test_company_report_content_and_pdf(world):
    save_narrative(actor("hq1"), world["parent"], 2026, {"commitment": "Aurum commits to the Voluntary Principles."},
                   {"commitment": None})
    report = company_report.build(actor("hq1"), world["parent"], 2026, as_of=AS_OF)
    headings = [s.heading for s in report.sections]
    assert headings == ["Commitment", "Policies and procedures", "Implementation", "Working groups", "Meetings",
                        "Commitments", "Contributions", "Issues and their outcomes", "Issues by security actor",
                        "Training of security providers", "Lessons", "Appendix: outcomes of resolved issues"]
    text = pdf_text(render(report, "pdf"))
    assert "Period: January 1, 2026 to November 27, 2026" in text
    assert f"Figures as of November 27, 2026, from data version {data_version()}" in text
    assert "Aurum commits to the Voluntary Principles." in text
    assert "No text was entered for this section (no data)" in text  # policies
    assert "Working groups joined 2" in text
    assert "Meetings invited to 3" in text and "Attendance rate 67%" in text
    assert "Commitments due in the period 3" in text and "Kept, verified by another pillar 1" in text
    assert "$1,500.00" in text
    assert "Issues resolved in the period 4" in text  # 2 from the world + 2 added here
    assert "Security personnel trained at its sites 42" in text
    assert "No lesson was shared in the period (no data)" in text


def test_company_report_workbook_and_word(world):
    report = company_report.build(actor("hq1"), world["parent"], 2026, as_of=AS_OF)
    book = workbook(render(report, "xlsx"))
    assert book.sheetnames[0] == "Summary"
    assert {"Working groups", "Meetings", "Commitments", "Contributions by contributor", "Outcomes",
            "Lessons"} <= set(book.sheetnames)
    summary = [row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)]
    assert f"Figures as of November 27, 2026, from data version {data_version()}" in summary
    sheet = book["Contributions by contributor"]
    header = [c.value for c in sheet[1]]
    totals = [row[header.index("Total")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(Decimal(str(v)) for v in totals) == Decimal("1500.00")
    lessons = [c.value for c in book["Lessons"]["A"]]
    assert lessons == ["Note", "No lesson was shared in the period (no data)."]
    word_file = render(report, "docx")
    words = docx_text(word_file)
    assert "Issues and their outcomes" in words and "Period: January 1, 2026 to November 27, 2026" in words
    # the outcomes appendix starts a landscape page section of its own
    from docx.enum.section import WD_ORIENT

    pages = Document(io.BytesIO(word_file)).sections
    assert [p.orientation for p in pages] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert pages[-1].page_width > pages[-1].page_height
    assert "No text was entered for this section (no data)" in words


def _all_text(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "docx":
        return docx_text(data)
    return " ".join(str(c) for ws in workbook(data) for row in ws.iter_rows(values_only=True) for c in row
                    if c is not None)


@pytest.mark.parametrize("username,sees", [("hq1", False), ("admin1", True)])
def test_confidential_details_in_every_format(world, username, sees):
    report = company_report.build(actor(username), world["parent"], 2026, as_of=AS_OF)
    for fmt in ("pdf", "docx", "xlsx"):
        content = _all_text(fmt, render(report, fmt))
        assert (SECRET_OUTCOME in content) == sees, (username, fmt)
        assert "Road watered twice a day" in content, fmt  # not confidential: shown to all
        if not sees:
            assert "Kwame Mensah" not in content and "Confidential" in content


@pytest.mark.parametrize("username,sees", [("coord3", False), ("coord1", True)])
def test_confidential_details_only_for_the_groups_coordinators(world, username, sees):
    report = company_report.build(actor(username), world["parent"], 2026, as_of=AS_OF)
    assert (SECRET_OUTCOME in pdf_text(render(report, "pdf"))) == sees


def test_company_report_roles(world):
    with pytest.raises(PermissionDenied):
        company_report.build(actor("hq1"), world["other"], 2026, as_of=AS_OF)  # not their company
    with pytest.raises(PermissionDenied):
        company_report.build(actor("viewer1"), world["parent"], 2026, as_of=AS_OF)
    assert company_report.build(actor("coord3"), world["parent"], 2026, as_of=AS_OF).title.startswith("Aurum")


def test_nothing_entered_says_no_data(world):
    report = company_report.build(actor("hq2"), world["other"], 2026, as_of=AS_OF)
    text = pdf_text(render(report, "pdf"))
    assert "Meetings invited to no data" in text
    assert "Commitments due in the period no data" in text
    assert "Meetings invited to 0" not in text


# --------------------------------------------------------------------------- the group report


def test_group_report(world):
    from db.metrics import engagement

    quarter = Period(date(2026, 1, 1), date(2026, 3, 31))
    report = group_report.build(actor("coord1"), world["g1"], quarter, as_of=AS_OF)
    text = pdf_text(render(report, "pdf"))
    assert "2026-Q1" in text and "Period: January 1, 2026 to March 31, 2026" in text
    assert "Meetings held 1" in text
    rate = engagement.attendance_rate(group_ids=[world["g1"]], period=quarter)
    assert f"Attendance rate {rate:.0%}" in text
    assert SECRET_TITLE in text  # the group's own coordinator sees it
    book = workbook(render(report, "xlsx"))
    assert {"Summary", "Activities held", "Issues raised", "Contributions", "Early warning"} <= set(book.sheetnames)
    issues = book["Issues raised"]
    assert issues.max_row - 1 == 4  # raised in Q1 2026: two from the world, two added here
    hidden = pdf_text(render(group_report.build(actor("hq1"), world["g1"], quarter, as_of=AS_OF), "pdf"))
    assert SECRET_TITLE not in hidden and "Confidential" in hidden


def test_quarters_run_back_from_the_as_of_date():
    found = group_report.quarters(date(2026, 11, 27), count=3)
    assert [(q.start, q.end) for q in found] == [(date(2026, 10, 1), date(2026, 12, 31)),
                                                 (date(2026, 7, 1), date(2026, 9, 30)),
                                                 (date(2026, 4, 1), date(2026, 6, 30))]


def test_pdf_without_the_unicode_font_still_renders(world):
    from db.reports import pdf

    report = company_report.build(actor("hq1"), world["parent"], 2026, as_of=AS_OF)
    report.sections[0].paragraphs = ["Engagement \u2014 \u201cquoted\u201d, caf\u00e9, \u20b5 cedi sign"]
    text = pdf_text(pdf.render(report, unicode_font=False))
    assert "Engagement - \"quoted\", caf\u00e9, ? cedi sign" in text
    assert "Period: January 1, 2026 to November 27, 2026" in text


@pytest.mark.parametrize("username,sees", [("hq1", False), ("coord3", False), ("coord1", True)])
def test_a_confidential_issues_satisfaction_is_not_in_the_company_report(world, username, sees):
    """The complainant's satisfaction is not among what a confidential issue may show."""
    from db.engine import session_scope
    from db.models import Issue

    with session_scope() as s:
        secret = s.exec(sa.select(Issue).where(Issue.title == SECRET_TITLE)).scalar_one()
        secret.satisfaction = "no"
        s.add(secret)
    report = company_report.build(actor(username), world["parent"], 2026, as_of=AS_OF)
    outcomes = next(t.frame for section in report.sections for t in section.tables if "Complainant satisfied" in t.frame)
    row = outcomes[outcomes["Outcome"] == (SECRET_OUTCOME if sees else "Confidential")]
    assert len(row) == 1
    assert row["Complainant satisfied"].iloc[0] == ("No" if sees else "Confidential")


# A figure or cell written as text the way people read it: a spreadsheet cannot add these up.
PRINTED_NUMBER = re.compile(r"^(\$[\d,]+(\.\d+)?|[\d,]+(\.\d+)?\s?%|[\d,]+ days|no data)$")


@pytest.mark.parametrize("which", ["company", "group"])
def test_workbooks_hold_numbers_as_numbers_and_empty_as_empty(world, which):
    report = (company_report.build(actor("hq1"), world["parent"], 2026, as_of=AS_OF) if which == "company" else
              group_report.build(actor("coord1"), world["g1"], Period(date(2026, 1, 1), date(2026, 3, 31)), as_of=AS_OF))
    book = workbook(render(report, "xlsx"))
    printed = [(sheet.title, cell.coordinate, cell.value) for sheet in book for row in sheet.iter_rows(min_row=2)
               for cell in row if isinstance(cell.value, str) and PRINTED_NUMBER.match(cell.value)]
    assert printed == []
    figures = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    money = next(cell for name, cell in figures.items() if name and "Contributions received (USD)" in name)
    assert isinstance(money.value, (int, float)) and money.number_format == '#,##0.00 "USD"'
    rates = [cell for name, cell in figures.items() if name and name.endswith("rate") and cell.value is not None]
    assert rates and all(isinstance(c.value, (int, float)) and c.number_format == "0%" for c in rates)


# --------------------------------------------------------------------------- issues by security actor


def _set_security_actor(issue_id: int, security_actor: str) -> None:
    from db.engine import session_scope
    from db.models import Issue

    with session_scope() as s:
        issue = s.get(Issue, issue_id)
        issue.security_actor = security_actor
        s.add(issue)


def _security_actor_rows(report) -> dict[str, tuple[int, int, int]]:
    frame = next(t.frame for t in report.tables() if t.name == "Issues by security actor")
    return {row[0]: tuple(int(v.number) for v in row[1:]) for row in frame.itertuples(index=False)}


@pytest.mark.parametrize("username,sees", [("hq1", False), ("coord3", False), ("coord1", True), ("admin1", True)])
def test_issues_by_security_actor_count_a_confidential_issue_without_its_actor(world, username, sees):
    """Raised in 2026 at the company's site: three with no security actor (one open), the
    confidential security-conduct issue (public forces, resolved), a confidential open land
    issue (public forces) and an open violence-risk protest (private guards)."""
    from db.engine import session_scope
    from db.models import Issue

    with session_scope() as s:
        secret = s.exec(sa.select(Issue.id).where(Issue.title == SECRET_TITLE)).scalar_one()
    _set_security_actor(secret, "public")
    _set_security_actor(w.issue(world["g1"], date(2026, 8, 1), site_id=world["pit"], status="acknowledged",
                                category="land", confidential=True, title="Soldiers on the farm road"), "public")
    _set_security_actor(w.issue(world["g1"], date(2026, 7, 1), site_id=world["pit"], status="acknowledged",
                                category="protest", violence_risk=True), "private")
    report = company_report.build(actor(username), world["parent"], 2026, as_of=AS_OF)
    rows = _security_actor_rows(report)
    # (raised in the period, of them about security conduct or violence, open at the end)
    if sees:
        assert rows == {"None": (3, 0, 1), "Public security forces": (2, 1, 1), "Private security": (1, 1, 1),
                        "Armed group": (0, 0, 0)}
    else:
        assert rows == {"None": (3, 0, 1), "Public security forces": (0, 0, 0), "Private security": (1, 1, 1),
                        "Armed group": (0, 0, 0), "Confidential: actor not shown": (2, 1, 1)}
    text = pdf_text(render(report, "pdf"))
    assert "Issues by security actor" in text
    assert "Soldiers on the farm road" not in text  # counts only, for every reader
    # the open column adds up to the report's own figure for open issues
    assert "Issues open at the end of the period 3" in text
