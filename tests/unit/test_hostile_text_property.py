"""Random text thrown at the data layer's create functions (hypothesis).

For every input the write either refuses it with ValidationFailed naming a field and saying
why, or stores it so that it reads back exactly as typed (less the documented strip of
surrounding whitespace). Never another exception, and a refusal leaves no row and no audit
entry behind. Whether a value is acceptable is predicted from the documented rules (the
length limits in db/vocab.py, control characters other than newline and tab refused), so a
rule the code forgets to enforce fails here too."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import (
    CONTROL_CHARS,
    Activity,
    AuditEntry,
    Contribution,
    Issue,
    IssueUpdate,
    Lesson,
    Organisation,
    WorkingGroup,
)
from db.permissions import SYSTEM
from db.vocab import NAME_MAX, TEXT_MAX, TITLE_MAX
from db.writes import activities as activity_writes
from db.writes import funding as funding_writes
from db.writes import groups as group_writes
from db.writes import issues as issue_writes
from db.writes import learning as learning_writes
from db.writes import organisations as org_writes
from tests.unit.engagement_world import build

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Printable text of every script, emoji and joiners, control characters, and long runs.
_LETTERS = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85", "\x9f", "\n", "\t"])
_SPECIAL = st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE issue; --", "%", "_", "\\", "مرحبا",
                            "שלום", "👩🏽‍🌾", "🇬🇭", "\u200f", "\u202e", " ", "\u00a0"])
TEXT = st.one_of(
    _LETTERS,
    st.lists(st.one_of(_LETTERS, _CONTROL, _SPECIAL), max_size=8).map("".join),
    st.tuples(st.sampled_from(["a", "é", "😀", " "]), st.sampled_from([NAME_MAX - 1, NAME_MAX, NAME_MAX + 1,
                                                                       TEXT_MAX, TEXT_MAX + 1])).map(lambda t: t[0] * t[1]),
)


def is_refused_control(ch: str) -> bool:
    """Control characters (Unicode Cc) other than newline and tab are refused."""
    return unicodedata.category(ch) == "Cc" and ch not in "\n\t"


# Invisible and direction-changing characters, refused everywhere; names and titles also refuse
# the marks and joiners that right-to-left and Indic or Persian prose needs (issue 12, item 12).
ALWAYS_REFUSED = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\u2061\u2062"
                     "\u2063\u2064\ufeff\u00ad\u180e")
REFUSED_IN_NAMES = ALWAYS_REFUSED | set("\u200e\u200f\u061c")
JOINERS = set("\u200c\u200d")


def misplaced_joiner(value: str) -> bool:
    """Names keep a joiner only between two non-ASCII characters (emoji, Persian, Indic)."""
    return any(ch in JOINERS and (i == 0 or i == len(value) - 1 or value[i - 1].isascii() or value[i + 1].isascii())
               for i, ch in enumerate(value))


def acceptable(value: str, min_length: int, max_length: int, *, name: bool = False) -> bool:
    if any(is_refused_control(ch) for ch in value):
        return False
    if set(value) & (REFUSED_IN_NAMES if name else ALWAYS_REFUSED) or (name and misplaced_joiner(value)):
        return False
    return min_length <= len(value.strip()) <= max_length


def counts(*models) -> tuple[int, ...]:
    with session_scope() as s:
        return tuple(s.execute(select(sa.func.count()).select_from(m)).scalar_one() for m in (*models, AuditEntry))


def stored(model, row_id: int):
    with session_scope() as s:
        return s.get(model, row_id)


def check(create, models: tuple, expect_ok: bool | None, fields: set[str]):
    """Run one create; check refusal or round trip. Returns the stored id, or None if refused.
    expect_ok None: either outcome is fine (the other checks still apply)."""
    before = counts(*models)
    try:
        row_id = create()
    except ValidationFailed as refusal:
        assert refusal.errors and set(refusal.errors) <= fields | {"name"}, refusal.errors
        assert all(isinstance(m, str) and m.strip() for m in refusal.errors.values())
        assert counts(*models) == before, "a refused write left rows or audit entries behind"
        assert expect_ok is not True, f"acceptable input refused: {refusal.errors}"
        return None
    assert expect_ok is not False, "input that breaks the documented rules was stored"
    after = counts(*models)
    assert after[0] == before[0] + 1 and after[-1] > before[-1]
    return row_id


def name_taken(model, name: str) -> bool:
    """Whether a row already has this name. Text the rules refuse (control characters) is never
    stored, so it is not looked up: PostgreSQL will not even compare a string holding NUL."""
    if CONTROL_CHARS.search(name) or set(name) & REFUSED_IN_NAMES:
        return False
    with session_scope() as s:
        return s.exec(select(model.id).where(model.name == name.strip())).first() is not None


@pytest.fixture
def world(empty_db):
    return build()


@SETTINGS
@given(name=TEXT)
def test_organisation_name(world, name):
    taken = name_taken(Organisation, name)
    row = check(lambda: org_writes.create_organisation(SYSTEM, {"name": name, "kind": "civil_society", "country": "GH"}),
                (Organisation,), acceptable(name, 2, NAME_MAX, name=True) and not taken, {"name"})
    if row is not None:
        assert stored(Organisation, row).name == name.strip()


@SETTINGS
@given(name=TEXT, description=TEXT)
def test_working_group_name_and_description(world, name, description):
    taken = name_taken(WorkingGroup, name)
    ok = acceptable(name, 3, NAME_MAX, name=True) and not taken and acceptable(description, 0, TEXT_MAX)
    row = check(lambda: group_writes.create_group(SYSTEM, {
        "name": name, "country": "GH", "level": "local", "focus": "other", "lead": "joint",
        "description": description}), (WorkingGroup,), ok, {"name", "description"})
    if row is not None:
        group = stored(WorkingGroup, row)
        assert (group.name, group.description) == (name.strip(), description.strip())


@SETTINGS
@given(title=TEXT, description=TEXT)
def test_issue_title_and_description(world, title, description):
    ok = acceptable(title, 3, TITLE_MAX, name=True) and acceptable(description, 0, TEXT_MAX)
    before_updates = counts(IssueUpdate)[0]
    created = check(lambda: issue_writes.log_issue(SYSTEM, {
        "group_id": world.group_a, "title": title, "description": description, "category": "land",
        "raiser_pillar": "community", "anonymous": True, "channel": "meeting", "raised_on": date(2026, 11, 2),
        "severity": "medium"}).id, (Issue,), ok, {"title", "description"})
    if created is not None:
        issue = stored(Issue, created)
        assert (issue.title, issue.description) == (title.strip(), description.strip())
        assert counts(IssueUpdate)[0] == before_updates + 1
    else:
        assert counts(IssueUpdate)[0] == before_updates


@SETTINGS
@given(title=TEXT, text=TEXT)
def test_lesson_title_and_text(world, title, text):
    ok = acceptable(title, 3, TITLE_MAX, name=True) and acceptable(text, 10, TEXT_MAX)
    lesson = check(lambda: learning_writes.add_lesson(SYSTEM, {
        "title": title, "text": text, "org_id": world.ngo, "shared_on": date(2026, 10, 1)}).id,
        (Lesson,), ok, {"title", "text"})
    if lesson is not None:
        row = stored(Lesson, lesson)
        assert (row.title, row.text) == (title.strip(), text.strip())


@pytest.fixture
def fund(world):
    return funding_writes.create_fund(SYSTEM, {"group_id": world.group_a, "name": "Ashanti Trust Fund",
                                               "kind": "trust_fund", "currency": "USD"}).id


@SETTINGS
@given(description=TEXT, amount=st.one_of(st.sampled_from(["-5", "-0.01", "0", "1e3", "12.345", "100", " 99.5 "]), TEXT))
def test_contribution_description_and_amount(world, fund, description, amount):
    known = {"100": 10000, "99.5": 9950}
    if not acceptable(description, 3, TEXT_MAX) or amount.strip() in ("-5", "-0.01", "0", "1e3", "12.345"):
        ok = False
    else:
        ok = True if amount.strip() in known else None  # random text: refused or parsed, never a crash
    made = check(lambda: funding_writes.record_contribution(SYSTEM, {
        "fund_id": fund, "contributor_org_id": world.company, "kind": "in_kind", "amount": amount,
        "currency": "USD", "description": description, "received_on": date(2026, 10, 1)}).id,
        (Contribution,), ok, {"amount", "description"})
    if made is not None:
        row = stored(Contribution, made)
        assert row.description == description.strip()
        assert row.amount_minor > 0
        if amount.strip() in known:
            assert row.amount_minor == known[amount.strip()]


@SETTINGS
@given(title=TEXT, summary=TEXT)
def test_activity_title_and_summary(world, title, summary):
    ok = acceptable(title, 3, TITLE_MAX, name=True) and acceptable(summary, 0, TEXT_MAX)
    from datetime import datetime

    made = check(lambda: activity_writes.schedule_activity(SYSTEM, {
        "group_id": world.group_a, "kind": "workshop", "title": title, "summary": summary,
        "starts_at": datetime(2026, 12, 1, 9), "ends_at": datetime(2026, 12, 1, 12)}),
        (Activity,), ok, {"title", "summary"})
    if made is not None:
        row = stored(Activity, made)
        assert (row.title, row.summary) == (title.strip(), summary.strip())
