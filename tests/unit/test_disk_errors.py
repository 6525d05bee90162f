"""A database that refuses writes says why: read-only (a SQLite file opened read-only, a
PostgreSQL read-only transaction) and a full disk (SQLite's SQLITE_FULL, PostgreSQL's 53100)
each get a message a person can act on, not "stopped answering"; nothing is half-written. Tests
run as root, where chmod does not stop writes, so read-only is a `mode=ro` open."""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from db import engine as db_engine
from db.engine import DatabaseUnavailable, session_scope


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "disk.sqlite3"
    url = f"sqlite:///{path}"
    with db_engine.get_engine(url).begin() as c:
        c.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        c.exec_driver_sql("INSERT INTO note (body) VALUES ('kept')")
    db_engine.get_engine(url).dispose()
    yield path
    db_engine._engine_for.cache_clear()


def rows(engine) -> list[str]:
    with engine.connect() as c:
        return [r[0] for r in c.exec_driver_sql("SELECT body FROM note")]


def test_a_read_only_sqlite_file_says_it_is_read_only(sqlite_file):
    engine = db_engine.get_engine(f"sqlite:///file:{sqlite_file}?mode=ro&uri=true")
    with pytest.raises(DatabaseUnavailable) as refused:
        with session_scope(engine) as s:
            s.execute(sa.text("INSERT INTO note (body) VALUES ('new')"))
    message = str(refused.value)
    assert message.startswith("The database is read-only"), message
    assert "stopped answering" not in message and "Cannot reach" not in message
    assert rows(engine) == ["kept"]


def test_a_full_sqlite_database_says_the_disk_is_full(sqlite_file):
    engine = db_engine.get_engine(f"sqlite:///{sqlite_file}")

    @event.listens_for(engine, "connect")
    def no_room(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA max_page_count = 3")  # the file already has its pages: no room to grow
        cursor.close()
    engine.dispose()
    with pytest.raises(DatabaseUnavailable) as refused:
        with session_scope(engine) as s:
            s.execute(sa.text("INSERT INTO note (body) VALUES (:body)"), [{"body": "x" * 5000}] * 20)
    message = str(refused.value)
    assert message.startswith("The disk holding the database is full"), message
    assert rows(engine) == ["kept"]


def raising(error: Exception):
    """A session_scope body that fails as the driver would."""
    def run():
        with session_scope(db_engine.get_engine("sqlite://")) as s:
            s.execute(sa.text("SELECT 1"))
            raise error
    return run


@pytest.mark.parametrize("error,message", [
    (sa.exc.OperationalError("INSERT INTO note ...", {}, psycopg.errors.DiskFull(
        "could not extend file \"base/16384/16385\": No space left on device")),
     "The disk holding the database is full"),
    (sa.exc.InternalError("INSERT INTO note ...", {}, psycopg.errors.ReadOnlySqlTransaction(
        "cannot execute INSERT in a read-only transaction")),
     "The database is read-only"),
    (sa.exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection unexpectedly")),
     "The database at sqlite:// stopped answering"),
], ids=["postgresql_disk_full_says_the_disk_is_full", "postgresql_read_only_transaction_says_it_is_read_only",
        "a_broken_connection_still_says_it_stopped_answering"])
def test_a_postgresql_failure_says_what_happened(error, message):
    with pytest.raises(DatabaseUnavailable) as refused:
        raising(error)()
    assert str(refused.value).startswith(message)
