"""Logins and their sessions, kept on the server so that they can be ended.

The browser's cookie holds only a random token; the database keeps its SHA-256 with the user,
the user's password version, when it was made and when it was last used. A session is valid
while it is not revoked, its user is active, the password has not changed since, it is younger
than the absolute lifetime and was used within the idle limit. Logout, a password change,
deactivation and an admin's "end all sessions" revoke it.

Failed logins are counted atomically per account and per client (a single UPDATE ... + 1, so
parallel attempts cannot lose a count). After a few free attempts each key is slowed down by a
delay that doubles with every further failure: an attacker cannot lock an account outright, and
nobody's open sessions end because of someone else's failures. A wrong password, an unknown user
and an inactive one cost the same bcrypt check and get the same answer."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import bcrypt
import sqlalchemy as sa
from sqlmodel import select

from db import audit, config
from db.engine import session_scope
from db.models import LoginThrottle, User, UserSession
from db.permissions import Action, Actor, authorize
from db.vocab import AuditAction

# Login state, not data: not in backups (a restored database starts with everyone logged out)
# and empty in the demo data.
LOGIN_STATE_TABLES = ("user_session", "login_throttle")
FREE_ATTEMPTS = 5            # failures in a row before a key is slowed down
FIRST_DELAY_SECONDS = 2      # then 2, 4, 8, ... seconds between attempts
MAX_DELAY_SECONDS = 15 * 60
TOUCH_EVERY = timedelta(seconds=60)  # last-seen is written at most once a minute per session
BCRYPT_MAX_BYTES = 72
# Checked when the username is unknown, so that answer takes as long as a real one.
_DUMMY_HASH = bcrypt.hashpw(b"no such user", bcrypt.gensalt()).decode()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)  # SQLite returns naive UTC
    return moment


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------- checking a password


def password_matches(password: str, password_hash: str) -> bool:
    """bcrypt looks at 72 bytes at most (and bcrypt 5 refuses more): a longer password can never
    have been set (db/users.password_problem), so it is simply wrong, at the same cost."""
    candidate = password.encode()
    if len(candidate) > BCRYPT_MAX_BYTES:
        bcrypt.checkpw(b"x", password_hash.encode())
        return False
    return bcrypt.checkpw(candidate, password_hash.encode())


@dataclass(frozen=True)
class LoginResult:
    user_id: int | None = None          # set when the login succeeded
    retry_after: int | None = None      # seconds to wait, when the attempt was not even checked

    @property
    def ok(self) -> bool:
        return self.user_id is not None


def throttle_keys(username: str, client: str | None) -> list[str]:
    keys = [f"user:{username}"[:120]]
    if client:
        keys.append(f"client:{client}"[:120])
    return keys


def _delay_for(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS))


def retry_after(keys: list[str]) -> int | None:
    """Seconds until these keys may try again, or None if they may try now."""
    with session_scope() as s:
        rows = s.exec(select(LoginThrottle).where(LoginThrottle.key.in_(keys))).all()
    wait = 0.0
    for row in rows:
        if row.last_failure_at is None:
            continue
        until = _aware(row.last_failure_at) + timedelta(seconds=_delay_for(row.failures))
        wait = max(wait, (until - _now()).total_seconds())
    return int(wait) + 1 if wait > 0 else None


def _count_failure(keys: list[str]) -> None:
    """One atomic increment per key (an UPDATE, or an INSERT for a new key, retried as an
    UPDATE when a parallel attempt inserted it first)."""
    now = _now()
    for key in keys:
        with session_scope() as s:
            updated = s.execute(sa.update(LoginThrottle).where(LoginThrottle.key == key)
                                .values(failures=LoginThrottle.failures + 1, last_failure_at=now)).rowcount
        if updated:
            continue
        try:
            with session_scope() as s:
                s.add(LoginThrottle(key=key, failures=1, last_failure_at=now))
        except sa.exc.IntegrityError:
            with session_scope() as s:
                s.execute(sa.update(LoginThrottle).where(LoginThrottle.key == key)
                          .values(failures=LoginThrottle.failures + 1, last_failure_at=now))


def _clear(keys: list[str]) -> None:
    with session_scope() as s:
        s.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


def check_login(username: str, password: str, client: str | None = None) -> LoginResult:
    """Check a login attempt. Refused without a check while the account or the client is being
    slowed down; otherwise one bcrypt check whether or not the user exists."""
    username = (username or "").strip().lower()[:60]
    keys = throttle_keys(username, client)
    wait = retry_after(keys)
    if wait:
        return LoginResult(retry_after=wait)
    with session_scope() as s:
        user = s.exec(select(User).where(User.username == username)).first()
        stored = (user.id, user.password_hash, user.active) if user is not None else None
    if stored is None:
        password_matches(password, _DUMMY_HASH)
        _count_failure(keys)
        return LoginResult()
    user_id, password_hash, active = stored
    if not password_matches(password, password_hash) or not active:
        _count_failure(keys)
        return LoginResult()
    _clear(keys)
    return LoginResult(user_id=user_id)


def clear_failures(username: str) -> None:
    _clear([f"user:{username}"])


# --------------------------------------------------------------------------- sessions


def start_session(user_id: int, user_agent: str = "") -> str:
    """A new session for this user; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    with session_scope() as s:
        user = s.get(User, user_id)
        s.add(UserSession(token_hash=token_hash(token), user_id=user_id,
                          password_version=user.password_version, user_agent=(user_agent or "")[:200]))
    return token


