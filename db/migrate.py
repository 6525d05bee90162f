"""Bring a database up to date with the models: `python -m db.migrate [--url URL]`.

Several app processes may start at once against one database, so the upgrade runs under a
lock: a PostgreSQL advisory lock, or an exclusive file lock beside a SQLite file."""
from __future__ import annotations

import argparse
import fcntl
import sys
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from db.engine import DatabaseUnavailable, check_connection, get_engine, safe_url

MIGRATIONS = Path(__file__).parent / "migrations"
ADVISORY_LOCK_ID = 4_711_2026  # any constant shared by every process of this app


def alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def migration_lock(engine: sa.Engine):
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock_connection:
            lock_connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": ADVISORY_LOCK_ID})
            lock_connection.commit()
            try:
                yield
            finally:
                lock_connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": ADVISORY_LOCK_ID})
                lock_connection.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = Path(engine.url.database).with_suffix(".migrate.lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def upgrade(engine: sa.Engine | None = None, revision: str = "head") -> None:
    """Migrate the database to `revision` (default: the newest)."""
    engine = engine or get_engine()
    check_connection(engine)
    with migration_lock(engine):
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)


def upgraded(url: str | None, revision: str = "head") -> sa.Engine | None:
    """For a command line: the engine of `url` (None: the default), migrated to `revision`; None
    when the database does not answer, said in one clear line for the operator, not a traceback."""
    engine = get_engine(url)
    try:
        upgrade(engine, revision)
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return None
    return engine


def current_revision(engine: sa.Engine | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with (engine or get_engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the local SQLite file)")
    parser.add_argument("--revision", default="head")
    args = parser.parse_args(argv)
    engine = upgraded(args.url, args.revision)
    if engine is None:
        return 1
    print(f"{safe_url(engine)} is at revision {current_revision(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
