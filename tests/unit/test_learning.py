"""Lessons, forum engagements and training records: writes (permissions, validation, audit),
reads (search with wildcards taken literally, authors as organisations) and the metrics
(forum visibility; training against security-conduct issues per site) on small hand-made data."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.metrics import learning as metrics
from db.models import AuditEntry, ForumEngagement, GroupSite, Issue
from db.permissions import SYSTEM
from db.reads import learning as reads
from db.users import create_user, load_actor
from db.writes import learning as writes
from tests.unit.ghana_records import group, org, site

PASSWORD = "correct-horse-42"


@dataclass
class LearningWorld:
    group_a: int
    group_b: int
    site_a: int
    site_b: int
    company: int
    subsidiary: int
    other_company: int
    police: int
    guards: int
    ngo: int


def build_learning_world() -> LearningWorld:
    """Two groups (A covers site A, B covers site B), a company with a subsidiary, another
    company, a police force, a guard company and an NGO; users admin1, coord1 (group A),
    hq1 (the company) and viewer1."""
    group_a, group_b = group("Group Alpha"), group("Group Beta")
    company = org("Alpha Holdings", "company")
    subsidiary = org("Alpha Mining Operations", "company", company)
    other = org("Beta Gold Corp", "company")
    police = org("Western Region Police", "public_security")
    guards = org("Shield Guarding Ltd", "private_security")
    ngo = org("Community Voice Network", "civil_society")
    site_a = site("Tarkwa pit", 5.3, -2.0, subsidiary)
    site_b = site("Obuasi shaft", 6.2, -1.7, other)
    with session_scope() as s:
        s.add(GroupSite(group_id=group_a, site_id=site_a))
        s.add(GroupSite(group_id=group_b, site_id=site_b))
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD,
                role="coordinator", group_ids=[group_a], org_id=ngo)
    create_user(SYSTEM, username="hq1", display_name="Hank HQ", password=PASSWORD, role="hq", org_id=company)
    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password=PASSWORD, role="viewer")
    return LearningWorld(group_a, group_b, site_a, site_b, company, subsidiary, other, police, guards, ngo)


@pytest.fixture
def world(empty_db) -> LearningWorld:
    return build_learning_world()


def who(username: str):
    found = load_actor(username)
    assert found is not None
    return found


def audit_entries(table: str) -> list[AuditEntry]:
    with session_scope() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id)))


def lesson_values(**changes):
    values = {"title": "Invite the police early", "text": "Bringing the district police commander to the "
              "first plenary built trust with the community.", "tags": "Police, Trust ,police",
              "org_id": None, "group_id": None, "shared_on": date(2026, 3, 1)}
    values.update(changes)
    return values


# --------------------------------------------------------------------------- lessons


def test_hq_adds_a_lesson_in_their_company_name_with_an_audit_entry(world):
    lesson = writes.add_lesson(who("hq1"), lesson_values(group_id=world.group_a))
    assert lesson.org_id == world.company  # their own organisation when they name none
    assert lesson.tags == "police, trust"  # normalised, repeats dropped
    entries = audit_entries("lesson")
    assert [(e.username, e.action, e.row_id) for e in entries] == [("hq1", "create", lesson.id)]
    assert json.loads(entries[0].after)["title"] == "Invite the police early"


def test_hq_may_name_a_subsidiary_but_not_another_company(world):
    assert writes.add_lesson(who("hq1"), lesson_values(org_id=world.subsidiary)).org_id == world.subsidiary
    with pytest.raises(PermissionDenied):
        writes.add_lesson(who("hq1"), lesson_values(org_id=world.other_company))


def test_viewer_may_not_add_a_lesson(world):
    with pytest.raises(PermissionDenied):
        writes.add_lesson(who("viewer1"), lesson_values())
    assert audit_entries("lesson") == []


def test_lesson_validation_names_the_fields(world):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_lesson(who("coord1"), lesson_values(title="ab", shared_on=date(2030, 1, 1)))
    assert set(refused.value.errors) == {"title", "shared_on"}
    assert "after today" in refused.value.errors["shared_on"]
    with pytest.raises(ValidationFailed) as refused:
        writes.add_lesson(who("coord1"), lesson_values(text="bad\x07bell text here"))
    assert "control characters" in refused.value.errors["text"]


def test_search_matches_text_and_tags_case_insensitively(world):
    admin = who("admin1")
    writes.add_lesson(admin, lesson_values(title="Budget 100% pooled", text="A pooled fund kept the group neutral.",
                                           tags="funding"))
    writes.add_lesson(admin, lesson_values(title="Budget 100 pooled", text="Similar title without the percent sign.",
                                           tags="funding_model"))
    writes.add_lesson(admin, lesson_values())
    found, total = reads.lessons(admin, reads.LessonQuery(text="POLICE"))
    assert total == 1 and list(found["title"]) == ["Invite the police early"]
    # % and _ are literal: "100%" does not match "100 pooled"; "pooled_" (unescaped: "pooled"
    # and any character, as in "A pooled fund") matches nothing
    found, total = reads.lessons(admin, reads.LessonQuery(text="100%"))
    assert list(found["title"]) == ["Budget 100% pooled"]
    assert reads.lessons(admin, reads.LessonQuery(text="pooled_"))[1] == 0
    assert list(reads.lessons(admin, reads.LessonQuery(text="G_M"))[0]["title"]) == ["Budget 100 pooled"]
    assert reads.lessons(admin, reads.LessonQuery(text="%"))[1] == 1
    # a tag matches a whole tag: "funding" is not "funding_model"
    found, _total = reads.lessons(admin, reads.LessonQuery(tag="Funding"))
    assert list(found["title"]) == ["Budget 100% pooled"]
    assert reads.lesson_tags(admin) == ["funding", "funding_model", "police", "trust"]


def test_authors_appear_as_their_organisation_to_non_admins(world):
    writes.add_lesson(who("coord1"), lesson_values(group_id=world.group_a))  # coord1 edits group A only
    as_hq, _total = reads.lessons(who("hq1"))
    assert "author" not in as_hq.columns
    assert as_hq.loc[0, "organisation"] == "Community Voice Network"  # the coordinator's organisation
    as_admin, _total = reads.lessons(who("admin1"))
    assert as_admin.loc[0, "author"] == "Cora Coordinator"
    with pytest.raises(PermissionDenied):
        reads.lessons(who("viewer1"))


def test_filter_by_group_and_organisation(world):
    admin = who("admin1")
    writes.add_lesson(admin, lesson_values(group_id=world.group_a, org_id=world.ngo))
    writes.add_lesson(admin, lesson_values(title="Second lesson", group_id=world.group_b, org_id=world.company))
    assert list(reads.lessons(admin, reads.LessonQuery(group_ids=(world.group_b,)))[0]["title"]) == ["Second lesson"]
    assert list(reads.lessons(admin, reads.LessonQuery(org_ids=(world.ngo,)))[0]["title"]) == ["Invite the police early"]


# --------------------------------------------------------------------------- forum engagements


def forum_values(group_id, **changes):
    values = {"group_id": group_id, "held_on": date(2026, 5, 4), "forum": "eiti",
              "presented": "The group's grievance statistics"}
    values.update(changes)
    return values


def test_coordinator_records_forums_for_own_group_only(world):
    coordinator = who("coord1")
    made = writes.add_forum_engagement(coordinator, forum_values(world.group_a))
    assert [e.row_id for e in audit_entries("forum_engagement")] == [made.id]
    with pytest.raises(PermissionDenied):
        writes.add_forum_engagement(coordinator, forum_values(world.group_b))
    with pytest.raises(PermissionDenied):
        writes.add_forum_engagement(who("hq1"), forum_values(world.group_a))
    with pytest.raises(ValidationFailed) as refused:
        writes.add_forum_engagement(coordinator, forum_values(world.group_a, forum="davos", presented=""))
    assert set(refused.value.errors) == {"forum", "presented"}
    with session_scope() as s:
        assert len(s.exec(select(ForumEngagement)).all()) == 1


def test_forum_visibility_counts_engagements_per_group_per_year(world):
    admin = who("admin1")
    for group_id, held_on in [(world.group_a, date(2025, 2, 1)), (world.group_a, date(2025, 9, 1)),
                              (world.group_a, date(2026, 1, 5)), (world.group_b, date(2026, 7, 7))]:
        writes.add_forum_engagement(admin, forum_values(group_id, held_on=held_on))
    visibility = metrics.forum_visibility(admin)
    assert visibility.to_dict("records") == [
        {"group": "Group Alpha", "year": 2025, "engagements": 2},
        {"group": "Group Alpha", "year": 2026, "engagements": 1},
        {"group": "Group Beta", "year": 2026, "engagements": 1},
    ]
    only_b = metrics.forum_visibility(admin, (world.group_b,))
    assert only_b["engagements"].tolist() == [1]
    assert metrics.forum_visibility(admin, start=date(2026, 1, 1))["engagements"].sum() == 2


# --------------------------------------------------------------------------- training


def training_values(world, **changes):
    values = {"org_id": world.police, "unit": "Rapid response unit 3", "site_id": world.site_a,
              "held_on": date(2026, 4, 10), "people_trained": 25, "topic": "Voluntary Principles and use of force"}
    values.update(changes)
    return values


def test_coordinator_records_training_at_own_groups_sites(world):
    coordinator = who("coord1")
    made = writes.add_training(coordinator, training_values(world))
    entries = audit_entries("security_training")
    assert [(e.username, e.row_id) for e in entries] == [("coord1", made.id)]
    with pytest.raises(PermissionDenied):  # site B is group B's
        writes.add_training(coordinator, training_values(world, site_id=world.site_b))


def test_hq_may_add_a_lesson_but_not_a_training_record(world):
    hq = who("hq1")
    writes.add_lesson(hq, lesson_values())
    with pytest.raises(PermissionDenied):
        writes.add_training(hq, training_values(world))
    with pytest.raises(PermissionDenied):
        writes.add_training(who("viewer1"), training_values(world))
    assert audit_entries("security_training") == []


@pytest.mark.parametrize("changes, field", [
    ({"people_trained": 0}, "people_trained"),
    ({"people_trained": 50000}, "people_trained"),
    ({"held_on": date(2031, 1, 1)}, "held_on"),
    ({"held_on": date(1950, 1, 1)}, "held_on"),
    ({"unit": ""}, "unit"),
    ({"site_id": None}, "site_id"),
])
def test_training_validation(world, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_training(who("admin1"), training_values(world, **changes))
    assert field in refused.value.errors


def test_training_organisation_must_be_a_security_provider(world):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_training(who("admin1"), training_values(world, org_id=world.ngo))
    assert "security provider" in refused.value.errors["org_id"]
    assert writes.add_training(who("admin1"), training_values(world, org_id=world.guards)).org_id == world.guards


def _issue(group_id, site_id, category, raised_on, case, retired=False):
    with session_scope() as s:
        s.add(Issue(group_id=group_id, site_id=site_id, title="An issue", category=category,
                    raiser_pillar="community", channel="meeting", raised_on=raised_on, severity="high",
                    case_number=case, acknowledge_by=raised_on, resolve_by=raised_on, retired=retired,
                    security_actor="public"))


def test_training_set_against_security_conduct_issues_per_site(world):
    admin = who("admin1")
    writes.add_training(admin, training_values(world, people_trained=25))
    writes.add_training(admin, training_values(world, people_trained=15, org_id=world.guards, held_on=date(2026, 6, 1)))
    writes.add_training(admin, training_values(world, people_trained=99, held_on=date(2024, 1, 1)))  # before the period
    _issue(world.group_a, world.site_a, "security_conduct", date(2026, 2, 1), "C-1")
    _issue(world.group_a, world.site_a, "security_conduct", date(2026, 3, 1), "C-2")
    _issue(world.group_a, world.site_a, "land", date(2026, 3, 1), "C-3")  # another category
    _issue(world.group_a, world.site_a, "security_conduct", date(2026, 3, 2), "C-4", retired=True)
    _issue(world.group_b, world.site_b, "security_conduct", date(2026, 5, 1), "C-5")  # no training there
    by_site = metrics.training_by_site(admin, start=date(2026, 1, 1), end=date(2026, 11, 27))
    assert by_site[["site", "people_trained", "sessions", "conduct_issues"]].to_dict("records") == [
        {"site": "Tarkwa pit", "people_trained": 40, "sessions": 2, "conduct_issues": 2},
        {"site": "Obuasi shaft", "people_trained": 0, "sessions": 0, "conduct_issues": 1},
    ]
    only_a = metrics.training_by_site(admin, (world.group_a,), date(2026, 1, 1), date(2026, 11, 27))
    assert only_a["site"].tolist() == ["Tarkwa pit"]
    by_org = metrics.training_by_organisation(admin, start=date(2026, 1, 1), end=date(2026, 11, 27))
    assert by_org[["organisation", "site", "people_trained", "sessions"]].to_dict("records") == [
        {"organisation": "Western Region Police", "site": "Tarkwa pit", "people_trained": 25, "sessions": 1},
        {"organisation": "Shield Guarding Ltd", "site": "Tarkwa pit", "people_trained": 15, "sessions": 1},
    ]
    records, total = reads.training_records(admin, start=date(2026, 1, 1))
    assert total == 2 and records.loc[0, "organisation"] == "Shield Guarding Ltd"
    with pytest.raises(PermissionDenied):
        metrics.training_by_site(who("viewer1"))


def test_no_training_and_no_issues_give_an_empty_frame(world):
    assert metrics.training_by_site(who("admin1")).empty
    assert metrics.forum_visibility(who("admin1")).empty


def test_training_form_problems_are_reported_together(world):
    with pytest.raises(ValidationFailed) as refused:
        writes.add_training(who("admin1"), training_values(world, org_id=None, site_id=None, people_trained=0, topic=""))
    assert set(refused.value.errors) == {"org_id", "site_id", "people_trained", "topic"}
    assert refused.value.errors["site_id"] == "Choose the site where the unit serves."
