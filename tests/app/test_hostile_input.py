"""Hostile input through the forms: markup is stored as typed and shown as text, SQL
metacharacters are just characters (stored and searched literally), length limits hold at the
documented size, right-to-left text and emoji round-trip, control characters are refused, and
dates far away and negative numbers are refused with a message beside the field. Each test
checks the database and what the page shows."""
from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import (
    Activity,
    AuditEntry,
    Contribution,
    Issue,
    IssueUpdate,
    Lesson,
    Membership,
    Organisation,
    WorkingGroup,
    WorkingGroupUpdate,
)
from db.permissions import SYSTEM
from db.reads import issues as issue_reads
from db.reads import learning as learning_reads
from db.reads import organisations as org_reads
from db.vocab import NAME_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX
from db.writes import activities as activity_writes
from db.writes import funding as funding_writes
from db.writes import groups as group_writes
from db.writes import issues as issue_writes
from db.writes import learning as learning_writes
from db.writes import organisations as org_writes
from tests.app.form_page import click, errors, forms
from tests.app.groups_fixtures import build_with_users
from tests.app.markdown_view import rendered
from tests.conftest import ROOT, actor, page

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SQL = "'; DROP TABLE issue; --"
ARABIC = "اجتماع اللجنة التوجيهية في أوبواسي"
HEBREW = "פגישה עם הקהילה"
EMOJI = "👩🏽‍🌾 👨‍👩‍👧‍👦 🇬🇭 🏳️‍🌈"


@pytest.fixture
def world(empty_db):
    world = build_with_users()
    world.site = org_writes.create_site(SYSTEM, {"name": "Obuasi Mine", "country": "GH", "latitude": 6.2,
                                                 "longitude": -1.67, "company_id": world.company})
    world.fund = funding_writes.create_fund(SYSTEM, {"group_id": world.group_a, "name": "Ashanti Trust Fund",
                                                     "kind": "trust_fund", "currency": "USD"}).id
    return world


def shown_text(at) -> str:
    """Everything a page shows as text: Markdown as a reader sees it, headings, captions, table cells."""
    parts: list[str] = [str(e.value) for e in at.text]
    for kind in ("markdown", "title", "header", "subheader", "caption", "info", "success", "warning", "error"):
        parts.extend(rendered(e.value).text for e in getattr(at, kind))
    for e in at.dataframe:
        if isinstance(e.value, pd.DataFrame):
            parts.append(e.value.to_csv(index=False))
    for e in at.table:  # drawn as Markdown, cell by cell
        parts.extend(rendered(cell).text for cell in e.value.astype(str).to_numpy().ravel())
    for e in at.selectbox:
        parts.extend(str(o) for o in e.options)
    return "\n".join(parts)


def audits() -> int:
    with session_scope() as s:
        return s.execute(select(sa.func.count()).select_from(AuditEntry)).scalar_one()


def rows(model) -> int:
    with session_scope() as s:
        return s.execute(select(sa.func.count()).select_from(model)).scalar_one()


# --------------------------------------------------------------------------- markup


# The only raw HTML and components, each checked by hand: neither ever receives stored text.
RAW_HTML_ALLOWED = {
    "components/guard.py": "a constant link to the login form and a style rule",
    "components/auth.py": "the login-cookie component: its arguments are a token and a cookie name",
    "components/shell.py": "the app's constant style sheet, static/app.css",
}


def test_no_element_renders_user_text_as_html():
    """No page or component passes anything to unsafe_allow_html, st.html or a raw component,
    except the reviewed places above."""
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1|components\.html\(")
    found = [f"{path.relative_to(ROOT)}:{n}" for folder in ("app.py", "pages", "components", "db", "i18n")
             for path in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))
             for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)
             if str(path.relative_to(ROOT)) not in RAW_HTML_ALLOWED]
    assert found == []


