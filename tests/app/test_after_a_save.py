"""What a form shows after a successful save: a created record opens in its picker (so a second
save edits it instead of failing with "already exists"), the blank form starts blank again,
and a status update's "raiser informed" box and note do not carry over to the next update."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.engine import session_scope
from db.models import IssueUpdate, Organisation, WorkingGroup
from tests.app.form_page import click, forms, save_new_organisation
from tests.app.groups_fixtures import build_with_users
from tests.conftest import page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from issue_world import build_issue_world


def count(model, **where) -> int:
    with session_scope() as s:
        query = sa.select(sa.func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.execute(query).scalar_one()


def messages(at) -> str:
    return " | ".join([e.value for e in at.error] + [s.value for s in at.success])


@pytest.fixture
def world(empty_db):
    return build_with_users()


def test_a_created_group_opens_in_the_form_and_saving_again_edits_it(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.text_input(key="fg_0_name").input("Western Region Working Group")
    at.selectbox(key="fg_0_country").select("GH")
    click(at, "Save working group")
    assert "Working group saved." in messages(at)
    with session_scope() as s:
        new_id = s.execute(sa.select(WorkingGroup.id).where(WorkingGroup.name == "Western Region Working Group")).scalar_one()
    assert at.selectbox(key="fg_group_pick").value == new_id
    assert at.text_input(key=f"fg_{new_id}_name").value == "Western Region Working Group"
    click(at, "Save working group")  # the second save is an edit of the saved group
    assert "already exists" not in messages(at) and "Working group saved." in messages(at)
    assert count(WorkingGroup, name="Western Region Working Group") == 1
    at.selectbox(key="fg_group_pick").select(0).run()  # "New working group" again: a blank form
    assert at.text_input(key="fg_0_name").value == ""


def test_a_created_organisation_opens_in_the_form(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.segmented_control(key="fg_part").set_value("Organisations").run()
    save_new_organisation(at, "Riverbank Women's Association", "community_group")
    assert "Organisation saved." in messages(at), messages(at)
    with session_scope() as s:
        new_id = s.execute(sa.select(Organisation.id).where(Organisation.name == "Riverbank Women's Association")).scalar_one()
    assert at.selectbox(key="fg_org_pick").value == new_id
    click(at, "Save organisation")
    assert count(Organisation, name="Riverbank Women's Association") == 1 and "already exists" not in messages(at)


def test_the_raiser_informed_box_and_the_note_start_empty_for_the_next_update(empty_db):
    world = build_issue_world()
    at = page("pages/issues.py", "coord1", {"id": str(world.i4)}).run()
    key = f"issue_status_{world.i4}"
    at.selectbox(key=f"{key}_to").select("acknowledged")
    at.text_area(key=f"{key}_note").input("Called the raiser")
    at.checkbox(key=f"{key}_informed").check()
    click(at, "Save the status")
    with session_scope() as s:
        last = s.execute(sa.select(IssueUpdate).where(IssueUpdate.issue_id == world.i4)
                         .order_by(IssueUpdate.id.desc())).scalars().first()
    assert (last.to_status, last.raiser_informed) == ("acknowledged", True)
    assert at.checkbox(key=f"{key}_informed").value is False
    assert at.text_area(key=f"{key}_note").value == ""
