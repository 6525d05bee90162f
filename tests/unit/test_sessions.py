"""Server-side sessions and login throttling (db/sessions.py), items 3 and 4 of issue 12:
a session ends at logout, password change, deactivation and an admin's "end all sessions" and
stays ended after reactivation; it has an idle and an absolute limit; a forged or JWT-style
cookie is nobody; failures are counted atomically per account and per client and slow down
attempts without ending open sessions; an unknown user costs the same bcrypt check."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from small_world import PASSWORD, build_world
from sqlmodel import select

from db import config, sessions
from db.engine import session_scope
from db.models import AuditEntry, LoginThrottle, UserSession
from db.sessions import (
    FREE_ATTEMPTS,
    check_login,
    end_all_sessions,
    end_session,
    open_sessions,
    session_user_id,
    start_session,
)
from db.users import UserUpdate, update_user


@pytest.fixture
def world(empty_db):
    return build_world()


def _age(token: str, *, created: timedelta | None = None, seen: timedelta | None = None) -> None:
    """Move a session's creation or last use into the past."""
    now = datetime.now(timezone.utc)
    with session_scope() as s:
        row = s.exec(select(UserSession).where(UserSession.token_hash == sessions.token_hash(token))).one()
        if created is not None:
            row.created_at = now - created
        if seen is not None:
            row.last_seen_at = now - seen
        s.add(row)


def test_a_session_belongs_to_its_user_until_logout(world):
    coordinator = world.actor("coord1")
    token = start_session(coordinator.id)
    assert session_user_id(token) == coordinator.id
    end_session(token)
    assert session_user_id(token) is None


def test_only_the_hash_of_the_token_is_stored(world):
    token = start_session(world.actor("coord1").id)
    with session_scope() as s:
        stored = [row.token_hash for row in s.exec(select(UserSession))]
    assert token not in stored and sessions.token_hash(token) in stored


def test_a_password_change_ends_every_session_made_with_the_old_one(world):
    coordinator = world.actor("coord1")
    token = start_session(coordinator.id)
    update_user(world.actor("admin1"), coordinator.id, UserUpdate(new_password="another-horse-57"))
    assert session_user_id(token) is None
    assert session_user_id(start_session(coordinator.id)) == coordinator.id


def test_deactivation_ends_sessions_and_reactivation_does_not_bring_them_back(world):
    admin, viewer = world.actor("admin1"), world.actor("viewer1")
    token = start_session(viewer.id)
    update_user(admin, viewer.id, UserUpdate(active=False))
    assert session_user_id(token) is None
    update_user(admin, viewer.id, UserUpdate(active=True))
    assert session_user_id(token) is None, "a copied cookie worked again after reactivation"


def test_an_admin_ends_all_sessions_of_a_user_with_an_audit_entry(world):
    hq = world.actor("hq1")
    tokens = [start_session(hq.id) for _ in range(3)]
    other = start_session(world.actor("coord1").id)
    assert open_sessions(hq.id) == 3
    assert end_all_sessions(world.actor("admin1"), hq.id) == 3
    assert [session_user_id(t) for t in tokens] == [None, None, None]
    assert session_user_id(other) is not None
    with session_scope() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.table_name == "user_session")).one()
    assert entry.row_id == hq.id and '"sessions_ended": 3' in entry.after


def test_only_admins_end_other_peoples_sessions(world):
    from db.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        end_all_sessions(world.actor("coord1"), world.actor("hq1").id)


def test_an_active_session_ends_at_the_absolute_limit(world, monkeypatch):
    monkeypatch.setenv("SESSION_MAX_HOURS", "24")
    token = start_session(world.actor("coord1").id)
    _age(token, created=timedelta(hours=25), seen=timedelta(seconds=5))  # used a moment ago
    assert session_user_id(token) is None


def test_an_idle_session_ends_at_the_idle_limit(world, monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "2")
    token = start_session(world.actor("coord1").id)
    _age(token, created=timedelta(hours=3), seen=timedelta(hours=2, minutes=1))
    assert session_user_id(token) is None


def test_use_keeps_a_session_alive_within_the_absolute_limit(world, monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "2")
    token = start_session(world.actor("coord1").id)
    _age(token, created=timedelta(hours=3), seen=timedelta(hours=1))
    assert session_user_id(token) is not None
    with session_scope() as s:
        row = s.exec(select(UserSession)).one()
    seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=timezone.utc)
    assert datetime.now(timezone.utc) - seen < timedelta(minutes=1)


