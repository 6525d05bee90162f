"""Test databases and logged-in pages.

Tests never touch DATABASE_URL. The suite runs on SQLite unless TEST_BACKEND=postgresql, in
which case it uses TEST_DATABASE_URL's server, creating its own databases there (`-m database`
selects the tests that use the backend's database). Tests that need PostgreSQL whatever the
backend take the `pg_url` fixture: they skip with a reason when TEST_DATABASE_URL is unset, and
fail instead under REQUIRE_POSTGRES=1 (CI)."""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ.setdefault("DEMO_DATA", "off")  # the app must not seed a test database by itself
os.environ.setdefault("AS_OF_DATE", "2026-11-27")  # figures are reproducible against the demo data
os.environ.pop("DATABASE_URL", None)

from db import engine as db_engine
from db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 27)
DEMO_SEED = 7

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL")


# The fixtures that put a test on the chosen backend's database. A test that takes none of them
# runs the same on either backend; CI's PostgreSQL pass runs only the marked ones.
DATABASE_FIXTURES = {"empty_db", "demo_db", "_templates"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)


def _require(flag: str, reason: str) -> None:
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason} ({flag}=1 forbids skipping)")
    pytest.skip(reason)


def _pg_admin_engine() -> sa.Engine:
    return sa.create_engine(_driver(PG_URL), isolation_level="AUTOCOMMIT")


