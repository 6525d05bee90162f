"""Audit entries and the data version, written in the same transaction as the change."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from db.models import AuditEntry, DataVersion
from db.permissions import Actor
from db.vocab import AuditAction

# Never copied into the audit log.
SECRET_FIELDS = {"password_hash", "content"}


def snapshot(record: SQLModel | dict | None) -> dict | None:
    """The record's columns as plain JSON-able values (secrets and file bodies left out)."""
    if record is None:
        return None
    values = record if isinstance(record, dict) else record.model_dump()
    return {key: _plain(value) for key, value in values.items() if key not in SECRET_FIELDS}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def record(session: Session, actor: Actor, action: AuditAction, table: str, row_id: int | None,
           before: dict | None = None, after: dict | None = None) -> None:
    """Add one audit entry and bump the data version, inside the caller's transaction."""
    session.add(AuditEntry(user_id=actor.id, username=actor.username, action=action,
                           table_name=table, row_id=row_id,
                           before=json.dumps(before, ensure_ascii=False, default=str) if before is not None else None,
                           after=json.dumps(after, ensure_ascii=False, default=str) if after is not None else None))
    bump_data_version(session)


def bump_data_version(session: Session) -> None:
    result = session.execute(sa.update(DataVersion).where(col(DataVersion.id) == 1)
                             .values(version=col(DataVersion.version) + 1))
    if cast(sa.CursorResult, result).rowcount == 0:
        session.add(DataVersion(id=1, version=1))
        session.flush()
