"""The data version that cached reads key on (components/data.cached): every write bumps it in
its own transaction, so a write made by another process is seen here on the next read without
clearing any cache, while the cache still answers repeated reads when nothing changed."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from db.engine import get_engine, session_scope
from db.errors import ValidationFailed
from db.models import WorkingGroup, WorkingGroupUpdate
from db.permissions import SYSTEM, Action
from db.reads import common
from db.reads.common import data_version
from db.writes.base import create_record, update_record
from tests.conftest import ROOT

GROUP = dict(country="GH", level="national", focus="security_human_rights", lead="joint", status="active")


def _group(name: str) -> WorkingGroup:
    return WorkingGroup(name=name, **GROUP)


def _other_process(url: str, code: str) -> None:
    """Run `code` in a fresh Python process pointed at the same database."""
    env = dict(os.environ, DATABASE_URL=url, DEMO_DATA="off", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


WRITE_THROUGH_DB_WRITES = """
    from db.models import WorkingGroup
    from db.permissions import SYSTEM, Action
    from db.writes.base import create_record
    create_record(SYSTEM, Action.create_group, WorkingGroup(name={name!r}, country="GH", level="national",
                  focus="security_human_rights", lead="joint", status="active"))
"""

# Bypasses db/writes (and so the version bump): only to show the cache really caches.
WRITE_BEHIND_THE_APPS_BACK = """
    import sqlalchemy as sa
    from db.engine import get_engine
    from db.models import WorkingGroup
    with get_engine().begin() as c:
        c.execute(sa.insert(WorkingGroup).values(name={name!r}, country="GH", level="national",
                  focus="security_human_rights", lead="joint", status="active", version=1))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request):
    """A migrated empty database on each backend (the PostgreSQL one from pg_url)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("empty_db")
        return
    from db import engine as db_engine
    from db.migrate import upgrade

    url = request.getfixturevalue("pg_url")
    upgrade(get_engine(url))
    db_engine.use_database(url)
    import streamlit as st

    st.cache_data.clear()
    yield url
    db_engine.use_database(None)


def _cached_group_names() -> list[str]:
    from components.data import cached

    return sorted(cached(common.groups, SYSTEM)["name"])


def test_every_write_bumps_the_version_in_its_transaction(database):
    before = data_version()
    group = create_record(SYSTEM, Action.create_group, _group("Alpha"))
    assert data_version() == before + 1
    update_record(SYSTEM, Action.edit_group, WorkingGroup, group.id, group.version, WorkingGroupUpdate(name="Alpha renamed"))
    assert data_version() == before + 2


def test_a_refused_write_leaves_the_version_alone(database):
    create_record(SYSTEM, Action.create_group, _group("Alpha"))
    before = data_version()
    with pytest.raises(ValidationFailed):
        create_record(SYSTEM, Action.create_group, _group("Alpha"))  # the name is unique
    assert data_version() == before
    with session_scope() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(WorkingGroup)).scalar_one() == 1


def test_cached_read_sees_a_write_from_another_process_without_clearing_caches(database):
    create_record(SYSTEM, Action.create_group, _group("Alpha"))
    assert _cached_group_names() == ["Alpha"]

    # Control: a row written without the version bump stays invisible to the cached read,
    # so what follows is the version at work, not a cache that never caches.
    _other_process(database, WRITE_BEHIND_THE_APPS_BACK.format(name="Beta"))
    assert _cached_group_names() == ["Alpha"]

    _other_process(database, WRITE_THROUGH_DB_WRITES.format(name="Gamma"))
    assert _cached_group_names() == ["Alpha", "Beta", "Gamma"]
