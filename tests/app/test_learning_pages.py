"""Lessons and forums and Security training pages per role, and the lesson, forum engagement
and training forms with valid and invalid input (checking the database and the audit log)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.engine import session_scope
from db.models import AuditEntry, ForumEngagement, Lesson, Membership, SecurityTraining
from db.permissions import SYSTEM, Action
from db.users import load_actor
from db.writes import learning as writes
from db.writes.base import create_record
from tests.conftest import page, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_learning import build_learning_world


@pytest.fixture
def world(empty_db):
    return build_learning_world()


def _forms_script():
    from components import forms_learning
    from components.guard import require
    from db.permissions import Action

    forms_learning.render(require(Action.data_entry))


def forms(username: str) -> AppTest:
    """The learning forms as the Data entry page shows them, logged in as `username`."""
    at = AppTest.from_function(_forms_script, default_timeout=60)
    sign_in(at, username)
    return at.run()


def rows(model):
    with session_scope() as s:
        return list(s.exec(select(model)))


def audited(table: str) -> list[tuple[str, str]]:
    with session_scope() as s:
        return [(e.username, e.action) for e in s.exec(select(AuditEntry).where(AuditEntry.table_name == table))]


def errors_shown(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# --------------------------------------------------------------------------- forms


def test_lesson_form_refuses_then_saves_keeping_what_was_typed(world):
    at = forms("hq1")
    assert [t.label for t in at.tabs] == ["Lesson learned"]  # HQ: lessons only
    at.text_input(key="fl_lesson_title").set_value("Ok")
    at.text_area(key="fl_lesson_text").set_value("Too short")
    at.text_input(key="fl_lesson_tags").set_value("Police, trust")
    at.button(key="FormSubmitter:fl_lesson-Share lesson").click().run()
    shown = " ".join(errors_shown(at))
    assert "at least 3 characters" in shown and "at least 10 characters" in shown
    assert at.text_input(key="fl_lesson_title").value == "Ok"  # kept
    assert at.text_input(key="fl_lesson_tags").value == "Police, trust"
    assert rows(Lesson) == []

    at.text_input(key="fl_lesson_title").set_value("Invite the police early")
    at.text_area(key="fl_lesson_text").set_value("Inviting the district commander to the first plenary built trust.")
    at.button(key="FormSubmitter:fl_lesson-Share lesson").click().run()
    assert not errors_shown(at)
    [lesson] = rows(Lesson)
    assert (lesson.title, lesson.tags, lesson.org_id) == ("Invite the police early", "police, trust", world.company)
    assert audited("lesson") == [("hq1", "create")]
    assert at.text_input(key="fl_lesson_title").value == ""  # emptied for the next one


def test_forum_form_offers_only_own_groups_and_validates(world):
    at = forms("coord1")
    assert [t.label for t in at.tabs] == ["Lesson learned", "Forum engagement", "Security training"]
    assert at.selectbox(key="fl_forum_group").options == ["Group Alpha"]
    at.button(key="FormSubmitter:fl_forum-Record forum engagement").click().run()
    assert any("at least 3 characters" in message for message in errors_shown(at))
    assert rows(ForumEngagement) == []
    at.selectbox(key="fl_forum_forum").set_value("vpshr_plenary")
    at.text_area(key="fl_forum_presented").set_value("Lessons from the grievance mechanism")
    at.button(key="FormSubmitter:fl_forum-Record forum engagement").click().run()
    [engagement] = rows(ForumEngagement)
    assert (engagement.group_id, engagement.forum, engagement.held_on) == (world.group_a, "vpshr_plenary", date(2026, 11, 27))
    assert audited("forum_engagement") == [("coord1", "create")]


def test_training_form_needs_a_security_provider_and_sensible_numbers(world):
    at = forms("coord1")
    assert at.selectbox(key="fl_training_site").options == ["Tarkwa pit (GH)"]  # their group's site only
    assert set(at.selectbox(key="fl_training_org").options) == {"Western Region Police (Public security)",
                                                                "Shield Guarding Ltd (Private security)"}
    at.selectbox(key="fl_training_org").set_value(world.police)
    at.text_input(key="fl_training_unit").set_value("Rapid response unit 3")
    at.selectbox(key="fl_training_site").set_value(world.site_a)
    at.number_input(key="fl_training_people").set_value(0)
    at.text_input(key="fl_training_topic").set_value("Use of force")
    at.button(key="FormSubmitter:fl_training-Record training").click().run()
    assert any("greater than or equal to 1" in message for message in errors_shown(at))
    assert at.text_input(key="fl_training_unit").value == "Rapid response unit 3"
    assert rows(SecurityTraining) == []
    at.number_input(key="fl_training_people").set_value(24)
    at.button(key="FormSubmitter:fl_training-Record training").click().run()
    assert not errors_shown(at)
    [training] = rows(SecurityTraining)
    assert (training.org_id, training.site_id, training.people_trained) == (world.police, world.site_a, 24)
    assert audited("security_training") == [("coord1", "create")]


def test_training_form_without_a_site_says_what_is_missing(world):
    at = forms("admin1")
    at.selectbox(key="fl_training_org").set_value(world.guards)
    at.text_input(key="fl_training_unit").set_value("Night shift")
    at.number_input(key="fl_training_people").set_value(12)
    at.text_input(key="fl_training_topic").set_value("Voluntary Principles")
    at.button(key="FormSubmitter:fl_training-Record training").click().run()
    assert "Choose the site where the unit serves." in errors_shown(at)
    assert rows(SecurityTraining) == []


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("path", ["pages/lessons.py", "pages/training.py"])
def test_viewer_and_logged_out_are_refused(world, path):
    at = page(path, "viewer1").run()
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert not at.dataframe
    at = page(path, None).run()
    assert [i.value for i in at.info] == ["Please log in to see this page."]


def _lessons(world):
    admin = load_actor("admin1")
    writes.add_lesson(load_actor("coord1"), {"title": "Invite the police early", "text": "The commander came and it helped.",
                                             "tags": "police", "group_id": world.group_a, "shared_on": date(2026, 3, 1)})
    writes.add_lesson(admin, {"title": "Pool the funds", "text": "A pooled fund kept the group neutral.",
                              "tags": "funding", "org_id": world.company, "shared_on": date(2026, 4, 1)})
    for held_on in (date(2025, 5, 1), date(2026, 5, 1)):
        writes.add_forum_engagement(admin, {"group_id": world.group_a, "forum": "eiti", "held_on": held_on,
                                            "presented": "Grievance figures"})


@pytest.mark.parametrize("username", ["admin1", "coord1", "hq1"])
def test_lessons_page_searches_and_shows_forum_visibility(world, username):
    _lessons(world)
    at = page("pages/lessons.py", username).run()
    assert not at.exception
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert titles == ["**Pool the funds**", "**Invite the police early**"]
    captions = " ".join(c.value for c in at.caption)
    assert "Community Voice Network" in captions  # the coordinator's lesson, as their organisation
    assert ("Cora Coordinator" in captions) is (username == "admin1")  # names only for admins
    assert len(at.get("vega_lite_chart")) == 1
    at.text_input(key="lessons_q").set_value("POLICE").run()
    assert [m.value for m in at.markdown if m.value.startswith("**")] == ["**Invite the police early**"]
    assert at.query_params["q"] in ("POLICE", ["POLICE"])  # the search is kept in the link
    at.text_input(key="lessons_q").set_value("100%").run()
    assert "No lesson matches this search" in at.info[0].value


def test_lessons_page_filters_by_tag_from_the_url(world):
    _lessons(world)
    at = page("pages/lessons.py", "hq1", {"tag": "funding"}).run()
    assert [m.value for m in at.markdown if m.value.startswith("**")] == ["**Pool the funds**"]


@pytest.mark.parametrize("username", ["admin1", "coord1", "hq1"])
def test_training_page_sets_training_against_conduct_issues(world, username):
    admin = load_actor("admin1")
    writes.add_training(admin, {"org_id": world.police, "unit": "Unit 3", "site_id": world.site_a,
                                "held_on": date(2026, 4, 10), "people_trained": 25, "topic": "Use of force"})
    at = page("pages/training.py", username).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People trained"] == "25"
    assert metrics["Training sessions"] == "1"
    assert metrics["Security-conduct issues"] == "0"
    assert len(at.get("vega_lite_chart")) == 1
    site_table = at.dataframe[0].value
    assert site_table[["site", "people_trained", "conduct_issues"]].to_dict("records") == [
        {"site": "Tarkwa pit", "people_trained": 25, "conduct_issues": 0}]


def test_training_page_without_data_says_no_data(world):
    at = page("pages/training.py", "hq1").run()
    assert {m.label: m.value for m in at.metric}["People trained"] == "no data"
    assert "No training and no security-conduct issues" in at.info[0].value


def test_demo_pages_render_for_every_reading_role(demo_db):
    for username in ("admin", "coordinator", "hq"):
        for path in ("pages/lessons.py", "pages/training.py"):
            at = page(path, username).run()
            assert not at.exception, (path, username, at.exception)
            assert at.title[0].value in ("Lessons and forums", "Security training")
    at = page("pages/training.py", "viewer").run()
    assert not at.metric and at.warning[0].value == "Your role does not give access to this page."


def test_lesson_form_offers_each_role_only_the_groups_and_organisations_it_may_name(world):
    """A coordinator was offered every group and organisation, and learnt only at the save that
    they may speak for their own groups and those groups' members."""
    for org_id, group_id in ((world.police, world.group_a), (world.ngo, world.group_a), (world.other_company, world.group_b)):
        create_record(SYSTEM, Action.edit_membership,
                      Membership(group_id=group_id, org_id=org_id, role="member", since=date(2025, 1, 1)))
    offered = {}
    for username in ("coord1", "hq1", "admin1"):
        at = forms(username)
        offered[username] = (at.selectbox(key="fl_lesson_org").options, at.selectbox(key="fl_lesson_group").options)
    assert offered["coord1"] == (["Community Voice Network", "Western Region Police"], ["Group Alpha"])
    assert offered["hq1"][0] == ["Alpha Holdings", "Alpha Mining Operations"]
    assert len(offered["admin1"][0]) == 6 and offered["admin1"][1] == ["Group Alpha", "Group Beta"]
