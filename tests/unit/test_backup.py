"""Backups: one portable file, restored into an empty database of either backend with every
row equal; refused into a database that holds data; admins only from the app."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from small_world import build_world

from db import backup
from db.engine import get_engine, session_scope
from db.errors import PermissionDenied
from db.migrate import upgrade
from db.models import Document, ExchangeRate, Organisation
from db.permissions import SYSTEM, Action
from db.writes.base import create_record

ROOT = Path(__file__).resolve().parents[2]


def all_rows(engine: sa.Engine) -> dict[str, list[dict]]:
    """Every row of every table, in key order, with datetimes in UTC."""

    def plain(value):
        if isinstance(value, datetime):
            aware = value if value.utcoffset() is not None else value.replace(tzinfo=timezone.utc)
            return aware.astimezone(timezone.utc)
        return value

    found = {}
    with engine.connect() as c:
        for table in backup.tables():
            rows = c.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
            found[table.name] = [{k: plain(v) for k, v in row.items()} for row in rows]
    return found


def _extras() -> None:
    """Rows with the awkward types: bytes, decimals, a parent pointing forward, non-ASCII text."""
    child = create_record(SYSTEM, Action.edit_organisation,
                          Organisation(name="Société Minière ⛏ عربى", kind="company", country="CD"))
    parent = create_record(SYSTEM, Action.edit_organisation,
                           Organisation(name="Holding later id", kind="company", country="CD"))
    with session_scope() as s:  # the child refers to a parent stored after it
        stored = s.get(Organisation, child.id)
        stored.parent_id = parent.id
        s.add(stored)
        s.add(ExchangeRate(currency="CDF", rate_date=date(2026, 1, 31), rate=Decimal("0.000352113")))
        s.add(Document(group_id=1, kind=_document_kind(), title="Minutes", filename="m.pdf",
                       content_type="application/pdf", size_bytes=5, content=b"\x00\xffPDF"))


def _document_kind() -> str:
    from db.vocab import DocumentKind

    return list(DocumentKind)[0].value


def _sqlite(tmp_path: Path, name: str) -> sa.Engine:
    engine = get_engine(f"sqlite:///{tmp_path / name}")
    return engine


def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row(empty_db, pg_url, tmp_path):
    build_world()
    _extras()
    source = get_engine(empty_db)
    original = all_rows(source)
    assert sum(len(rows) for rows in original.values()) > 20

    first = tmp_path / "first.zip"
    manifest = backup.dump(first, source)
    assert manifest["tables"]["organisation"] == len(original["organisation"])

    postgres = get_engine(pg_url)
    backup.restore(first, postgres)  # migrates the empty database to the backup's revision first
    assert all_rows(postgres) == original

    second = tmp_path / "second.zip"
    backup.dump(second, postgres)
    final = _sqlite(tmp_path, "final.sqlite3")
    backup.restore(second, final)
    assert all_rows(final) == original

    # ids continue after the restored rows on PostgreSQL (sequences reset)
    from db.engine import use_database
    use_database(pg_url)
    made = create_record(SYSTEM, Action.edit_organisation, Organisation(name="Fresh After Restore", kind="donor", country="KE"))
    assert made.id == max(row["id"] for row in original["organisation"]) + 1


def test_round_trip_of_the_demo_data_across_both_backends(demo_db, pg_url, tmp_path):
    source = get_engine(demo_db)
    original = all_rows(source)
    assert len(original["issue"]) > 100 and len(original["attendance"]) > 1000
    first, second = tmp_path / "demo1.zip", tmp_path / "demo2.zip"
    backup.dump(first, source)
    postgres = get_engine(pg_url)
    backup.restore(first, postgres)
    assert all_rows(postgres) == original
    backup.dump(second, postgres)
    final = _sqlite(tmp_path, "demo-final.sqlite3")
    backup.restore(second, final)
    assert all_rows(final) == original


def test_the_file_holds_a_manifest_and_one_json_lines_file_per_table(empty_db, tmp_path):
    build_world()
    _extras()
    path = tmp_path / "b.zip"
    backup.dump(path, get_engine(empty_db))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        documents = [json.loads(line) for line in archive.read("tables/document.jsonl").splitlines()]
        rates = [json.loads(line) for line in archive.read("tables/exchange_rate.jsonl").splitlines()]
    assert names == {"manifest.json"} | {f"tables/{t.name}.jsonl" for t in backup.tables()}
    from db.migrate import current_revision
    assert manifest["alembic_revision"] == current_revision(get_engine(empty_db))
    assert manifest["tables"]["app_user"] == 4 and manifest["tables"]["working_group"] == 2
    datetime.fromisoformat(manifest["created_at"])
    assert documents[0]["content"] == "AP9QREY="  # base64 of b"\x00\xffPDF"
    assert rates[0]["rate"] == "0.000352113" and rates[0]["rate_date"] == "2026-01-31"


def test_restore_refuses_a_database_that_holds_data(empty_db, tmp_path):
    build_world()
    path = tmp_path / "b.zip"
    backup.dump(path, get_engine(empty_db))
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(path, get_engine(empty_db))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "nope.zip"
    path.write_bytes(b"hello")
    with pytest.raises(backup.BackupError, match="not a backup file"):
        backup.restore(path, _sqlite(tmp_path, "x.sqlite3"))


def test_a_dump_is_one_snapshot_on_postgresql(pg_url, monkeypatch):
    """A row committed by someone else after the dump started (between two tables) is absent."""
    engine = get_engine(pg_url)
    upgrade(engine)
    from db.engine import use_database
    use_database(pg_url)
    try:
        build_world()
        real_tables = backup.tables
        inserted = []

        def tables_with_a_writer():
            for table in real_tables():
                if table.name == "working_group" and not inserted:
                    create_record(SYSTEM, Action.edit_organisation,
                                  Organisation(name="Written During Dump", kind="donor", country="KE"))
                    inserted.append(True)
                yield table

        monkeypatch.setattr(backup, "tables", tables_with_a_writer)
        buffer = io.BytesIO()
        manifest = backup.dump(buffer, engine)
    finally:
        use_database(None)
    assert inserted
    with zipfile.ZipFile(buffer) as archive:
        names = [json.loads(line)["name"] for line in archive.read("tables/organisation.jsonl").splitlines()]
    assert "Written During Dump" not in names
    assert manifest["tables"]["audit_entry"] == len(names) + 2 + 2 + 2 + 4  # orgs, groups, members, funds, users


def test_only_admins_may_download_a_backup(empty_db):
    world = build_world()
    data, manifest = backup.backup_bytes(world.actor("admin1"))
    assert zipfile.ZipFile(io.BytesIO(data)).read("manifest.json")
    assert manifest["tables"]["app_user"] == 4
    for username in ("coord1", "hq1", "viewer1"):
        with pytest.raises(PermissionDenied):
            backup.backup_bytes(world.actor(username))


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "db.backup", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_command_line_dump_and_restore(empty_db, tmp_path):
    build_world()
    path = tmp_path / "cli.zip"
    dumped = _cli("dump", str(path), "--url", empty_db)
    assert dumped.returncode == 0, dumped.stderr
    assert "Backed up" in dumped.stdout
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = _cli("restore", str(path), "--url", target)
    assert restored.returncode == 0, restored.stderr
    assert all_rows(get_engine(target)) == all_rows(get_engine(empty_db))
    again = _cli("restore", str(path), "--url", target)
    assert again.returncode == 1
    assert "not empty" in again.stderr and "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
