"""Schedule and cancel activities through the Data entry forms, with valid and invalid input,
and check the database and audit log afterwards."""
from datetime import date, time

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Activity, AuditEntry
from tests.app.form_page import form_script
from tests.app.groups_fixtures import build_with_users
from tests.conftest import page


@pytest.fixture
def world(empty_db):
    return build_with_users()


def _form_page(tmp_path, username):
    return page(form_script(tmp_path, "components.forms_activities"), username)


def test_schedule_valid_activity(world, tmp_path):
    at = _form_page(tmp_path, "coord1").run()
    assert not at.exception
    k = f"fa_sched_{world.group_a}"
    at.text_input(key=f"{k}_title").input("Dialogue on water access")
    at.selectbox(key=f"{k}_kind").select("community_dialogue")
    at.date_input(key=f"{k}_day").set_value(date(2026, 12, 15))
    next(b for b in at.button if b.label == "Schedule activity").click().run()
    assert not at.exception
    with session_scope() as s:
        stored = s.exec(select(Activity).where(Activity.title == "Dialogue on water access")).one()
        assert (stored.group_id, stored.kind, stored.status) == (world.group_a, "community_dialogue", "scheduled")
        assert s.exec(select(AuditEntry).where(AuditEntry.table_name == "activity", AuditEntry.row_id == stored.id)).one()
    assert any("Activity scheduled." in m.value for m in at.success)


def test_schedule_invalid_activity_keeps_input_and_shows_reason(world, tmp_path):
    at = _form_page(tmp_path, "coord1").run()
    k = f"fa_sched_{world.group_a}"
    at.text_input(key=f"{k}_title").input("Backwards meeting")
    at.time_input(key=f"{k}_start").set_value(time(15, 0))
    at.time_input(key=f"{k}_end").set_value(time(10, 0))
    next(b for b in at.button if b.label == "Schedule activity").click().run()
    assert not at.exception
    assert any("end must be after the start" in e.value for e in at.error)
    assert at.text_input(key=f"{k}_title").value == "Backwards meeting"
    with session_scope() as s:
        assert s.execute(select(sa.func.count(Activity.id)).where(Activity.title == "Backwards meeting")).scalar() == 0


def test_viewer_is_refused_data_entry(world):
    at = page("pages/data_entry.py", "viewer1").run()
    assert not at.exception
    assert any("does not give access" in w.value for w in at.warning)
    assert not at.text_input