def test_script_tags_in_a_group_are_stored_as_typed_and_shown_as_text(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.text_input(key="fg_0_name").input(f"{SCRIPT} Volta Group")
    at.selectbox(key="fg_0_country").select("GH")
    at.text_area(key="fg_0_desc").input(f"Meets monthly {IMG} & <b>bold</b>")
    click(at, "Save working group")
    assert "Working group saved." in " ".join(s.value for s in at.success), errors(at)
    with session_scope() as s:
        group = s.exec(select(WorkingGroup).where(WorkingGroup.name == f"{SCRIPT} Volta Group")).one()
    assert group.description == f"Meets monthly {IMG} & <b>bold</b>"
    profile = page("pages/working_groups.py", "admin1", {"id": str(group.id)}).run()
    assert not profile.exception
    text = shown_text(profile)
    assert f"{SCRIPT} Volta Group" in text and IMG in text


def test_markup_in_an_issue_title_shows_literally_on_the_issue_page(world, tmp_path):
    at = forms(tmp_path, "components.forms_issues", "coord1")
    at.text_input(key="log_issue_title").input(IMG)
    at.text_area(key="log_issue_description").input(SCRIPT)
    at.checkbox(key="log_issue_anonymous").check()
    click(at, "Log the issue")
    assert not at.error, errors(at)
    with session_scope() as s:
        issue = s.exec(select(Issue)).one()
    assert (issue.title, issue.description) == (IMG, SCRIPT)
    view = page("pages/issues.py", "coord1", {"id": str(issue.id)}).run()
    assert not view.exception
    assert IMG in shown_text(view) and SCRIPT in shown_text(view)


# --------------------------------------------------------------------------- SQL metacharacters


def test_sql_metacharacters_are_stored_and_searched_literally(world, tmp_path):
    at = forms(tmp_path, "components.forms_issues", "coord1")
    at.text_input(key="log_issue_title").input(SQL)
    at.text_area(key="log_issue_description").input("100% of the _fees_ back \\ now")
    at.checkbox(key="log_issue_anonymous").check()
    click(at, "Log the issue")
    assert not at.error, errors(at)
    issue_writes.log_issue(actor("coord1"), {"group_id": world.group_a, "title": "Plain title", "category": "land",
                                             "raiser_pillar": "community", "anonymous": True, "channel": "meeting",
                                             "raised_on": date(2026, 11, 1), "severity": "low"})
    with session_scope() as s:
        titles = sorted(s.exec(select(Issue.title)).all())
        assert s.exec(select(Issue.description).where(Issue.title == SQL)).one() == "100% of the _fees_ back \\ now"
    assert titles == sorted([SQL, "Plain title"])  # the table is still there, with both rows

    def found(text: str) -> list[str]:
        frame, _ = issue_reads.list_issues(SYSTEM, issue_reads.IssueFilters(search=text))
        return sorted(frame["title"])

    assert found("%") == [SQL] and found("_") == [SQL] and found("\\") == [SQL]
    assert found("'; DROP") == [SQL] and found("x%y") == []


def test_organisation_search_takes_percent_and_underscore_literally(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "coord1")
    at.segmented_control(key="fg_part").set_value("Organisations").run()
    at.text_input(key="fo_0_name").input(f"100% Community_Trust {SQL}")
    at.selectbox(key="fo_0_country").select("GH")
    click(at, "Save organisation")
    assert not at.error, errors(at)
    with session_scope() as s:
        assert s.exec(select(Organisation.id).where(Organisation.name == f"100% Community_Trust {SQL}")).one()
    for text in ("%", "_", "0% C", "'; DROP"):
        frame, total = org_reads.register(actor("coord1"), search=text)
        assert list(frame["name"]) == [f"100% Community_Trust {SQL}"] and total == 1, text
    listing = page("pages/organisations.py", "coord1", {"q": "%"}).run()
    assert not listing.exception
    text = shown_text(listing)
    assert "100% Community_Trust" in text and "Goldridge Mining" not in text


def test_lesson_text_and_search_with_metacharacters(world, tmp_path):
    at = forms(tmp_path, "components.forms_learning", "coord1")
    at.text_input(key="fl_lesson_title").input("Half the seats_empty")
    at.text_area(key="fl_lesson_text").input(f"50% of community seats stayed empty; {SQL} {SCRIPT}")
    at.selectbox(key="fl_lesson_org").set_value(world.ngo)
    click(at, "Share lesson")
    assert not at.error, errors(at)
    learning_writes.add_lesson(SYSTEM, {"title": "Plain lesson", "text": "Meet where the community lives.",
                                        "org_id": world.ngo, "shared_on": date(2026, 11, 1)})
    with session_scope() as s:
        assert s.exec(select(Lesson.text).where(Lesson.title == "Half the seats_empty")).one() == (
            f"50% of community seats stayed empty; {SQL} {SCRIPT}")
    for text in ("%", "_", "'; DROP", "<script>"):
        found, total = learning_reads.lessons(actor("coord1"), learning_reads.LessonQuery(text=text))
        assert list(found["title"]) == ["Half the seats_empty"] and total == 1, text
    view = page("pages/lessons.py", "coord1", {"q": "%"}).run()
    assert not view.exception
    assert "Half the seats_empty" in shown_text(view) and "Plain lesson" not in shown_text(view)


# --------------------------------------------------------------------------- right-to-left text and emoji


def test_right_to_left_text_and_emoji_round_trip_through_the_activity_form(world, tmp_path):
    at = forms(tmp_path, "components.forms_activities", "coord1")
    k = f"fa_sched_{world.group_a}"
    at.text_input(key=f"{k}_title").input(f"{ARABIC} {EMOJI}")
    at.text_area(key=f"{k}_summary").input(f"{HEBREW}\n{EMOJI}\twith a tab")
    click(at, "Schedule activity")
    assert not at.error, errors(at)
    with session_scope() as s:
        stored = s.exec(select(Activity).where(Activity.title == f"{ARABIC} {EMOJI}")).one()
    assert stored.summary == f"{HEBREW}\n{EMOJI}\twith a tab"
    view = page("pages/activities.py", "coord1", {"id": str(stored.id)}).run()
    assert not view.exception
    assert f"{ARABIC} {EMOJI}" in shown_text(view)


def test_emoji_and_right_to_left_in_contribution_and_organisation(world, tmp_path):
    org = org_writes.create_organisation(SYSTEM, {"name": f"جمعية {HEBREW} 🇬🇭", "kind": "community_group", "country": "GH"})
    assert _name(org) == f"جمعية {HEBREW} 🇬🇭"
    made = funding_writes.record_contribution(SYSTEM, {"fund_id": world.fund, "contributor_org_id": org, "kind": "in_kind",
                                                       "amount": "120", "currency": "USD", "received_on": date(2026, 11, 2),
                                                       "description": f"{ARABIC} 🏳️‍🌈 meeting hall"})
    with session_scope() as s:
        assert s.get(Contribution, made.id).description == f"{ARABIC} 🏳️‍🌈 meeting hall"


def _name(org_id: int) -> str:
    with session_scope() as s:
        return s.get(Organisation, org_id).name


# --------------------------------------------------------------------------- control characters


def test_control_characters_are_refused_beside_the_field(world, tmp_path):
    before = rows(Organisation), audits()
    at = forms(tmp_path, "components.forms_groups", "coord1")
    at.segmented_control(key="fg_part").set_value("Organisations").run()
    at.text_input(key="fo_0_name").input("Bell\x07 and \x1b[31mred")
    at.selectbox(key="fo_0_country").select("GH")
    click(at, "Save organisation")
    assert "control characters" in errors(at)
    assert (rows(Organisation), audits()) == before
    issue = issue_writes.log_issue(actor("coord1"), {"group_id": world.group_a, "title": "Water tanker late",
                                                     "category": "access_to_resources", "raiser_pillar": "community",
                                                     "anonymous": True, "channel": "meeting",
                                                     "raised_on": date(2026, 11, 1), "severity": "low"})
    for text in ("note\x00", "a\rb", "next\x85line"):
        with pytest.raises(ValidationFailed) as refused:
            issue_writes.change_status(actor("coord1"), issue.id, issue.version, "acknowledged", note=text)
        assert "control characters" in refused.value.errors["note"]
    with session_scope() as s:
        assert s.exec(select(Issue.status).where(Issue.id == issue.id)).one() == "received"
        assert len(s.exec(select(IssueUpdate).where(IssueUpdate.issue_id == issue.id)).all()) == 1
    # newline and tab are fine
    issue_writes.change_status(actor("coord1"), issue.id, issue.version, "acknowledged", note="line one\n\tline two")


# --------------------------------------------------------------------------- length limits


LIMITED_FIELDS = [  # module, widget kind, key, documented limit
    ("components.forms_groups", "text_input", "fg_0_name", NAME_MAX),
    ("components.forms_groups", "text_area", "fg_0_desc", TEXT_MAX),
    ("components.forms_issues", "text_input", "log_issue_title", TITLE_MAX),
    ("components.forms_issues", "text_area", "log_issue_description", TEXT_MAX),
    ("components.forms_issues", "text_input", "log_issue_raiser_name", NAME_MAX),
    ("components.forms_learning", "text_input", "fl_lesson_title", TITLE_MAX),
    ("components.forms_learning", "text_area", "fl_lesson_text", TEXT_MAX),
    ("components.forms_funding", "text_area", "ffc_description", TEXT_MAX),
]


@pytest.mark.parametrize("module", sorted({f[0] for f in LIMITED_FIELDS}))
def test_every_text_widget_declares_the_documented_limit(world, tmp_path, module):
    """The browser stops typing at the widget's limit (with a counter); it must be the model's."""
    at = forms(tmp_path, module, "admin1")
    for _, kind, key, limit in (f for f in LIMITED_FIELDS if f[0] == module):
        assert getattr(at, kind)(key=key).max_chars == limit, key


def test_group_name_and_description_at_the_limit_are_accepted(world, tmp_path):
    name, description = "N" * (NAME_MAX - 1) + "👩", "d" * (TEXT_MAX - 2) + "\n" + "ש"
    at = forms(tmp_path, "components.forms_groups", "admin1")
    at.text_input(key="fg_0_name").input(name)
    at.selectbox(key="fg_0_country").select("GH")
    at.text_area(key="fg_0_desc").input(description)
    click(at, "Save working group")
    assert not at.error, errors(at)
    with session_scope() as s:
        stored = s.exec(select(WorkingGroup).where(WorkingGroup.name == name)).one()
    assert len(stored.name) == NAME_MAX and stored.description == description


def test_issue_title_description_and_note_at_the_limit_are_accepted(world, tmp_path):
    at = forms(tmp_path, "components.forms_issues", "coord1")
    at.text_input(key="log_issue_title").input("t" * TITLE_MAX)
    at.text_area(key="log_issue_description").input("d" * TEXT_MAX)
    at.checkbox(key="log_issue_anonymous").check()
    click(at, "Log the issue")
    assert not at.error, errors(at)
    with session_scope() as s:
        issue = s.exec(select(Issue)).one()
    assert (len(issue.title), len(issue.description)) == (TITLE_MAX, TEXT_MAX)
    issue_writes.change_status(actor("coord1"), issue.id, issue.version, "acknowledged", note="n" * NOTE_MAX)
    with session_scope() as s:
        assert len(s.exec(select(IssueUpdate.note).where(IssueUpdate.to_status == "acknowledged")).one()) == NOTE_MAX


def test_a_form_never_stores_more_than_the_limit(world, tmp_path):
    """A client that bypasses the browser's limit gets its text cut at the limit by Streamlit
    before our code runs: nothing longer than the documented limit ever reaches the database."""
    at = forms(tmp_path, "components.forms_learning", "coord1")
    at.text_input(key="fl_lesson_title").input("T" * (TITLE_MAX + 50))  # like the browser: not taken
    assert at.text_input(key="fl_lesson_title").value == ""
    at.text_input(key="fl_lesson_title").set_value("T" * (TITLE_MAX + 50))  # a client that bypasses it
    at.text_area(key="fl_lesson_text").set_value("x" * (TEXT_MAX + 1))
    at.selectbox(key="fl_lesson_org").set_value(world.ngo)
    click(at, "Share lesson")
    assert not at.error, errors(at)
    with session_scope() as s:
        lesson = s.exec(select(Lesson)).one()
    assert (len(lesson.title), len(lesson.text)) == (TITLE_MAX, TEXT_MAX)


ONE_OVER = [  # the write each form calls, with one character more than its documented limit
    ("name", NAME_MAX, lambda w, text: group_writes.create_group(SYSTEM, {
        "name": text, "country": "GH", "level": "local", "focus": "other", "lead": "joint"})),
    ("description", TEXT_MAX, lambda w, text: group_writes.create_group(SYSTEM, {
        "name": "Long Group", "country": "GH", "level": "local", "focus": "other", "lead": "joint", "description": text})),
    ("name", NAME_MAX, lambda w, text: org_writes.create_organisation(SYSTEM, {"name": text, "kind": "donor", "country": "GH"})),
    ("title", TITLE_MAX, lambda w, text: issue_writes.log_issue(actor("coord1"), _issue(w, title=text))),
    ("description", TEXT_MAX, lambda w, text: issue_writes.log_issue(actor("coord1"), _issue(w, description=text))),
    ("description", TEXT_MAX, lambda w, text: funding_writes.record_contribution(SYSTEM, {
        "fund_id": w.fund, "contributor_org_id": w.company, "kind": "in_kind", "amount": "10", "currency": "USD",
        "received_on": date(2026, 11, 1), "description": text})),
    ("text", TEXT_MAX, lambda w, text: learning_writes.add_lesson(SYSTEM, {
        "title": "Long lesson", "text": text, "org_id": w.ngo, "shared_on": date(2026, 11, 1)})),
    ("title", TITLE_MAX, lambda w, text: activity_writes.schedule_activity(SYSTEM, _activity(w, title=text))),
    ("summary", TEXT_MAX, lambda w, text: activity_writes.schedule_activity(SYSTEM, _activity(w, summary=text))),
]


def _issue(world, **values) -> dict:
    return {"group_id": world.group_a, "title": "Long issue", "category": "land", "raiser_pillar": "community",
            "anonymous": True, "channel": "meeting", "raised_on": date(2026, 11, 1), "severity": "low", **values}


def _activity(world, **values) -> dict:
    return {"group_id": world.group_a, "kind": "workshop", "title": "Long workshop",
            "starts_at": datetime(2026, 12, 3, 9), "ends_at": datetime(2026, 12, 3, 12), **values}


@pytest.mark.parametrize("field,limit,write", ONE_OVER, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(ONE_OVER)])
def test_one_character_over_the_limit_is_refused_naming_the_limit(world, field, limit, write):
    before = audits()
    with pytest.raises(ValidationFailed) as refused:
        write(world, "é" * (limit + 1))
    assert refused.value.errors[field] == f"Use at most {limit} characters; this has {limit + 1}."
    assert audits() == before


