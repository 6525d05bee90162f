"""Who may do what is decided in db/permissions.py alone: no page, component, read, write or
import compares a role itself, and the UI's question and the SQL filters give the same answer as
the writes' `authorize`."""
from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.errors import PermissionDenied
from db.permissions import (
    EVERYTHING,
    NOTHING,
    Action,
    Actor,
    Scope,
    allowed,
    authorize,
    company_scope,
    confidential_scope,
    group_scope,
)
from db.vocab import Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [ROOT / "app.py", ROOT / "serve.py", *(ROOT / d for d in ("pages", "components", "db", "i18n"))]
POLICY = ROOT / "db" / "permissions.py"
ROLE_NAMES = {role.value for role in Role}


def _product_files() -> list[Path]:
    files = []
    for place in PRODUCT:
        files += [place] if place.is_file() else sorted(place.rglob("*.py"))
    return [f for f in files if f != POLICY and "migrations" not in f.parts]


def _is_role_value(node: ast.AST) -> bool:
    """A member of the Role enum, a role's name as a string, or a collection of those."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role":
        return node.attr in ROLE_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_role_value(e) for e in node.elts)
    return isinstance(node, ast.Constant) and node.value in ROLE_NAMES


def role_comparisons(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Compare) and any(_is_role_value(o) for o in [node.left, *node.comparators]):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_role_is_compared_outside_the_permissions_module():
    found = list(itertools.chain.from_iterable(role_comparisons(f) for f in _product_files()))
    assert found == [], "ask db/permissions (can, allowed, group_scope, company_scope) instead:\n" + "\n".join(found)


def test_the_walk_finds_a_role_comparison_when_there_is_one(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text('if actor.role == "admin" or Role.hq == user.role:\n    pass\n'
                      'if role is None or role not in Role.__members__ or role in (Role.viewer,):\n    pass\n')
    assert role_comparisons(sample, tmp_path) == ["page.py:1: actor.role == 'admin'", "page.py:1: Role.hq == user.role",
                                                  "page.py:3: role in (Role.viewer,)"]


def test_the_actor_has_no_second_confidentiality_rule():
    assert not hasattr(Actor, "sees_all_confidential")


# --------------------------------------------------------------------------- one answer, three forms

ADMIN = Actor(id=1, username="a", role=Role.admin)
COORDINATOR = Actor(id=2, username="c", role=Role.coordinator, org_id=7, group_ids=frozenset({1, 2}),
                    company_ids=frozenset({7}))
HQ = Actor(id=3, username="h", role=Role.hq, org_id=5, company_ids=frozenset({5, 6}),
           member_group_ids=frozenset({2, 3}))
VIEWER = Actor(id=4, username="v", role=Role.viewer)
ACTORS = [ADMIN, COORDINATOR, HQ, VIEWER]
GROUPS = [1, 2, 3, 4]
COMPANIES = [5, 6, 7, 8]


def _sql_allows(scope: Scope, ids: list[int]) -> list[int]:
    """Which of `ids` a query filtered by the scope returns."""
    engine = sa.create_engine("sqlite://")
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer))
    table.metadata.create_all(engine)
    with engine.begin() as c:
        c.execute(table.insert(), [{"id": i} for i in ids])
        return sorted(c.execute(sa.select(table.c.id).where(scope.sql(table.c.id))).scalars())


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.role)
def test_the_confidentiality_rule_answers_alike_in_python_and_in_sql(actor):
    scope = confidential_scope(actor)
    assert _sql_allows(scope, GROUPS) == [g for g in GROUPS if scope.allows(g)]


def test_who_sees_confidential_details():
    assert [g for g in GROUPS if confidential_scope(ADMIN).allows(g)] == GROUPS
    assert [g for g in GROUPS if confidential_scope(COORDINATOR).allows(g)] == [1, 2]
    assert confidential_scope(HQ) == NOTHING
    assert confidential_scope(VIEWER) == NOTHING
    assert confidential_scope(None) == NOTHING


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.role)
def test_the_ui_question_is_the_writes_answer(actor, action):
    """`allowed` (what forms show) and `authorize` (what writes enforce) never disagree."""
    for group_id, company_id in itertools.product([None, *GROUPS], [None, *COMPANIES]):
        try:
            authorize(actor, action, group_id=group_id, company_id=company_id)
            enforced = True
        except PermissionDenied:
            enforced = False
        assert allowed(actor, action, group_id=group_id, company_id=company_id) == enforced


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.role)
def test_a_group_scope_lists_the_groups_a_write_is_allowed_in(actor, action):
    scope = group_scope(actor, action)
    assert _sql_allows(scope, GROUPS) == [g for g in GROUPS if scope.allows(g)]
    if action not in {Action.edit_organisation, Action.edit_site}:  # shared records: by the groups using them
        company = next(iter(actor.company_ids), None)
        assert [g for g in GROUPS if scope.allows(g)] == [
            g for g in GROUPS if allowed(actor, action, group_id=g, company_id=company)]


def test_scopes_by_role():
    assert group_scope(ADMIN, Action.edit_issue) == EVERYTHING
    assert group_scope(COORDINATOR, Action.edit_issue) == Scope(frozenset({1, 2}))
    assert group_scope(COORDINATOR, Action.view_issues) == EVERYTHING  # reading is not limited to one's groups
    assert group_scope(HQ, Action.edit_issue) == NOTHING
    assert group_scope(HQ, Action.propose_work_item) == Scope(frozenset({2, 3}))
    assert group_scope(HQ, Action.edit_contribution) == EVERYTHING  # by company instead
    assert company_scope(HQ, Action.edit_contribution) == Scope(frozenset({5, 6}))
    assert company_scope(HQ, Action.view_reports) == Scope(frozenset({5, 6}))
    assert company_scope(COORDINATOR, Action.edit_contribution) == EVERYTHING
    assert company_scope(VIEWER, Action.edit_contribution) == NOTHING


def test_a_coordinators_lesson_names_one_of_their_groups_or_none():
    assert allowed(COORDINATOR, Action.edit_lesson)
    assert allowed(COORDINATOR, Action.edit_lesson, group_id=2)
    assert not allowed(COORDINATOR, Action.edit_lesson, group_id=3)
    assert allowed(HQ, Action.edit_lesson, group_id=4, company_id=6)
    assert not allowed(HQ, Action.edit_lesson, company_id=7)
