"""The Reports page and the report narrative form, on the demo data: files offered per role,
their content stating the data version, an HQ user limited to their own company, and the
narrative saved with its audit entry (or refused, keeping what was typed)."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from db.engine import get_engine
from db.metrics.scorecard import companies
from db.reads.common import data_version
from tests.conftest import actor, page, sign_in

NARRATIVE_SCRIPT = '''
from components.guard import require
from db.permissions import Action
actor = require(Action.data_entry)
from components.header import show_flash
show_flash()
from components import forms_narrative
forms_narrative.render(actor)
'''


def _downloads(at) -> dict[str, object]:
    return {b.label: b for b in at.get("download_button")}


def test_hq_makes_its_own_company_report(demo_db):
    hq = actor("hq")
    own = [c for c in companies() if c.id in hq.company_ids]
    at = page("pages/reports.py", "hq").run(timeout=120)
    assert not at.exception, at.exception
    assert at.selectbox(key="report_company").options == [c.name for c in own]
    at.button(key="company_report_prepare").click().run(timeout=300)
    assert not at.exception, at.exception
    files = _downloads(at)
    assert {"Download PDF", "Download Word", "Download Excel"} <= set(files)
    assert any(f"data version {data_version()}" in c.value for c in at.caption)


def test_coordinator_sees_every_company_and_the_group_report(demo_db):
    at = page("pages/reports.py", "coordinator").run(timeout=120)
    assert not at.exception, at.exception
    assert len(at.selectbox(key="report_company").options) == len(companies())
    coordinator = actor("coordinator")
    assert at.selectbox(key="report_group").value in coordinator.group_ids  # their own group first
    at.button(key="group_report_prepare").click().run(timeout=300)
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download PDF") == 1 and labels.count("Download Excel") == 1
    assert coordinator.group_ids


@pytest.mark.parametrize("username", ["viewer"])
def test_viewer_may_not_open_reports(demo_db, username):
    at = page("pages/reports.py", username).run()
    assert not at.exception
    assert not at.get("download_button") and not at.button
    assert "does not give access" in at.warning[0].value


def _narrative_page(tmp_path, username: str):
    from streamlit.testing.v1 import AppTest


    script = tmp_path / "narrative_page.py"
    script.write_text(NARRATIVE_SCRIPT)
    at = AppTest.from_file(str(script), default_timeout=60)
    sign_in(at, username)
    return at


def test_narrative_form_saves_and_audits(demo_db, tmp_path):
    at = _narrative_page(tmp_path, "hq").run()
    assert not at.exception, at.exception
    company_id = at.selectbox(key="narrative_company").value
    year = at.selectbox(key="narrative_year").value
    at.text_area(key=f"narrative_policies_{company_id}_{year}").input("Every site trains its guards each year.")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("Narrative saved" in s.value for s in at.success)
    with get_engine().connect() as c:
        text = c.execute(sa.text("SELECT text FROM narrative WHERE company_org_id = :c AND year = :y "
                                 "AND section = 'policies'"), dict(c=company_id, y=year)).scalar()
        audit = c.execute(sa.text("SELECT username, after FROM audit_entry WHERE table_name = 'narrative' "
                                  "ORDER BY id DESC LIMIT 1")).one()
    assert text == "Every site trains its guards each year."
    assert audit[0] == "hq" and json.loads(audit[1])["text"] == text


def test_narrative_form_refuses_control_characters(demo_db, tmp_path):
    at = _narrative_page(tmp_path, "hq").run()
    company_id = at.selectbox(key="narrative_company").value
    year = at.selectbox(key="narrative_year").value
    key = f"narrative_commitment_{company_id}_{year}"
    with get_engine().connect() as c:
        before = c.execute(sa.text("SELECT COUNT(*) FROM audit_entry")).scalar()
    at.text_area(key=key).input("We commit\x07 to this.")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("control characters" in e.value for e in at.error)
    assert at.text_area(key=key).value == "We commit\x07 to this."  # what was typed is kept
    with get_engine().connect() as c:
        assert c.execute(sa.text("SELECT COUNT(*) FROM audit_entry")).scalar() == before


def test_company_report_workbook_from_the_page(demo_db):
    at = page("pages/reports.py", "admin").run(timeout=120)
    at.button(key="company_report_prepare").click().run(timeout=300)
    assert not at.exception, at.exception
    # The page offers the bytes db/reports made; open the same report's workbook.
    from db.reports import company_report, render

    company_id = at.selectbox(key="report_company").value
    year = at.selectbox(key="report_year").value
    book = openpyxl.load_workbook(io.BytesIO(render(company_report.build(actor("admin"), company_id, year), "xlsx")))
    assert book.sheetnames[0] == "Summary" and "Meetings" in book.sheetnames
