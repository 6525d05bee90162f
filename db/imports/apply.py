"""A validated import plan and the one transaction that applies it.

Validation (db/imports/validate.py, db/imports/offline.py) runs on a read-only session and turns
each row into a `Step`: new rows as `Insert`s (their column values, which may name the id of a
row the same file adds), changes as a small function that writes in the session it is given.
`apply_plan` writes every step in ONE transaction and adds ONE audit entry (bulk_load) with the
counts, which also bumps the data version. Inserts go in batches of BATCH rows (one statement
each, with RETURNING where a later row needs the new id), so the transaction, and SQLite's write
lock, lasts seconds even for a large file. Steps check the permission again and updates check
the version again, so a change made between validation and apply refuses the whole file rather
than overwriting."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlmodel import Session

from db import audit
from db.engine import session_scope
from db.errors import ConflictError, PermissionDenied, ValidationFailed
from db.imports.parse import RowError
from db.permissions import Action, Actor, can
from db.vocab import AuditAction
from i18n import _

CHUNK = 200   # rows between two progress reports
BATCH = 1000  # rows per INSERT statement
Progress = Callable[[float, str], None]


class NotYetWritten(KeyError):
    """An insert names the id of a row of the same file that is not written yet."""


@dataclass
class Insert:
    """One new row: `values(ids)` gives its columns, where `ids` maps the `key` of rows this
    file added before to their new ids (raise NotYetWritten through `Ids.__getitem__`)."""
    model: type
    values: Callable[["Ids"], dict[str, Any]]
    key: Any = None           # when later rows refer to this one's id
    check: Callable[[], None] | None = None  # the permission check, made again at apply


class Ids(dict):
    def __missing__(self, key):
        raise NotYetWritten(key)


@dataclass
class Step:
    sheet: str
    row: int
    table: str           # the table written, for the counts
    op: str              # "create", "update" or "unchanged"
    run: Callable[[Session, dict], None] | None = None
    inserts: tuple[Insert, ...] = ()


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
    steps = [s for s in plan.steps if (s.run is not None or s.inserts) and (s.sheet, s.row) not in plan.conflict_rows]
    counts = plan.counts()
    with session_scope() as s:
        # The audit entry first: its insert opens the write transaction (on SQLite, takes the
        # write lock), so the ids reserved for new rows below cannot be taken meanwhile.
        audit.record(s, actor, AuditAction.bulk_load, plan.audit_table, plan.audit_row,
                     after={"source": plan.source, "counts": counts,
                            "skipped_conflicts": len(plan.conflict_rows) if skip_conflicts else 0})
        s.flush()
        writer = _BatchWriter(s)
        for done, step in enumerate(steps, start=1):
            if step.run is not None:  # changes to stored rows: none of them reads a new row
                step.run(s, writer.ids)
            for insert in step.inserts:
                writer.add(insert)
            if progress and (done % CHUNK == 0 or done == len(steps)):
                progress(done / len(steps), _("Saved {done} of {total} rows").format(done=done, total=len(steps)))
        writer.flush()
    return counts


class _BatchWriter:
    """Collects new rows per table and writes each table's rows as multi-row INSERTs. A row
    whose values name an id not written yet waits until the row it names is written."""

    def __init__(self, session: Session):
        self.session = session
        self.ids = Ids()
        self.pending: dict[type, list[Insert]] = {}

    def add(self, insert: Insert) -> None:
        if insert.check is not None:
            insert.check()
        queue = self.pending.setdefault(insert.model, [])
        queue.append(insert)
        if len(queue) >= BATCH:
            self._write_ready(insert.model)

    def flush(self) -> None:
        while self.pending:
            if not any([self._write_ready(model) for model in list(self.pending)]):
                raise RuntimeError("An import row refers to a new row that the plan never writes.")

    def _write_ready(self, model: type) -> bool:
        """Write the leading rows of `model` whose ids they name are known; True if any."""
        queue = self.pending.get(model, [])
        rows: list[dict[str, Any]] = []
        for insert in queue:
            try:
                rows.append(self._columns(insert))
            except NotYetWritten:
                break
        if not rows:
            return False
        written, self.pending[model] = queue[:len(rows)], queue[len(rows):]
        if not self.pending[model]:
            del self.pending[model]
        self.session.flush()  # ORM changes made by earlier steps go first
        for start in range(0, len(rows), BATCH):
            part, inserts = rows[start:start + BATCH], written[start:start + BATCH]
            if any(i.key is not None for i in inserts):
                # Later rows need these ids: reserve them in one statement and write them
                # (RETURNING in parameter order would fall back to one INSERT per row on SQLite).
                for row, insert, new_id in zip(part, inserts, _reserve_ids(self.session, model, len(part))):
                    row["id"] = new_id
                    if insert.key is not None:
                        self.ids[insert.key] = new_id
            self.session.execute(sa.insert(model), part)
        return True

    def _columns(self, insert: Insert) -> dict[str, Any]:
        """Every column of the new row, with the model's defaults (version, timestamps).
        Built from the field defaults: making a model instance per row took most of the time."""
        values = insert.values(self.ids)
        row = {}
        for name, default in _defaults(insert.model):
            if name in values:
                row[name] = values[name]
            elif callable(default):
                row[name] = default()
            else:
                row[name] = default
        return row


@lru_cache(maxsize=None)
def _defaults(model) -> tuple[tuple[str, Any], ...]:
    """(column, default) for every column but the id: a constant, or a factory to call."""
    out = []
    for column in model.__table__.columns:
        field = model.model_fields.get(column.name)
        if column.name == "id" or (column.server_default is not None and (field is None or field.is_required())):
            continue  # the database fills these
        if field is not None and field.default_factory is not None:
            out.append((column.name, field.default_factory))
        elif field is not None and field.default is not PydanticUndefined:
            out.append((column.name, _constant(field.default)))
        else:
            out.append((column.name, _constant(None)))
    return tuple(out)


def _constant(value):
    return value if not callable(value) else (lambda: value)


def _reserve_ids(session: Session, model, n: int) -> list[int]:
    """n new primary keys for `model`'s table, in one statement: the PostgreSQL sequence's next
    values, or on SQLite the ids after the highest (the transaction holds the write lock)."""
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        series = sa.func.generate_series(1, n).table_valued("n")
        return list(session.execute(sa.select(sa.func.nextval(sequence)).select_from(series)).scalars())
    highest = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    return list(range(highest + 1, highest + 1 + n))
