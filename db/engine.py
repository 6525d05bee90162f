"""One engine per database URL and a short session per unit of work."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from db import config
from i18n import _


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or refuses to write; the message names it without the
    password and says what happened."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The database refuses every change: a file opened or mounted read-only, a replica or a
    read-only transaction."""


class DatabaseFull(DatabaseUnavailable):
    """The disk (or the database's size limit) has no room for the change."""


# What the drivers say: SQLite's result codes, PostgreSQL's SQLSTATEs.
READ_ONLY_CODES = {"SQLITE_READONLY", "25006"}   # 25006: read_only_sql_transaction
FULL_CODES = {"SQLITE_FULL", "53100"}             # 53100: disk_full


_override_url: str | None = None


def use_database(url: str | None) -> None:
    """Point this process at another database (tests, benchmark, CLIs with --url)."""
    global _override_url
    _override_url = url


def get_engine(url: str | None = None) -> sa.Engine:
    return _engine_for(url or _override_url or config.database_url())


@lru_cache(maxsize=16)
def _engine_for(url: str) -> sa.Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                  connect_args={"connect_timeout": 5})
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def safe_url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def check_connection(engine: sa.Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        raise DatabaseUnavailable(
            f"Cannot reach the database at {safe_url(engine)}: {str(error.orig).strip().splitlines()[0]}"
        ) from None


@contextmanager
def read_only_session(engine: sa.Engine | None = None) -> Iterator[Session]:
    """A session that may only read, for checks that run before a write (an import's
    validation): on SQLite it takes no write lock, so others keep saving meanwhile; a write
    slipped into it fails instead of being kept."""
    engine = engine or get_engine()
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        connection.exec_driver_sql("PRAGMA query_only = ON" if sqlite else "SET TRANSACTION READ ONLY")
        session = Session(bind=connection, expire_on_commit=False)
        try:
            yield session
        except sa.exc.OperationalError as error:
            _rollback_quietly(session)
            raise unavailable(engine, error) from error
        finally:
            session.close()
            try:
                connection.rollback()
                if sqlite:  # the connection goes back to the pool: let its next user write
                    connection.exec_driver_sql("PRAGMA query_only = OFF")
            except sa.exc.DBAPIError:
                connection.invalidate()


@contextmanager
def session_scope(engine: sa.Engine | None = None) -> Iterator[Session]:
    """A session for one unit of work: committed at the end, rolled back on any error."""
    engine = engine or get_engine()
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except sa.exc.DBAPIError as error:
        # The connection broke (server restarted, network gone), or the database refuses to
        # write (read-only, disk full): one clear message instead of a driver traceback. The
        # transaction is lost as a whole, so nothing is half-written.
        _rollback_quietly(session)
        if not isinstance(error, sa.exc.OperationalError) and _kind(error) is None:
            raise  # a constraint or a bug: not the database's state
        raise unavailable(engine, error) from error
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def unavailable(engine: sa.Engine, error: sa.exc.DBAPIError) -> DatabaseUnavailable:
    """The error to show for a failed unit of work, saying what happened."""
    url, reason = safe_url(engine), _first_line(error)
    kind = _kind(error)
    if kind == "read_only":
        return DatabaseReadOnly(
            _("The database is read-only: {url} refuses changes ({reason}). Nothing was saved. Ask whoever "
              "runs the server to make the database (its file and folder, or the server) writable again.")
            .format(url=url, reason=reason))
    if kind == "full":
        return DatabaseFull(
            _("The disk holding the database is full: {url} has no room for this change ({reason}). Nothing "
              "was saved. Ask whoever runs the server to free space on that disk, then try again.")
            .format(url=url, reason=reason))
    return DatabaseUnavailable(
        _("The database at {url} stopped answering ({reason}). Nothing was saved from this step; "
          "try again in a moment.").format(url=url, reason=reason))


def _kind(error: sa.exc.DBAPIError) -> str | None:
    """'read_only', 'full' or None (anything else), from the driver's code or message."""
    orig = error.orig
    codes = {getattr(orig, "sqlite_errorname", None), getattr(orig, "sqlstate", None)}
    text = str(orig).lower()
    if codes & READ_ONLY_CODES or "readonly database" in text or "read-only transaction" in text:
        return "read_only"
    if codes & FULL_CODES or "database or disk is full" in text or "no space left on device" in text:
        return "full"
    return None


def _rollback_quietly(session: Session) -> None:
    try:
        session.rollback()
    except sa.exc.DBAPIError:
        pass  # the connection is already gone; the server has discarded the transaction


def _first_line(error: sa.exc.DBAPIError) -> str:
    return (str(error.orig).strip().splitlines() or ["no answer"])[0]