def test_an_overlong_site_region_is_refused_with_the_limit(world, tmp_path):
    at = forms(tmp_path, "components.forms_groups", "coord1")
    at.segmented_control(key="fg_part").set_value("Sites").run()
    assert at.text_input(key="fs_0_region").max_chars == NAME_MAX
    with pytest.raises(ValidationFailed) as refused:
        org_writes.create_site(SYSTEM, {"name": "Long Region Site", "country": "GH", "region": "r" * (NAME_MAX + 1),
                                        "latitude": 5.0, "longitude": -1.0})
    assert str(NAME_MAX) in refused.value.errors["region"]


# --------------------------------------------------------------------------- far dates and negative numbers


def test_membership_dates_reach_back_to_the_earliest_and_1800_is_refused(world, tmp_path):
    """The date widgets stop at the documented window (Streamlit reverts a date outside a
    widget's range to its default), and the write refuses anything outside it with a message."""
    at = forms(tmp_path, "components.forms_groups", "coord1")
    at.segmented_control(key="fg_part").set_value("Memberships").run()
    k = f"mem_entry_{world.group_a}"
    assert at.date_input(key=f"{k}_since").min == date(1950, 1, 1)
    at.selectbox(key=f"{k}_org").set_value(world.guards)
    at.date_input(key=f"{k}_since").set_value(date(2012, 5, 1))  # a long-standing member
    click(at, "Add member")
    assert not at.error, errors(at)
    with session_scope() as s:
        assert s.exec(select(Membership.since).where(Membership.org_id == world.guards)).one() == date(2012, 5, 1)
    before = rows(Membership), audits()
    with pytest.raises(ValidationFailed) as refused:
        group_writes.add_membership(actor("coord1"), {"group_id": world.group_a, "org_id": world.community,
                                                      "since": date(1800, 1, 1)})
    assert refused.value.errors["since"] == "Give a date between 1950-01-01 and 2100-12-31."
    assert (rows(Membership), audits()) == before