def _expired(row: UserSession, now: datetime) -> bool:
    idle = timedelta(hours=config.session_hours())
    lifetime = timedelta(hours=config.session_max_hours())
    return now - _aware(row.created_at) > lifetime or now - _aware(row.last_seen_at) > idle


def session_user_id(token: str | None) -> int | None:
    """The user a session token belongs to while the session is valid, else None. Marks the
    session as used (at most once a minute, so a click is one indexed read)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = _now()
    with session_scope() as s:
        row = s.exec(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
        if row is None or row.revoked_at is not None:
            return None
        user = s.get(User, row.user_id)
        if user is None or not user.active or user.password_version != row.password_version:
            return None
        if _expired(row, now):
            row.revoked_at = now
            s.add(row)
            return None
        if now - _aware(row.last_seen_at) > TOUCH_EVERY:
            row.last_seen_at = now
            s.add(row)
        return row.user_id


def end_session(token: str | None) -> None:
    """Logout: this session can never be used again, whatever the browser still holds."""
    if not isinstance(token, str) or not token:
        return
    with session_scope() as s:
        s.execute(sa.update(UserSession).where(UserSession.token_hash == token_hash(token),
                                               UserSession.revoked_at.is_(None))
                  .values(revoked_at=_now()))


def revoke_user_sessions(s, user_id: int) -> int:
    """End every open session of a user inside the caller's transaction; returns how many."""
    return s.execute(sa.update(UserSession).where(UserSession.user_id == user_id,
                                                  UserSession.revoked_at.is_(None))
                     .values(revoked_at=_now())).rowcount


def end_all_sessions(actor: Actor, user_id: int) -> int:
    """An admin's "end all sessions" for one user, audited."""
    authorize(actor, Action.manage_users)
    with session_scope() as s:
        ended = revoke_user_sessions(s, user_id)
        audit.record(s, actor, AuditAction.update, "user_session", user_id,
                     after={"sessions_ended": ended})
    return ended


def open_sessions(user_id: int) -> int:
    """How many sessions of this user are open (not revoked, not past their limits)."""
    now = _now()
    with session_scope() as s:
        rows = s.exec(select(UserSession).where(UserSession.user_id == user_id,
                                                UserSession.revoked_at.is_(None))).all()
        return sum(1 for row in rows if not _expired(row, now))
