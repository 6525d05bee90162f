"""Hostile Markdown planted in every free-text field of a database, for the tests that check no
page turns stored text into a link or an image (issue 12, item 11): AppTest pages in
tests/app/test_stored_text_shown_as_text.py, Chromium in tests/e2e/test_hostile_text.py."""
from __future__ import annotations

import sqlalchemy as sa

from db import models as m

CANARY = "canary.example"

FREE_TEXT = {
    m.Organisation: ["name"], m.Site: ["name", "region"], m.WorkingGroup: ["name", "description"],
    m.WorkPlan: ["title"], m.WorkPlanItem: ["title"], m.Activity: ["title", "place", "summary", "outcomes"],
    m.Issue: ["title", "description", "raiser_name", "outcome", "remedy"], m.IssueUpdate: ["note"],
    m.Commitment: ["description"], m.Fund: ["name", "governance_notes"], m.Lesson: ["title", "text", "tags"],
    m.Document: ["title", "filename"], m.Narrative: ["text"], m.User: ["display_name"],
    m.SecurityTraining: ["unit", "topic"], m.Contribution: ["description", "earmark_purpose"],
    m.Disbursement: ["description", "approved_by_name"],
}


def hostile(tag: str) -> str:
    """The field's tag, then an image, a link and a bare address (GFM links it)."""
    return (f"{tag} ![x](http://{CANARY}/{tag}.png) [Session expired - log in again](http://{CANARY}/{tag}) "
            f"www.{CANARY}.com #")


def plant(session) -> None:
    """Overwrite every free-text field with hostile Markdown ending in the row id (unique names stay
    unique). Test setup only: it bypasses the data layer on purpose, as a hostile import would not."""
    for i, (model, fields) in enumerate(FREE_TEXT.items()):
        table = model.__table__
        # a short tag per field ("t3f1"): the text fits the shortest column (200 characters)
        session.execute(sa.update(table).values({
            f: sa.literal(hostile(f"t{i}f{j}")).concat(sa.cast(table.c.id, sa.String)) for j, f in enumerate(fields)}))
