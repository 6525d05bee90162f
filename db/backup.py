"""Backup and restore: one portable file for the whole database, readable on either backend.

    python -m db.backup dump FILE [--url URL]
    python -m db.backup restore FILE [--url URL]

The file is a zip: `manifest.json` (format, alembic revision, row count per table, when it was
taken, from which kind of database) and `tables/<table>.jsonl`, one JSON object per row.
Bytes are base64; dates, times and decimals are ISO strings. A dump is one consistent read
(REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so rows written meanwhile
never half-appear. A restore goes into an empty, migrated database only, in foreign-key order,
in one transaction, and resets PostgreSQL's id sequences afterwards."""
from __future__ import annotations

import argparse
import base64
import io
import json
import sys
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers every table on SQLModel.metadata)
from db.engine import DatabaseUnavailable, check_connection, get_engine, safe_url
from db.permissions import Action, Actor, authorize
from i18n import _

FORMAT = "icwg-backup"
FORMAT_VERSION = 1
BATCH = 1000


class BackupError(RuntimeError):
    """The backup cannot be taken or restored; the message says why and what to do."""


def tables() -> list[sa.Table]:
    """Every table of the models, parents before children, except login sessions and failure
    counts (db/sessions.py): a restored database starts with everyone logged out."""
    from db.sessions import LOGIN_STATE_TABLES

    return [t for t in SQLModel.metadata.sorted_tables if t.name not in LOGIN_STATE_TABLES]


# --------------------------------------------------------------------------- encoding


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        aware = value if value.utcoffset() is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _base_type(column: sa.Column) -> sa.types.TypeEngine:
    kind = column.type
    return kind.impl if isinstance(kind, sa.types.TypeDecorator) else kind


def _decoder(column: sa.Column):
    base = _base_type(column)
    if isinstance(base, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(base, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(base, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return None


# --------------------------------------------------------------------------- dump


def _revision(connection: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def dump(target: str | Path | BinaryIO, engine: sa.Engine | None = None) -> dict:
    """Write the whole database to `target` (a path or a binary file object). Returns the
    manifest. Every table is read inside one snapshot."""
    engine = engine or get_engine()
    check_connection(engine)
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.begin()
        elif engine.dialect.name == "sqlite":
            # pysqlite opens no transaction for a SELECT; BEGIN holds one snapshot (WAL) throughout.
            connection.exec_driver_sql("BEGIN")
        revision = _revision(connection)
        if revision is None:
            raise BackupError(_("The database at {url} has no schema yet: there is nothing to back up.")
                              .format(url=safe_url(engine)))
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables():
                order = [c for c in table.primary_key.columns]
                rows = connection.execute(sa.select(table).order_by(*order))
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as handle:
                    for row in rows.mappings():
                        line = json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False)
                        handle.write(line.encode("utf-8") + b"\n")
                        count += 1
                counts[table.name] = count
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "alembic_revision": revision,
                "created_at": datetime.now(timezone.utc).isoformat(),
                "source_dialect": engine.dialect.name, "tables": counts,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        connection.rollback()
    return manifest


def backup_bytes(actor: Actor, engine: sa.Engine | None = None) -> tuple[bytes, dict]:
    """A backup file in memory for the admin page's download button (admins only)."""
    authorize(actor, Action.backup)
    buffer = io.BytesIO()
    manifest = dump(buffer, engine)
    return buffer.getvalue(), manifest


# --------------------------------------------------------------------------- restore


def read_manifest(source: str | Path | BinaryIO) -> dict:
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise BackupError(_("This is not a backup file of this app (no readable manifest).")) from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("This backup file has an unknown format."))
    return manifest


def row_counts(connection: sa.Connection) -> dict[str, int]:
    return {table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in tables()}


def restore(source: str | Path | BinaryIO, engine: sa.Engine | None = None) -> dict:
    """Load a backup into an empty database. A database without a schema is first migrated
    to the backup's revision; one at another revision, or holding any row, is refused."""
    from db.migrate import upgrade

    engine = engine or get_engine()
    check_connection(engine)
    manifest = read_manifest(source)
    revision = manifest["alembic_revision"]
    with engine.connect() as connection:
        current = _revision(connection)
    if current is None:
        upgrade(engine, revision)
        current = revision
    if current != revision:
        raise BackupError(_("The backup was taken at schema revision {backup}, but the database at {url} is at "
                            "{current}. Restore into an empty database migrated to {backup} "
                            "(python -m db.migrate --revision {backup}), then migrate it.")
                          .format(backup=revision, current=current, url=safe_url(engine)))
    with engine.begin() as connection:
        filled = {name: n for name, n in row_counts(connection).items() if n}
        if filled:
            raise BackupError(_("Refusing to restore: the database at {url} is not empty ({tables}). "
                                "Restore only into an empty, migrated database.")
                              .format(url=safe_url(engine), tables=", ".join(
                                  f"{name}: {n}" for name, n in sorted(filled.items()))))
        with zipfile.ZipFile(source) as archive:
            for table in tables():
                _load_table(connection, archive, table)
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection)
        restored = row_counts(connection)
        expected = {name: manifest["tables"].get(name, 0) for name in restored}
        if restored != expected:
            raise BackupError(_("The restored row counts differ from the backup's manifest; nothing was kept."))
    return manifest


def _load_table(connection: sa.Connection, archive: zipfile.ZipFile, table: sa.Table) -> None:
    name = f"tables/{table.name}.jsonl"
    if name not in archive.namelist():
        return
    decoders = {c.name: d for c in table.columns if (d := _decoder(c)) is not None}
    known = {c.name for c in table.columns}
    # A row may point at a row of the same table stored after it (a parent organisation):
    # insert those columns empty, then fill them in once every row exists.
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    later: list[dict] = []
    batch: list[dict] = []
    with archive.open(name) as handle:
        for line in handle:
            raw = json.loads(line)
            row = {k: (decoders[k](v) if k in decoders else v) for k, v in raw.items() if k in known}
            if self_refs and any(row.get(c) is not None for c in self_refs):
                later.append({"_id": row["id"], **{c: row[c] for c in self_refs}})
                row = {**row, **{c: None for c in self_refs}}
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
    if later:
        statement = (table.update().where(table.c.id == sa.bindparam("_id"))
                     .values({c: sa.bindparam(c) for c in self_refs}))
        connection.execute(statement, later)


def _reset_sequences(connection: sa.Connection) -> None:
    """Point each id sequence past the restored rows, so the next insert gets a fresh id."""
    for table in tables():
        if "id" not in table.c or not table.c.id.primary_key or not isinstance(_base_type(table.c.id), sa.Integer):
            continue
        sequence = connection.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))).scalar()
        if sequence is None:
            continue
        highest = connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
        connection.execute(sa.select(sa.func.setval(sequence, highest or 1, highest is not None)))


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.backup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["dump", "restore"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the local SQLite file)")
    args = parser.parse_args(argv)
    engine = get_engine(args.url)
    try:
        if args.command == "dump":
            manifest = dump(args.file, engine)
            verb = "Backed up"
        else:
            if not args.file.exists():
                raise BackupError(f"No such file: {args.file}")
            manifest = restore(args.file, engine)
            verb = "Restored"
    except (BackupError, DatabaseUnavailable) as error:
        print(error, file=sys.stderr)
        return 1
    total = sum(manifest["tables"].values())
    print(f"{verb} {total:,} rows in {len(manifest['tables'])} tables "
          f"(revision {manifest['alembic_revision']}) {'to' if args.command == 'dump' else 'from'} "
          f"{args.file} {'from' if args.command == 'dump' else 'into'} {safe_url(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
