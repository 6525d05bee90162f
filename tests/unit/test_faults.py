"""Faults: the database ending the app's connections mid-session (PostgreSQL, with
pg_terminate_backend) gives a clear error at worst and recovers; a write that fails part-way
leaves nothing half-written."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from small_world import build_world
from sqlmodel import select

from db import audit
from db.engine import DatabaseUnavailable, get_engine, session_scope, use_database
from db.migrate import upgrade
from db.models import AuditEntry, Membership, MembershipUpdate, Organisation
from db.permissions import Action
from db.reads.common import groups
from db.users import list_users
from db.writes.base import create_record, update_record


@pytest.fixture
def pg_world(pg_url):
    engine = get_engine(pg_url)
    upgrade(engine)
    use_database(pg_url)
    try:
        yield build_world(), engine
    finally:
        use_database(None)


def _terminate_app_connections(engine: sa.Engine) -> int:
    """End every other connection to the test database, as a restarting server would."""
    admin = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as c:
            ended = c.execute(sa.select(sa.func.count()).select_from(
                sa.select(sa.func.pg_terminate_backend(sa.column("pid")))
                .select_from(sa.table("pg_stat_activity", sa.column("pid"), sa.column("datname")))
                .where(sa.column("datname") == engine.url.database,
                       sa.column("pid") != sa.func.pg_backend_pid()).subquery())).scalar_one()
    finally:
        admin.dispose()
    return ended


def _backend_pid() -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.pg_backend_pid())).scalar_one()


def test_reads_work_again_after_the_server_ends_the_connections(pg_world):
    world, engine = pg_world
    admin = world.actor("admin1")
    before_pid = _backend_pid()
    assert len(list_users(admin)) == 4
    assert _terminate_app_connections(engine) >= 1
    # pool_pre_ping finds the dead pooled connection and opens a new one: the user notices nothing
    assert len(list_users(admin)) == 4
    assert set(groups(admin)["name"]) == {"Group Alpha", "Group Beta"}
    assert _backend_pid() != before_pid


def test_a_connection_cut_mid_unit_of_work_gives_a_clear_error_and_recovers(pg_world):
    world, engine = pg_world
    with pytest.raises(DatabaseUnavailable) as refused:
        with session_scope() as s:
            s.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one()
            _terminate_app_connections(engine)
            s.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one()
    message = str(refused.value)
    assert "database" in message.lower() and "Traceback" not in message
    assert engine.url.password is None or engine.url.password not in message
    assert len(message.splitlines()) == 1
    # and the next unit of work succeeds
    assert len(list_users(world.actor("admin1"))) == 4


def test_a_write_cut_between_the_row_and_its_audit_entry_leaves_nothing(pg_world, monkeypatch):
    world, engine = pg_world
    real_record = audit.record

    def record_after_the_cut(session, *args, **kwargs):
        _terminate_app_connections(engine)
        return real_record(session, *args, **kwargs)

    monkeypatch.setattr(audit, "record", record_after_the_cut)
    with pytest.raises(DatabaseUnavailable):
        create_record(world.actor("admin1"), Action.edit_organisation,
                      Organisation(name="Half Written Org", kind="donor", country="KE"))
    monkeypatch.setattr(audit, "record", real_record)
    with session_scope() as s:
        assert s.exec(select(Organisation).where(Organisation.name == "Half Written Org")).first() is None


# --------------------------------------------------------------------------- on the test backend


@pytest.fixture
def world(empty_db):
    return build_world()


def _counts() -> tuple[int, int]:
    with session_scope() as s:
        return (s.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one(),
                s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one())


def test_a_create_whose_audit_step_fails_leaves_no_row(world, monkeypatch):
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        create_record(world.actor("admin1"), Action.edit_organisation,
                      Organisation(name="Never Stored Org", kind="donor", country="KE"))
    assert _counts() == before


def test_an_update_whose_audit_step_fails_changes_nothing(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        update_record(world.actor("admin1"), Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    with session_scope() as s:
        stored = s.get(Membership, world.membership_a)
        assert (stored.role, stored.version) == ("member", 1)


def test_a_user_created_with_a_failing_audit_step_does_not_exist(world, monkeypatch):
    from db.models import User
    from db.users import create_user

    def broken(*args, **kwargs):
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        create_user(world.actor("admin1"), username="ghost", display_name="Ghost", password="ghost-pass-2026",
                    role="viewer", group_ids=[world.group_a])
    with session_scope() as s:
        assert s.exec(select(User).where(User.username == "ghost")).first() is None