@pytest.mark.parametrize("forged", [
    "",
    "not-a-session",
    "x" * 5000,
    # the old cookie: a JWT naming the user with a ten-year expiry, signed with the real key
    "jwt",
])
def test_a_forged_cookie_is_nobody(world, forged):
    if forged == "jwt":
        forged = jwt.encode({"username": "admin1", "exp_date": (datetime.now() + timedelta(days=3650)).timestamp()},
                            config.cookie_key(), algorithm="HS256")
    start_session(world.actor("admin1").id)
    assert session_user_id(forged) is None


# --------------------------------------------------------------------------- throttling


def _failures(key: str) -> int:
    with session_scope() as s:
        row = s.get(LoginThrottle, key)
        return row.failures if row else 0


def test_a_right_password_logs_in_and_a_wrong_one_does_not(world):
    assert check_login("coord1", PASSWORD, client="10.0.0.1").user_id == world.actor("coord1").id
    assert not check_login("coord1", "wrong-horse-42", client="10.0.0.1").ok
    assert not check_login("COORD1 ", "wrong-horse-42").ok  # the same account, however typed
    assert _failures("user:coord1") == 2


def test_failures_slow_down_the_account_with_a_delay_that_grows(world):
    for attempt in range(FREE_ATTEMPTS):
        assert check_login("coord1", f"wrong-{attempt}", client=f"c{attempt}").retry_after is None
    first = check_login("coord1", PASSWORD, client="elsewhere")
    assert first.retry_after is not None and not first.ok, "the right password went through during the delay"
    with session_scope() as s:  # the delay has passed; one more failure doubles it
        row = s.get(LoginThrottle, "user:coord1")
        row.last_failure_at = datetime.now(timezone.utc) - timedelta(minutes=1)
        s.add(row)
    assert not check_login("coord1", "wrong-again").ok
    second = check_login("coord1", PASSWORD)
    assert second.retry_after is not None and second.retry_after > first.retry_after


def test_a_client_is_slowed_down_across_accounts(world):
    for attempt, username in enumerate(["coord1", "hq1", "viewer1", "admin1", "nobody"]):
        check_login(username, f"wrong-{attempt}", client="192.0.2.9")
    assert check_login("coord1", PASSWORD, client="192.0.2.9").retry_after is not None
    assert check_login("coord1", PASSWORD, client="192.0.2.10").ok


def test_failures_never_end_an_open_session(world):
    coordinator = world.actor("coord1")
    token = start_session(coordinator.id)
    for attempt in range(FREE_ATTEMPTS + 3):
        check_login("coord1", f"wrong-{attempt}", client=f"attacker-{attempt}")
    assert session_user_id(token) == coordinator.id


def test_a_success_clears_the_accounts_failures(world):
    check_login("hq1", "wrong-1")
    check_login("hq1", "wrong-2")
    assert check_login("hq1", PASSWORD).ok
    assert _failures("user:hq1") == 0


def _parallel_failures(n: int) -> None:
    barrier = threading.Barrier(n)

    def attempt(i: int) -> None:
        barrier.wait()
        check_login("hq1", f"wrong-{i}", client=f"parallel-{i}")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_parallel_failures_are_all_counted(world):
    """Six failures at once left the counter at 2-4 (read, then write): now one UPDATE each."""
    _parallel_failures(6)
    assert _failures("user:hq1") == 6


def test_parallel_failures_are_all_counted_on_postgresql(pg_world):
    _parallel_failures(6)
    assert _failures("user:hq1") == 6


@pytest.fixture
def pg_world(pg_url):
    from db.engine import get_engine, use_database
    from db.migrate import upgrade

    upgrade(get_engine(pg_url))
    use_database(pg_url)
    try:
        yield build_world()
    finally:
        use_database(None)


@pytest.mark.parametrize("username,password", [
    ("nobody", PASSWORD), ("coord1", "wrong-horse-1"), ("coord1", PASSWORD), ("coord1", "Zq9!" * 21),
])
def test_every_attempt_costs_one_bcrypt_check(world, monkeypatch, username, password):
    """An unknown user answered in 0.19 s and a real one in 2.4-3.0 s: now both pay one check."""
    calls = []
    real = sessions.bcrypt.checkpw
    monkeypatch.setattr(sessions.bcrypt, "checkpw", lambda *a: calls.append(1) or real(*a))
    check_login(username, password)
    assert len(calls) == 1
