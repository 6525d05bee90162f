"""A validated import plan and the one transaction that applies it.

Validation (db/imports/validate.py, db/imports/offline.py) turns each row into a `Step`: a
small function that writes that row in the session it is given. `apply_plan` runs every step
in ONE transaction and adds ONE audit entry (bulk_load) with the counts, which also bumps the
data version. Steps check the permission again and updates check the version again, so a
change made between validation and apply refuses the whole file rather than overwriting."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import sqlalchemy as sa
from sqlmodel import Session

from db import audit
from db.engine import session_scope
from db.errors import ConflictError, PermissionDenied, ValidationFailed
from db.imports.parse import RowError
from db.permissions import Action, Actor, can
from db.vocab import AuditAction
from i18n import _

CHUNK = 200  # rows between two progress reports
Progress = Callable[[float, str], None]


@dataclass
class Step:
    sheet: str
    row: int
    table: str           # the table written, for the counts
    op: str              # "create", "update" or "unchanged"
    run: Callable[[Session, dict], None] | None = None


@dataclass
class Conflict:
    """An offline row whose record someone else changed since the workbook was made."""
    sheet: str
    row: int
    record: str
    column: str
    yours: str
    stored: str


@dataclass
class Plan:
    source: str                      # the file's name, for the audit entry
    audit_table: str
    audit_row: int | None = None
    steps: list[Step] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_rows: set[tuple[str, int]] = field(default_factory=set)

    def error(self, row: int | None, column: str, reason: str, sheet: str = "") -> None:
        self.errors.append(RowError(row, column, reason, sheet))

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        """{table: {"create": n, "update": n, "unchanged": n}} for the steps that would apply."""
        tally: dict[str, Counter] = {}
        for step in self.steps:
            if (step.sheet, step.row) not in self.conflict_rows:
                tally.setdefault(step.table, Counter())[step.op] += 1
        return {table: dict(counter) for table, counter in tally.items()}


def versioned_update(s: Session, model, record_id: int, expected_version: int | None,
                     changes: dict[str, Any]) -> None:
    """Update one row only if it still has the version the plan saw (no silent overwrite)."""
    statement = sa.update(model).where(model.id == record_id)
    values = dict(changes)
    if expected_version is not None and hasattr(model, "version"):
        statement = statement.where(model.version == expected_version)
        values["version"] = expected_version + 1
    if s.execute(statement.values(**values)).rowcount != 1:
        stored = s.get(model, record_id)
        raise ConflictError(_("Someone else changed a record of this file since it was checked. "
                              "Nothing was imported; check the file again."), stored=audit.snapshot(stored) or {})


def apply_plan(actor: Actor, plan: Plan, *, progress: Progress | None = None,
               skip_conflicts: bool = False) -> dict[str, dict[str, int]]:
    """Write every step in one transaction with one audit entry; returns the counts.
    Refused while the plan has errors, or conflicts that the user has not agreed to skip."""
    if not can(actor, Action.import_data):
        raise PermissionDenied(_("Your role may not import data."))
    if plan.errors:
        raise ValidationFailed({"file": _("The file has errors; correct them and upload it again.")})
    if plan.conflicts and not skip_conflicts:
        raise ValidationFailed({"file": _("Some rows conflict with changes made meanwhile; confirm to apply the others.")})
    steps = [s for s in plan.steps if s.run is not None and (s.sheet, s.row) not in plan.conflict_rows]
    counts = plan.counts()
    with session_scope() as s:
        context: dict = {}
        for done, step in enumerate(steps, start=1):
            step.run(s, context)
            if progress and (done % CHUNK == 0 or done == len(steps)):
                s.flush()
                progress(done / len(steps), _("Saved {done} of {total} rows").format(done=done, total=len(steps)))
        audit.record(s, actor, AuditAction.bulk_load, plan.audit_table, plan.audit_row,
                     after={"source": plan.source, "counts": counts,
                            "skipped_conflicts": len(plan.conflict_rows) if skip_conflicts else 0})
    return counts
