"""Migrations build the whole schema from empty on SQLite and PostgreSQL, agree with the models
(no autogenerate diff), and several processes migrating one database at once all succeed
(the lock in db/migrate.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


# --------------------------------------------------------------------------- upgrades keep the data

RELEASE_0001 = ROOT / "tests" / "fixtures" / "release_0001.sqlite3"  # made by the release before 0002


def test_a_database_made_by_the_previous_release_upgrades_without_loss(tmp_path):
    """tests/fixtures/release_0001.sqlite3 was filled by the previous release's own demo
    generator (python -m seed --scale 0.05, at revision 0001). Upgraded to today's schema, every
    table keeps every row, users keep their password hashes, and the demo logins still work."""
    import shutil

    from db.engine import use_database
    from db.sessions import check_login

    copy = tmp_path / "release_0001.sqlite3"
    shutil.copy(RELEASE_0001, copy)
    engine = get_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as c:
            assert current_revision(engine) == "0001"
            tables = [t for t in sa.inspect(engine).get_table_names() if t != "alembic_version"]
            before = {t: c.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in tables}
            hashes = dict(c.execute(sa.text("SELECT username, password_hash FROM app_user")).all())
        assert before["issue"] > 0 and before["app_user"] == 4
        upgrade(engine)
        assert current_revision(engine) == HEAD and _diff(engine) == []
        with engine.connect() as c:
            after = {t: c.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in tables}
            assert after == before
            assert dict(c.execute(sa.text("SELECT username, password_hash FROM app_user")).all()) == hashes
            assert set(c.execute(sa.text("SELECT password_version FROM app_user")).scalars()) == {1}
        use_database(f"sqlite:///{copy}")
        try:
            assert check_login("coordinator", "demo-coordinator-1").ok
        finally:
            use_database(None)
    finally:
        engine.dispose()


def test_postgresql_upgrades_users_of_the_previous_release(pg_url):
    """The same step on PostgreSQL: a user written at revision 0001 (with its old failure
    counter) keeps every field and gets password version 1."""
    engine = get_engine(pg_url)
    upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(sa.text(
            "INSERT INTO app_user (version, username, display_name, email, password_hash, role, language, "
            "active, failed_logins, locked_until) VALUES (3, 'ama', 'Ama Mensah', 'ama@example.org', "
            "'$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0', 'coordinator', 'fr', true, 4, NULL)"))
    upgrade(engine)
    with engine.connect() as c:
        row = c.execute(sa.text("SELECT version, username, display_name, email, role, language, active, "
                                "password_version FROM app_user")).one()
    assert tuple(row) == (3, "ama", "Ama Mensah", "ama@example.org", "coordinator", "fr", True, 1)
    assert _diff(engine) == []