def test_an_activity_in_2200_is_refused(world, tmp_path):
    at = forms(tmp_path, "components.forms_activities", "coord1")
    assert at.date_input(key=f"fa_sched_{world.group_a}_day").max <= date(2100, 12, 31)
    before = rows(Activity)
    with pytest.raises(ValidationFailed) as refused:
        activity_writes.schedule_activity(actor("coord1"), _activity(world, starts_at=datetime(2200, 1, 1, 9),
                                                                     ends_at=datetime(2200, 1, 1, 12)))
    assert refused.value.errors["starts_at"] == "Give a date between 1950-01-01 and 2100-12-31."
    assert rows(Activity) == before


def test_an_issue_raised_in_1800_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        issue_writes.log_issue(actor("coord1"), _issue(world, raised_on=date(1800, 6, 1)))
    assert refused.value.errors["raised_on"] == "Give a date between 1950-01-01 and 2100-12-31."
    assert rows(Issue) == 0


def test_contribution_with_negative_amount_or_far_date_is_refused(world, tmp_path):
    before = rows(Contribution), audits()
    at = forms(tmp_path, "components.forms_funding", "coord1")
    at.selectbox(key="ffc_fund").set_value(world.fund)
    at.selectbox(key="ffc_org").set_value(world.company)
    at.text_input(key="ffc_amount").input("-100")
    at.text_area(key="ffc_description").input("Hall hire")
    click(at, "Record contribution")
    assert "Enter a positive number" in errors(at)
    assert at.text_input(key="ffc_amount").value == "-100"
    assert (rows(Contribution), audits()) == before
    with pytest.raises(ValidationFailed) as refused:
        funding_writes.record_contribution(actor("coord1"), {
            "fund_id": world.fund, "contributor_org_id": world.company, "amount": "100", "currency": "USD",
            "received_on": date(1800, 1, 1)})
    assert refused.value.errors["received_on"] == "Give a date between 1950-01-01 and 2100-12-31."
    assert (rows(Contribution), audits()) == before


