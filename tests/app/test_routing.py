"""Who reaches which page. The navigation per role equals the domain guide's Decisions table;
a page outside a role's navigation, run directly, shows the guard's message and no data; a
logged-out visitor running any page file alone sees only the login prompt."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.nav import PAGES, allowed_pages
from db.permissions import Actor
from db.vocab import Role
from tests.conftest import elements, page

ROOT = Path(__file__).resolve().parents[2]

EVERYONE = ["overview", "working_groups", "activities", "organisations", "issues", "grievance_health",
            "transparency"]
STAFF = EVERYONE + ["commitments", "lessons", "training", "documents", "funding", "scorecard", "reports",
                    "data_entry"]
ADMIN_ONLY = ["users", "audit_log", "backup"]
# The domain guide's Decisions table, written out independently of components/nav.py.
EXPECTED = {
    Role.admin: set(STAFF + ADMIN_ONLY),
    Role.coordinator: set(STAFF),
    Role.hq: set(STAFF),
    Role.viewer: set(EVERYONE),
}
DEMO_LOGIN = {Role.admin: "admin", Role.coordinator: "coordinator", Role.hq: "hq", Role.viewer: "viewer"}
DATA_ELEMENTS = {"dataframe", "arrow_data_frame", "table", "metric", "vega_lite_chart", "arrow_vega_lite_chart",
                 "plotly_chart", "deck_gl_json_chart", "map", "json", "download_button", "data_editor"}


def _name(path: str) -> str:
    return Path(path).stem


def element_types(at) -> list[str]:
    """Every element type in the run's tree (main and sidebar)."""
    return [kind for node in elements(at) if (kind := getattr(node, "type", None))]


def data_elements(at) -> list[str]:
    return [kind for kind in element_types(at) if kind in DATA_ELEMENTS]


def test_every_page_in_the_navigation_list_exists_and_starts_with_the_guard():
    assert {_name(spec.path) for spec in PAGES} == EXPECTED[Role.admin]
    import ast

    for spec in PAGES:
        tree = ast.parse((ROOT / spec.path).read_text())
        statements = [node for node in tree.body
                      if not isinstance(node, (ast.Import, ast.ImportFrom))
                      and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        first = statements[0]
        assert (isinstance(first, ast.Assign) and isinstance(first.value, ast.Call)
                and getattr(first.value.func, "id", None) == "require"), f"{spec.path} does not start with the guard"


def test_importing_what_pages_import_draws_nothing():
    """Pages import at the top like any module and call the guard first: that is safe only
    while no module they import shows anything (or reads the user) when it is imported."""
    script = """
import importlib, pkgutil
import components, db, seed
for package in (components, db, seed):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
"""
    at = AppTest.from_string(script, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    empty = AppTest.from_string("pass")
    empty.run()
    assert element_types(at) == element_types(empty)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_roles_navigation_holds_exactly_its_pages(role):
    actor = Actor(id=1, username=f"some_{role}", role=role)
    assert {_name(spec.path) for spec in allowed_pages(actor)} == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_the_app_registers_exactly_the_roles_pages(demo_db, role):
    at = page("app.py", DEMO_LOGIN[role])
    at.run(timeout=120)
    assert not at.exception, at.exception
    files = [info for info in at._registered_pages.values() if _name(info["script_path"])]
    assert {_name(info["script_path"]) for info in files} == EXPECTED[role]
    # and the app's root: a hidden page with no file of its own, which opens the first page
    assert len(at._registered_pages) == len(files) + 1


REFUSALS = [(role, spec.path) for role in Role for spec in PAGES if _name(spec.path) not in EXPECTED[role]]


@pytest.mark.parametrize("role,path", REFUSALS, ids=[f"{r}-{_name(p)}" for r, p in REFUSALS])
def test_a_page_outside_the_roles_navigation_shows_nothing(demo_db, role, path):
    at = page(path, DEMO_LOGIN[role])
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert data_elements(at) == []
    assert len(at.title) == 0 and len(at.text_input) == 0 and len(at.button) == 0


def test_every_role_has_something_refused_except_admin():
    assert {role for role, _path in REFUSALS} == {Role.coordinator, Role.hq, Role.viewer}
    assert len(REFUSALS) == 3 + 3 + (len(PAGES) - len(EVERYONE))


@pytest.mark.parametrize("path", [spec.path for spec in PAGES], ids=_name)
def test_a_logged_out_visitor_running_a_page_alone_sees_only_the_login_prompt(demo_db, path):
    at = page(path, None)
    at.run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["Please log in to see this page."]
    kinds = [k for k in element_types(at) if k not in ("root", "main", "sidebar", "event", "bottom")]
    # the message and the constant link to the login form (components/guard.py)
    assert kinds in (["alert", "html"], ["info", "html"]), kinds
