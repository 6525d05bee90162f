"""Add, update and verify commitments through the Data entry form, valid and invalid, and
check the database and audit log afterwards."""
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import AuditEntry, Commitment
from tests.app.form_page import form_script
from tests.app.groups_fixtures import build_with_users
from tests.conftest import page


@pytest.fixture
def world(empty_db):
    return build_with_users()


def _count(**where) -> int:
    with session_scope() as s:
        query = select(sa.func.count(Commitment.id))
        for name, value in where.items():
            query = query.where(getattr(Commitment, name) == value)
        return s.execute(query).scalar()


def test_add_commitment_valid_and_invalid(world, tmp_path):
    at = page(form_script(tmp_path, "components.forms_commitments"), "coord1").run()
    assert not at.exception
    k = f"fc_add_entry_{world.group_a}"
    at.text_area(key=f"{k}_description").input("Publish the grievance log")
    next(b for b in at.button if b.label == "Add commitment").click().run()
    assert any("Choose the organisation" in e.value for e in at.error)  # owner missing
    assert at.text_area(key=f"{k}_description").value == "Publish the grievance log"
    assert _count(description="Publish the grievance log") == 0
    at.selectbox(key=f"{k}_owner").select(world.company)
    next(b for b in at.button if b.label == "Add commitment").click().run()
    assert not at.exception
    assert _count(description="Publish the grievance log", owner_org_id=world.company, group_id=world.group_a) == 1
    with session_scope() as s:
        assert s.execute(select(sa.func.count(AuditEntry.id)).where(AuditEntry.table_name == "commitment")).scalar() == 1


def test_verify_refuses_same_pillar_then_accepts_another(world, tmp_path):
    with session_scope() as s:
        target = s.exec(select(Commitment).where(Commitment.owner_org_id == world.gov, Commitment.status == "open")).first()
    police = _state_org(world)
    at = page(form_script(tmp_path, "components.forms_commitments"), "coord1").run()
    at.selectbox(key="fc_pick").select(target.id).run()
    # mark it done first
    at.selectbox(key=f"fc_status_{target.id}_status").select("done")
    next(b for b in at.button if b.label == "Save status").click().run()
    assert any("Give the date the commitment was done." in e.value for e in at.error)
    assert _count(id=target.id, status="open") == 1
    at.selectbox(key=f"fc_status_{target.id}_status").select("done")
    at.date_input(key=f"fc_status_{target.id}_done").set_value(date(2026, 5, 30))
    next(b for b in at.button if b.label == "Save status").click().run()
    assert not at.exception
    assert _count(id=target.id, status="done") == 1
    at.selectbox(key=f"fc_verify_{target.id}_org").select(police)
    next(b for b in at.button if b.label == "Record verification").click().run()
    assert any("another pillar" in e.value for e in at.error)
    assert _count(id=target.id, verified_by_org_id=None) == 1
    at.selectbox(key=f"fc_verify_{target.id}_org").select(world.community)
    next(b for b in at.button if b.label == "Record verification").click().run()
    assert _count(id=target.id, verified_by_org_id=world.community) == 1


def _state_org(world) -> int:
    """Another state-pillar organisation than the owner (the owner is not offered)."""
    from db.models import Organisation

    with session_scope() as s:
        org = Organisation(name="National Police Service", kind="public_security", country="GH")
        s.add(org)
        s.flush()
        return org.id


def test_viewer_and_hq_have_no_commitment_form(world):
    at = page("pages/data_entry.py", "hq1").run()
    assert not at.exception
    assert "Commitments" not in at.segmented_control(key="entry_section").options