def test_negative_people_trained_and_participants_are_refused(world):
    from db.models import Site

    with session_scope() as s:
        s.add(Organisation(name="Ghana Police Service", kind="public_security", country="GH"))
    police = org_reads.register(SYSTEM, search="Ghana Police")[0]["id"].iloc[0]
    group_writes.update_group(SYSTEM, world.group_a, None, WorkingGroupUpdate(
        name="Ashanti Group", country="GH", level="regional", focus="security_human_rights",
        lead="joint", timezone="Africa/Accra", site_ids=[world.site]))
    with pytest.raises(ValidationFailed) as refused:
        learning_writes.add_training(SYSTEM, {"org_id": int(police), "unit": "Obuasi District", "site_id": world.site,
                                              "held_on": date(2026, 10, 1), "people_trained": -5, "topic": "VPs"})
    assert "people_trained" in refused.value.errors
    held = activity_writes.schedule_activity(SYSTEM, _activity(world, starts_at=datetime(2026, 11, 20, 9),
                                                               ends_at=datetime(2026, 11, 20, 12)))
    sheet = pd.DataFrame([{"org_id": world.gov, "organisation": "Ministry of Lands", "invited": True, "attended": True,
                           "participants": -3, "women": 0}])
    with pytest.raises(ValidationFailed) as refused:
        activity_writes.record_held(SYSTEM, held, 1, summary="", outcomes="Agreed", attendance=sheet)
    assert "Ministry of Lands: participants and women must be whole numbers of 0 or more." == refused.value.errors["attendance"]
    assert rows(Site) == 1
