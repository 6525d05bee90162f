"""No page draws a link or an image out of stored text (issue 12, item 11). Every free-text
field of the demo database is overwritten with Markdown that would fetch a remote image and show
a live "Session expired" link; every page, and the record pages of a group, an organisation, an
issue, an activity and a document, and every part of every data-entry form, are then drawn for an administrator (who sees everything) and
every Markdown-bearing element and label is parsed as the browser's Markdown renderer would."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db import models as m
from db.engine import session_scope
from tests.app.form_page import form_script
from tests.app.markdown_view import rendered
from tests.conftest import ROOT, page

CANARY = "canary.example"


def hostile(tag: str) -> str:
    """A short name for the field's tag, then an image, a link and a bare address (linked by GFM)."""
    return (f"{tag} ![x](http://{CANARY}/{tag}.png) [Session expired - log in again](http://{CANARY}/{tag}) "
            f"www.{CANARY}.com #")


FREE_TEXT = {
    m.Organisation: ["name"], m.Site: ["name", "region"], m.WorkingGroup: ["name", "description"],
    m.WorkPlan: ["title"], m.WorkPlanItem: ["title"], m.Activity: ["title", "place", "summary", "outcomes"],
    m.Issue: ["title", "description", "raiser_name", "outcome", "remedy"], m.IssueUpdate: ["note"],
    m.Commitment: ["description"], m.Fund: ["name", "governance_notes"], m.Lesson: ["title", "text", "tags"],
    m.Document: ["title", "filename"], m.Narrative: ["text"], m.User: ["display_name"],
    m.SecurityTraining: ["unit", "topic"], m.Contribution: ["description", "earmark_purpose"],
    m.Disbursement: ["description", "approved_by_name"],
}


@pytest.fixture
def hostile_db(demo_db):
    """The demo database with every free-text field replaced by hostile Markdown ending in the row id,
    so unique names stay unique."""
    with session_scope() as s:
        for model, fields in FREE_TEXT.items():
            table = model.__table__
            s.execute(sa.update(table).values({
                f: sa.literal(hostile(f"{table.name}.{f}")).concat(sa.cast(table.c.id, sa.String)) for f in fields}))
        ids = {"group": s.exec(select(m.WorkingGroup.id)).first(), "org": s.exec(select(m.Organisation.id)).first(),
               "issue": s.exec(select(m.Issue.id).where(m.Issue.confidential.is_(False))).first(),
               "activity": s.exec(select(m.Activity.id)).first(), "document": s.exec(select(m.Document.id)).first()}
    return ids


def markdown_sources(at) -> list[tuple[str, str]]:
    """(element kind, source) of everything Streamlit draws as Markdown on the page."""
    found = []
    for kind in ("markdown", "title", "header", "subheader", "caption", "info", "success", "warning", "error"):
        found += [(kind, str(e.value)) for e in getattr(at, kind)]
    for kind in ("expander", "tabs", "button", "checkbox", "toggle", "radio", "selectbox", "multiselect",
                 "text_input", "text_area", "number_input", "date_input", "segmented_control", "metric"):
        found += [(f"{kind} label", str(e.label)) for e in getattr(at, kind)]
    for e in at.radio:
        found += [("radio option", str(o)) for o in e.options]
    return found


PAGES = [(path.name, None) for path in sorted((ROOT / "pages").glob("*.py"))] + [
    ("working_groups.py", "group"), ("organisations.py", "org"), ("issues.py", "issue"),
    ("activities.py", "activity"), ("documents.py", "document")]


@pytest.mark.parametrize(("name", "record"), PAGES, ids=[f"{n}{'?' + r if r else ''}" for n, r in PAGES])
def test_no_page_draws_a_link_or_an_image_from_stored_text(hostile_db, name, record):
    at = page(f"pages/{name}", "admin", {"id": str(hostile_db[record])} if record else None).run()
    assert not at.exception, at.exception
    sources = markdown_sources(at)
    live = [(kind, source) for kind, source in sources
            if any(CANARY in url for url in rendered(source).links + rendered(source).images)]
    assert live == [], f"{len(live)} elements turn stored text into a link or an image, first: {live[:3]}"
    if record:  # the record page shows its name, and shows it as typed
        shown = "\n".join(rendered(source).text for _, source in sources)
        assert f"](http://{CANARY}/" in shown, "the record's stored name is not on its page"


def live_links(at) -> list[tuple[str, str]]:
    return [(kind, source) for kind, source in markdown_sources(at)
            if any(CANARY in url for url in rendered(source).links + rendered(source).images)]


FORMS = sorted(path.stem for path in (ROOT / "components").glob("forms_*.py"))


@pytest.mark.parametrize("module", FORMS)
def test_no_data_entry_form_draws_a_link_or_an_image_from_stored_text(hostile_db, tmp_path, module):
    """Each part of the form (the segmented choice at its top) with its pickers and record lists."""
    at = page(form_script(tmp_path, f"components.{module}"), "admin").run()
    assert not at.exception, at.exception
    parts = [None] + (list(at.segmented_control[0].options) if at.segmented_control else [])
    for part in parts:
        if part is not None:
            at.segmented_control[0].set_value(part).run()
            assert not at.exception, (part, at.exception)
        assert live_links(at) == [], f"{module} {part or ''}: {live_links(at)[:3]}"
