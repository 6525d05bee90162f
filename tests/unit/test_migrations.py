"""Migrations build the whole schema from empty on SQLite and PostgreSQL, agree with the models
(no autogenerate diff), and several processes migrating one database at once all succeed
(the lock in db/migrate.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.engine import get_engine
from db.migrate import alembic_config, current_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def _check_migrates_from_empty(engine: sa.Engine) -> None:
    assert current_revision(engine) is None
    assert sa.inspect(engine).get_table_names() == []
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert set(SQLModel.metadata.tables) <= set(sa.inspect(engine).get_table_names())
    assert _diff(engine) == []
    upgrade(engine)  # a second run is a no-op
    assert current_revision(engine) == HEAD


def test_sqlite_migrates_from_empty_and_matches_the_models(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        _check_migrates_from_empty(engine)
    finally:
        engine.dispose()


def test_postgresql_migrates_from_empty_and_matches_the_models(pg_url):
    _check_migrates_from_empty(get_engine(pg_url))


def test_the_diff_check_notices_a_model_the_migrations_lack(tmp_path):
    """Guard against a comparison that can never fail: a table only in the models shows up."""
    engine = get_engine(f"sqlite:///{tmp_path / 'partial.sqlite3'}")
    try:
        upgrade(engine)
        with engine.begin() as c:
            c.exec_driver_sql("DROP TABLE data_version")
        assert any(item[0] == "add_table" and item[1].name == "data_version" for item in _diff(engine))
    finally:
        engine.dispose()


def _migrate_concurrently(url: str, processes: int = 3) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    started = [subprocess.Popen([sys.executable, "-m", "db.migrate", "--url", url], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in started]
    for code, out, err in results:
        assert code == 0, f"a concurrent migration failed:\n{out}\n{err}"
        assert f"is at revision {HEAD}" in out


def test_concurrent_migrations_of_one_sqlite_file_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    _migrate_concurrently(url)
    engine = get_engine(url)
    try:
        assert current_revision(engine) == HEAD
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_concurrent_migrations_of_one_postgresql_database_all_succeed(pg_url):
    _migrate_concurrently(pg_url)
    engine = get_engine(pg_url)
    assert current_revision(engine) == HEAD
    assert _diff(engine) == []


def test_migrate_cli_reports_an_unreachable_database_in_one_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "db.migrate", "--url",
                             "postgresql+psycopg://postgres@127.0.0.1:1/nope"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    output = (result.stdout + result.stderr).strip()
    assert "Traceback" not in output, output
    assert len(output.splitlines()) == 1, output
    assert "127.0.0.1:1/nope" in output
