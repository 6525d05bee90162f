"""Issue 18 (19): every page passes axe-core with no serious or critical violation: the login
page, every page of the admin's navigation, and the coordinator's Data entry sections and an
issue's own page. axe-core's script comes inside axe-playwright-python (nothing is fetched)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import goto, login, nav_names, open_nav

from components.entry import sections_for
from db.engine import get_engine
from db.models import Issue
from db.users import load_actor

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")
# Streamlit's own elements that the app cannot fix: rule id -> the element (a CSS selector) whose
# nodes, and those inside it, that rule may flag. Each entry says why it cannot be fixed here.
EXCLUDED: dict[str, tuple[str, ...]] = {
    # The sidebar navigation's sections: Streamlit draws each as a <div> holding its heading and
    # <li> links inside the one <ul>; st.navigation gives no say in that markup.
    "list": ("[data-testid='stSidebarNavItems']",),
    "listitem": ("[data-testid='stSidebarNavItems']",),
}
# The only frames are Streamlit components with no text (the login cookie's); axe would wait
# for an answer from each frame it was not injected into.
OPTIONS = {"resultTypes": ["violations"], "iframes": False}

_axe = Axe()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    target: str
    why: str
    html: str


def blocking_violations(page, where: str) -> dict[Violation, list[str]]:
    """Each serious or critical violation on the screen, with the page it was found on."""
    found: dict[Violation, list[str]] = {}
    for violation in _axe.run(page, options=OPTIONS).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            if _excluded(page, violation["id"], target):
                continue
            why = "; ".join(check["message"] for check in node["any"] + node["all"] + node["none"])
            found.setdefault(Violation(violation["id"], violation["impact"], violation["help"], target,
                                       why, node["html"][:200]), []).append(where)
    return found


def _excluded(page, rule: str, target: str) -> bool:
    return any(page.evaluate("([target, inside]) => !!document.querySelector(target)?.closest(inside)",
                             [target, inside]) for inside in EXCLUDED.get(rule, ()))


def merge(into: dict[Violation, list[str]], more: dict[Violation, list[str]]) -> None:
    for violation, pages in more.items():
        into.setdefault(violation, []).extend(pages)


def report(found: dict[Violation, list[str]]) -> str:
    """One line per rule and element: rule (impact) at target, on which pages, and why."""
    lines = [f"{v.rule} ({v.impact}) at {v.target}\n    on: {', '.join(pages)}\n    {v.why or v.help}\n    {v.html}"
             for v, pages in sorted(found.items(), key=lambda item: (item[0].rule, item[0].target))]
    return f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(lines)


def test_the_login_page_has_no_serious_violation(page):
    found = blocking_violations(page, "login")
    assert not found, report(found)


def test_every_admin_page_has_no_serious_violation(page):
    login(page, "admin")
    found: dict[Violation, list[str]] = {}
    for name in nav_names(page):
        open_nav(page, name)
        merge(found, blocking_violations(page, name))
    assert not found, report(found)


def test_the_coordinators_forms_and_an_issue_page_have_no_serious_violation(page, app_server):
    coordinator = load_actor("coordinator")
    with get_engine(app_server.database_url).connect() as c:
        issue_id = c.execute(sa.select(sa.func.min(Issue.id)).where(
            Issue.group_id.in_(coordinator.group_ids), Issue.confidential == False)).scalar()  # noqa: E712
    login(page, "coordinator")
    found: dict[Violation, list[str]] = {}
    for section in sections_for(coordinator):
        goto(page, app_server, f"/data_entry?section={section.slug}")
        merge(found, blocking_violations(page, f"Data entry, {section.slug}"))
    goto(page, app_server, f"/issues?id={issue_id}")
    merge(found, blocking_violations(page, f"issue {issue_id}"))
    assert not found, report(found)
