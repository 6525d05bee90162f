"""Optimistic locking: a save names the version of the record it was made from, and is refused,
with the stored values, when someone else saved the record since."""
from __future__ import annotations

from sqlmodel import SQLModel

from db import audit
from db.errors import ConflictError
from i18n import _


def check_version(stored: SQLModel | dict, expected_version: int | None) -> None:
    """Refuse, with the stored values, when the record was saved since `expected_version`."""
    values = audit.snapshot(stored) or {}
    if expected_version is not None and values.get("version", expected_version) != expected_version:
        raise ConflictError(_("Someone else saved this record while you were editing it. "
                              "Your changes are kept below; compare them with the stored values and save again."),
                            stored=values)
