"""Documents: the list (metadata only: the file bodies stay in the database until someone
downloads one) and one document's bytes on demand.

A confidential issue's documents are listed as "Confidential", without download, to
everyone but admins and that group's coordinators (db/permissions.confidential_scope).
Uploaders appear as their organisation to everyone but admins."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import NotFound, PermissionDenied
from db.models import Activity, Document, Issue, Organisation, User, WorkingGroup
from db.permissions import Action, Actor, can, confidential_scope
from db.reads.scope import newest_first
from i18n import _

LIST_COLUMNS = ["id", "uploaded_at", "group", "attached_to", "kind", "title", "filename", "size_bytes",
                "added_by", "downloadable"]


def _require(actor: Actor) -> None:
    if not can(actor, Action.view_documents):
        raise PermissionDenied(_("Your role may not see documents."))


def _hidden(actor: Actor, confidential: bool | None, group_id: int) -> bool:
    return bool(confidential) and not confidential_scope(actor).allows(group_id)


def documents(actor: Actor, group_ids: tuple[int, ...] = (), kinds: tuple[str, ...] = (), *,
              limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Documents newest first (at most `limit`) and how many match in all. Never loads the
    content column."""
    _require(actor)
    condition = sa.true()
    if group_ids:
        condition &= Document.group_id.in_(group_ids)
    if kinds:
        condition &= Document.kind.in_(kinds)
    uploader_org = sa.orm.aliased(Organisation)
    statement = (
        select(Document.id, Document.uploaded_at, Document.group_id, WorkingGroup.name.label("group"),
               Activity.title.label("activity"), Issue.case_number, Issue.confidential,
               Document.kind, Document.title, Document.filename, Document.size_bytes,
               User.display_name.label("uploader"), uploader_org.name.label("uploader_org"))
        .join(WorkingGroup, WorkingGroup.id == Document.group_id)
        .outerjoin(Activity, Activity.id == Document.activity_id)
        .outerjoin(Issue, Issue.id == Document.issue_id)
        .outerjoin(User, User.id == Document.uploaded_by_user_id)
        .outerjoin(uploader_org, uploader_org.id == User.org_id)
    )
    rows, total = newest_first(statement, Document, Document.uploaded_at, condition, limit)
    confidential = _("Confidential")
    shown = []
    for row in rows:
        hidden = _hidden(actor, row["confidential"], row["group_id"])
        if row["activity"]:
            attached = _("Activity: {title}").format(title=row["activity"])
        elif row["case_number"]:
            attached = _("Issue {case}").format(case=row["case_number"])
        else:
            attached = _("Working group")
        if can(actor, Action.view_entered_by):
            added_by = row["uploader"] or _("System")
        else:
            added_by = row["uploader_org"] or _("Secretariat")
        shown.append({"id": row["id"], "uploaded_at": row["uploaded_at"], "group": row["group"],
                      "attached_to": attached, "kind": row["kind"],
                      "title": confidential if hidden else row["title"],
                      "filename": confidential if hidden else row["filename"],
                      "size_bytes": row["size_bytes"], "added_by": added_by, "downloadable": not hidden})
    return pd.DataFrame(shown, columns=LIST_COLUMNS), total


@dataclass(frozen=True)
class DocumentFile:
    id: int
    filename: str
    content_type: str
    content: bytes
    uploaded_at: datetime


def document_file(actor: Actor, document_id: int) -> DocumentFile:
    """One document's bytes, loaded on demand. Refused for a confidential issue's document
    unless the actor may see that issue's details."""
    _require(actor)
    with session_scope() as s:
        row = s.execute(select(Document.group_id, Issue.confidential)
                        .outerjoin(Issue, Issue.id == Document.issue_id)
                        .where(Document.id == document_id)).first()
        if row is None:
            raise NotFound(_("That document no longer exists."))
        if _hidden(actor, row.confidential, row.group_id):
            raise PermissionDenied(_("This document belongs to a confidential issue."))
        found = s.execute(select(Document.id, Document.filename, Document.content_type, Document.content,
                                 Document.uploaded_at).where(Document.id == document_id)).one()
    return DocumentFile(*found)


def attachable(actor: Actor, group_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A group's activities (id, label) and issues (id, label) a document may be attached to,
    newest first. Issue labels are case numbers only (titles may be confidential)."""
    with session_scope() as s:
        activities = pd.DataFrame(
            [{"id": r.id, "label": f"{r.starts_at:%Y-%m-%d} · {r.title}"} for r in s.execute(
                select(Activity.id, Activity.starts_at, Activity.title).where(Activity.group_id == group_id)
                .order_by(Activity.starts_at.desc()).limit(300))], columns=["id", "label"])
        issues = pd.DataFrame(
            [{"id": r.id, "label": f"{r.case_number} · {r.raised_on:%Y-%m-%d}"} for r in s.execute(
                select(Issue.id, Issue.case_number, Issue.raised_on).where(Issue.group_id == group_id)
                .order_by(Issue.raised_on.desc()).limit(300))], columns=["id", "label"])
    return activities, issues
