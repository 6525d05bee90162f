"""The audit log for the admin page: filtered, newest first, capped, and one entry's
before-and-after as readable rows. Admins only (Action.view_audit)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import NotFound
from db.models import AuditEntry
from db.permissions import Action, Actor, authorize
from db.reads.scope import day_start
from i18n import _

PAGE_ROWS = 200
CHANGED = "◆"  # plain-text marker in front of a changed field (no HTML anywhere)
COLUMNS = ["id", "at", "username", "action", "table_name", "row_id", "changed_fields"]


@dataclass(frozen=True)
class AuditFilters:
    username: str | None = None
    table_name: str | None = None
    row_id: int | None = None
    start: date | None = None
    end: date | None = None  # inclusive


@dataclass(frozen=True)
class AuditPage:
    entries: pd.DataFrame
    total: int


@dataclass(frozen=True)
class AuditDetail:
    id: int
    at: datetime
    username: str
    action: str
    table_name: str
    row_id: int | None
    changes: pd.DataFrame  # field, before, after, changed


def _conditions(filters: AuditFilters) -> list:
    conditions = []
    if filters.username:
        conditions.append(AuditEntry.username == filters.username)
    if filters.table_name:
        conditions.append(AuditEntry.table_name == filters.table_name)
    if filters.row_id is not None:
        conditions.append(AuditEntry.row_id == filters.row_id)
    if filters.start is not None:
        conditions.append(AuditEntry.at >= day_start(filters.start))
    if filters.end is not None:
        conditions.append(AuditEntry.at < day_start(filters.end + timedelta(days=1)))
    return conditions


def audit_entries(actor: Actor, filters: AuditFilters, limit: int = PAGE_ROWS, offset: int = 0) -> AuditPage:
    """Entries matching the filters, newest first, at most `limit` of them, and how many match."""
    authorize(actor, Action.view_audit)
    conditions = _conditions(filters)
    with session_scope() as s:
        total = s.execute(sa.select(sa.func.count()).select_from(AuditEntry).where(*conditions)).scalar_one()
        rows = s.execute(
            select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.action,
                   AuditEntry.table_name, AuditEntry.row_id, AuditEntry.before, AuditEntry.after)
            .where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit).offset(offset)).all()
    records = []  # times as naive UTC: Excel cannot hold time zones
    for row in rows:
        changed = [name for name, *_rest, is_changed in _diff_rows(row.before, row.after) if is_changed]
        records.append({"id": row.id, "at": _utc(row.at).replace(tzinfo=None), "username": row.username, "action": row.action,
                        "table_name": row.table_name, "row_id": row.row_id,
                        "changed_fields": ", ".join(changed)})
    return AuditPage(pd.DataFrame(records, columns=COLUMNS), total)


def audit_choices(actor: Actor) -> tuple[list[str], list[str]]:
    """The usernames and table names that appear in the log, for the filter pickers."""
    authorize(actor, Action.view_audit)
    with session_scope() as s:
        users = s.exec(select(AuditEntry.username).distinct().order_by(AuditEntry.username)).all()
        tables = s.exec(select(AuditEntry.table_name).distinct().order_by(AuditEntry.table_name)).all()
    return list(users), list(tables)


def audit_detail(actor: Actor, entry_id: int) -> AuditDetail:
    """One entry with its before and after side by side, one row per field."""
    authorize(actor, Action.view_audit)
    with session_scope() as s:
        entry = s.get(AuditEntry, entry_id)
        if entry is None:
            raise NotFound(_("That audit entry does not exist."))
        rows = _diff_rows(entry.before, entry.after)
        return AuditDetail(id=entry.id, at=_utc(entry.at), username=entry.username, action=entry.action,
                           table_name=entry.table_name, row_id=entry.row_id,
                           changes=pd.DataFrame(
                               [{"field": (f"{CHANGED} " if changed else "") + name, "before": before,
                                 "after": after, "changed": changed} for name, before, after, changed in rows],
                               columns=["field", "before", "after", "changed"]))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _load(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def _shown(value) -> str:
    """A stored value as plain text: empty for missing, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _diff_rows(before_text: str | None, after_text: str | None) -> list[tuple[str, str, str, bool]]:
    """(field, before, after, changed) for every field in either side, in the record's order.
    On a create every field counts as changed; on a delete too."""
    before, after = _load(before_text), _load(after_text)
    names = list(dict.fromkeys([*(before or {}), *(after or {})]))
    rows = []
    for name in names:
        old = (before or {}).get(name)
        new = (after or {}).get(name)
        changed = before is None or after is None or old != new
        rows.append((name, _shown(old) if before is not None else "", _shown(new) if after is not None else "", changed))
    return rows
