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
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ.setdefault("DEMO_DATA", "off")  # the app must not seed a test database by itself
os.environ.setdefault("AS_OF_DATE", "2026-11-27")  # figures are reproducible against the demo data
os.environ.pop("DATABASE_URL", None)

from db import engine as db_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 27)
DEMO_SEED = 7
DEMO_PASSWORDS = {"admin": "demo-admin-1", "coordinator": "demo-coordinator-1",
                  "hq": "demo-hq-2026", "viewer": "demo-viewer-1"}

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
    a copy: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL."""

    def __init__(self, tmp_root: Path, seeded: bool, backend: str):
        self.backend, self.seeded, self.tmp_root = backend, seeded, tmp_root
        suffix = "demo" if seeded else "empty"
        self._background = self._ready = None  # PostgreSQL: copies made ahead (_pg_copy)
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

    def copy(self) -> tuple[str, callable]:
        if self.backend == "postgresql":
            return self._pg_copy()
        target = self.tmp_root / f"db-{uuid.uuid4().hex[:12]}.sqlite3"
        shutil.copyfile(self.path, target)
        url = f"sqlite:///{target}"
        return url, lambda: (_forget_engine(url), target.unlink(missing_ok=True))

    def _pg_copy(self) -> tuple[str, callable]:
        # CREATE DATABASE ... TEMPLATE takes PostgreSQL 0.2-0.4 s, longer than most tests: the
        # next test's copy is made in the background while this one runs, and a used copy is
        # dropped there too.
        if self._background is None:
            self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
            self._ready = self._background.submit(self._pg_make_copy)
        name = self._ready.result()
        self._ready = self._background.submit(self._pg_make_copy)
        url = _pg_database_url(name)

        def cleanup() -> None:
            _forget_engine(url)
            self._background.submit(_pg_drop, name)
        return url, cleanup

    def _pg_make_copy(self) -> str:
        name = f"icwg_t_{uuid.uuid4().hex[:12]}"
        _pg_create(name, template=self.name)
        return name

    def drop(self) -> None:
        if self.backend == "postgresql":
            if self._background is not None:
                _pg_drop(self._ready.result())
                self._background.shutdown(wait=True)
            _pg_drop(self.name)


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


def _use(template: TemplateDB):
    url, cleanup = template.copy()
    db_engine.use_database(url)
    _clear_streamlit_caches()
    return url, cleanup


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def empty_db(_templates):
    """A fresh, migrated, empty database that the app and db/ use for this test."""
    url, cleanup = _use(_templates(False))
    yield url
    db_engine.use_database(None)
    cleanup()


@pytest.fixture
def demo_db(_templates):
    """A fresh copy of the scale-1 demo database (seed 7, as of 2026-11-27)."""
    url, cleanup = _use(_templates(True))
    yield url
    db_engine.use_database(None)
    cleanup()


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