def _driver(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _pg_database_url(name: str) -> str:
    return sa.engine.make_url(_driver(PG_URL)).set(database=name).render_as_string(hide_password=False)


def _pg_create(name: str, template: str | None = None) -> str:
    with _pg_admin_engine().connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if template:
            c.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        else:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return _pg_database_url(name)


def _pg_drop(name: str) -> None:
    with _pg_admin_engine().connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _forget_engine(url: str) -> None:
    db_engine.get_engine(url).dispose()
    db_engine._engine_for.cache_clear()


class TemplateDB:
    """A migrated (and optionally seeded) database made once per session; each test gets
    a copy: a file copy on SQLite, on PostgreSQL the template itself put back as it was."""

    def __init__(self, tmp_root: Path, seeded: bool, backend: str):
        self.backend, self.seeded, self.tmp_root = backend, seeded, tmp_root
        suffix = "demo" if seeded else "empty"
        if backend == "postgresql":
            self.name = f"icwg_tpl_{suffix}_{os.getpid()}"
            self.url = _pg_create(self.name)
        else:
            self.path = tmp_root / f"template-{suffix}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        engine = db_engine.get_engine(self.url)
        upgrade(engine)
        if seeded:
            from seed.generator import load_demo_data

            load_demo_data(engine, scale=1, random_seed=DEMO_SEED, as_of=AS_OF)
        if backend == "sqlite":
            with engine.connect() as c:
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        _forget_engine(self.url)
        if backend == "postgresql":
            self._pristine = PristinePG(self.url)
            self._lent = False

    def copy(self) -> tuple[str, callable]:
        if self.backend == "postgresql":
            return self._pg_copy()
        target = self.tmp_root / f"db-{uuid.uuid4().hex[:12]}.sqlite3"
        shutil.copyfile(self.path, target)
        url = f"sqlite:///{target}"
        return url, lambda: (_forget_engine(url), target.unlink(missing_ok=True))

    def _pg_copy(self) -> tuple[str, callable]:
        if self._lent:  # a second copy at once (a module's server and a test's own database)
            name = f"icwg_t_{uuid.uuid4().hex[:12]}"
            url = _pg_create(name, template=self.name)
            return url, lambda: (_forget_engine(url), _pg_drop(name))
        self._pristine.restore()
        self._lent = True
        # Its own address for each test, so that nothing cached per database URL outlives it.
        url = sa.engine.make_url(self.url).update_query_dict(
            {"application_name": f"t{uuid.uuid4().hex[:12]}"}).render_as_string(hide_password=False)

        def cleanup() -> None:
            _forget_engine(url)
            self._lent = False
        return url, cleanup

    def drop(self) -> None:
        if self.backend == "postgresql":
            self._pristine.dispose()
            _pg_drop(self.name)


class PristinePG:
    """Puts a PostgreSQL test database back as it was made, in place of a CREATE DATABASE ...
    TEMPLATE and a DROP per test (together about 0.5 s of the server's CPU, most of the
    PostgreSQL pass's time). Test-only machinery, kept in the schema `pristine`: a copy of every
    table's rows, the sequences' values, and a statement trigger on each table that notes it was
    written to, so only those tables are restored."""

    SCHEMA = "pristine"

    def __init__(self, url: str):
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        quote = self.engine.dialect.identifier_preparer.quote
        with self.engine.begin() as c:
            self.tables = list(c.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars())
            self.sequences = [(name, value) for name, value in c.execute(sa.text(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"))]
            c.execute(sa.text(f"CREATE SCHEMA {self.SCHEMA}"))
            # No key on `written`: two transactions noting the same table must never wait for
            # each other (with ON CONFLICT they could deadlock where the app itself cannot).
            c.execute(sa.text(f"CREATE TABLE {self.SCHEMA}.written (name text NOT NULL)"))
            c.execute(sa.text(
                f"CREATE FUNCTION {self.SCHEMA}.note_written() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN INSERT INTO {self.SCHEMA}.written VALUES (TG_TABLE_NAME); RETURN NULL; END $$"))
            for table in self.tables:
                c.execute(sa.text(f"CREATE TABLE {self.SCHEMA}.{quote(table)} AS TABLE public.{quote(table)}"))
                c.execute(sa.text(
                    f"CREATE TRIGGER zz_test_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON public.{quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {self.SCHEMA}.note_written()"))
        self.quote = quote

    def restore(self) -> None:
        with self.engine.begin() as c:
            # what DROP DATABASE ... WITH (FORCE) did: no connection of the last test lingers
            c.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            c.execute(sa.text("SET LOCAL session_replication_role = replica"))  # no triggers, no FK checks
            written = list(c.execute(sa.text(f"DELETE FROM {self.SCHEMA}.written RETURNING name")).scalars())
            for table in sorted(set(written) & set(self.tables)):
                c.execute(sa.text(f"DELETE FROM public.{self.quote(table)}"))
                c.execute(sa.text(f"INSERT INTO public.{self.quote(table)} OVERRIDING SYSTEM VALUE "
                                  f"SELECT * FROM {self.SCHEMA}.{self.quote(table)}"))
            for name, value in self.sequences:
                c.execute(sa.text("SELECT setval(CAST(:name AS regclass), :value, :called)"),
                          {"name": name, "value": value or 1, "called": value is not None})

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    if BACKEND == "postgresql" and not PG_URL:
        pytest.fail("TEST_BACKEND=postgresql needs TEST_DATABASE_URL")
    made: dict[bool, TemplateDB] = {}

    def get(seeded: bool) -> TemplateDB:
        if seeded not in made:
            made[seeded] = TemplateDB(tmp_path_factory.mktemp("dbs"), seeded, BACKEND)
        return made[seeded]

    yield get
    for template in made.values():
        template.drop()


@contextmanager
def _using(template: TemplateDB):
    """A fresh copy of `template` that the app and db/ use until the block ends."""
    url, cleanup = template.copy()
    db_engine.use_database(url)
    _clear_streamlit_caches()
    try:
        yield url
    finally:
        db_engine.use_database(None)
        cleanup()


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def empty_db(_templates):
    """A fresh, migrated, empty database that the app and db/ use for this test."""
    with _using(_templates(False)) as url:
        yield url


@pytest.fixture
def demo_db(_templates):
    """A fresh copy of the scale-1 demo database (seed 7, as of 2026-11-27)."""
    with _using(_templates(True)) as url:
        yield url


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database URL (not migrated) for PostgreSQL-only tests."""
    if not PG_URL:
        _require("REQUIRE_POSTGRES", "PostgreSQL tests need TEST_DATABASE_URL "
                 "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    try:
        with _pg_admin_engine().connect() as c:
            c.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        _require("REQUIRE_POSTGRES", f"PostgreSQL at TEST_DATABASE_URL does not answer: {error.orig}")
    name = f"icwg_pg_{uuid.uuid4().hex[:12]}"
    url = _pg_create(name)
    yield url
    _forget_engine(url)
    _pg_drop(name)


def actor(username: str):
    """The acting user for a demo login, as the data layer sees them."""
    from db.users import load_actor

    found = load_actor(username)
    assert found is not None, f"no active user {username!r}"
    return found


def sign_in(at, username: str):
    """Log an AppTest session in as a login would: a server-side session for the user, its
    token in the session state (tests of the login form itself are in tests/app/test_login.py)."""
    from components.auth import SESSION_TOKEN
    from db.sessions import start_session
    from db.users import load_actor

    user = load_actor(username)
    assert user is not None, f"no active user {username!r}"
    at.session_state[SESSION_TOKEN] = start_session(user.id)
    return at


def page(path: str, username: str | None, query: dict | None = None, timeout: float = 60):
    """An AppTest of one page (or app.py), logged in as `username` (None: logged out)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if username:
        sign_in(at, username)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def elements(at):
    """Every node of a run's element tree (main and sidebar), parents before their children."""
    pending = [at._tree]
    while pending:
        node = pending.pop()
        yield node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            pending.extend(reversed(list(children.values())))


def in_language(language: str, make):
    """What `make()` returns with `language` as the current language (as a user's session sets it)."""
    import i18n

    token = i18n._language.set(language)
    try:
        return make()
    finally:
        i18n._language.reset(token)
