"""No page draws a link or an image out of stored text (issue 12, item 11). Every free-text
field of the demo database is overwritten with Markdown that would fetch a remote image and show
a live "Session expired" link; every page, and the record pages of a group, an organisation, an
issue, an activity and a document, and every part of every data-entry form, are then drawn for an
administrator (who sees everything) and every Markdown-bearing element and label is parsed as the
browser's Markdown renderer would (tests/e2e/test_hostile_text.py does the same in Chromium)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from db import models as m
from db.engine import session_scope
from tests.app.form_page import form_script
from tests.app.markdown_view import rendered
from tests.conftest import ROOT, page
from tests.hostile_text import CANARY, plant


@pytest.fixture
def hostile_db(demo_db):
    """The demo database with every free-text field replaced by hostile Markdown; the ids of records
    whose pages are opened."""
    with session_scope() as s:
        plant(s)
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
    found += [("download_button label", str(e.proto.label)) for e in at.get("download_button")]
    for e in at.table:  # st.table draws every cell as Markdown
        found += [("table cell", str(cell)) for cell in e.value.astype(str).to_numpy().ravel()]
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
