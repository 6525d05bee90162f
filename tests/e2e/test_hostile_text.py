"""Stored text is shown as text in the browser (issue 12, item 11): with an image, a "Session
expired - log in again" link and a bare address planted in every free-text field, Chromium never
asks for the image, the screen holds no link or image pointing at it, and the record pages show
the planted Markdown as the characters that were typed. tests/app/test_stored_text_shown_as_text.py
checks every page and form part the same way without a browser."""
from __future__ import annotations

import re

import pytest
from browser_helpers import exceptions, goto, login, wait_for_text
from sqlmodel import select

from components.entry import SECTIONS
from db import models as m
from db.engine import session_scope
from tests.hostile_text import CANARY, plant

pytestmark = pytest.mark.e2e

LITERAL = re.escape(f"[Session expired - log in again](http://{CANARY}/")


@pytest.fixture(scope="module")
def planted(app_server):
    """The module's server database with hostile text planted before any page is drawn (nothing is
    cached yet); the ids of the records whose pages are opened."""
    with session_scope() as s:
        plant(s)
        return {"group": s.exec(select(m.WorkingGroup.id)).first(), "org": s.exec(select(m.Organisation.id)).first(),
                "issue": s.exec(select(m.Issue.id).where(m.Issue.confidential.is_(False))).first(),
                "activity": s.exec(select(m.Activity.id)).first(), "document": s.exec(select(m.Document.id)).first()}


def planted_links(page) -> list[str]:
    """The elements (with their surroundings) that show a planted image or link."""
    return page.locator(f"img[src*='{CANARY}'], a[href*='{CANARY}']").evaluate_all(
        "found => found.map(e => { let n = e, ids = []; while (n) { if (n.dataset && n.dataset.testid) ids.push(n.dataset.testid); n = n.parentElement; } return ids.join('<') + ': ' + e.parentElement.outerHTML.slice(0, 300); })")


@pytest.mark.parametrize("user", ["admin", "viewer"])
def test_planted_markdown_shows_as_typed_and_nothing_is_fetched(page, app_server, planted, user):
    fetched: list[str] = []
    page.context.on("request", lambda request: CANARY in request.url and fetched.append(request.url))
    login(page, user)
    record_pages = [f"/working_groups?id={planted['group']}", f"/organisations?id={planted['org']}"]
    if user == "admin":
        record_pages += [f"/issues?id={planted['issue']}", f"/activities?id={planted['activity']}",
                         f"/documents?id={planted['document']}"]
    for path in record_pages:
        goto(page, app_server, path)
        wait_for_text(page, LITERAL)  # the record's name, as typed
        assert planted_links(page) == [], path
    entry_sections = [f"/data_entry?section={section.slug}" for section in SECTIONS]  # one section is built at a time
    for path in ["/overview", "/lessons", "/funding", "/commitments", *entry_sections] if user == "admin" else ["/overview"]:
        goto(page, app_server, path)
        assert planted_links(page) == [], path
    assert fetched == []
    assert not exceptions(page)
