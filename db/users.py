"""User accounts: bcrypt hashes, lockout after repeated failures, the acting user re-read from
the database on every run (so deactivation takes effect on the next click)."""
from __future__ import annotations

import re

import bcrypt
import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import Session, SQLModel, select
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from db import audit
from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import LoginThrottle, Membership, Organisation, User, UserGroup, hidden_characters_problem
from db.permissions import GROUP_ASSIGNED_ROLES, Action, Actor, authorize, role_can
from db.sessions import BCRYPT_MAX_BYTES, clear_failures, revoke_user_sessions
from db.versioning import check_version
from db.vocab import AuditAction, Language, Role
from i18n import _

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_BYTES = BCRYPT_MAX_BYTES  # bcrypt reads no further
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
# The 30,000 most common passwords that zxcvbn ships (NIST SP 800-63B asks for such a list).
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def password_problem(password: str, *context: str) -> str | None:
    """Why a password may not be used, or None: at least 10 characters and at most 72 bytes
    (bcrypt's limit), not one of the most common passwords, and not easy to guess from common
    words, patterns or the account's own name (`context`), as zxcvbn estimates it."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("Use at least {n} characters.").format(n=PASSWORD_MIN_LENGTH)
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        return _("Use at most {n} bytes (letters with accents count as two).").format(n=PASSWORD_MAX_BYTES)
    if password.lower() in COMMON_PASSWORDS:
        return _("This is one of the most common passwords; choose another.")
    own_words = [word for text in context if text for word in re.split(r"[\W_]+", text.lower()) if len(word) > 2]
    if zxcvbn(password, user_inputs=own_words)["score"] < 3:
        return _("This password is easy to guess (common words, names, dates or patterns); "
                 "a few unrelated words make a strong one.")
    return None


def load_actor(username: str | None) -> Actor | None:
    """The acting user with their scopes, or None if unknown or inactive. Failed logins by
    others never end a user's session (db/sessions.py slows down attempts instead)."""
    if not username:
        return None
    with session_scope() as s:
        user = s.exec(select(User).where(User.username == username)).first()
        if user is None or not user.active:
            return None
        return actor_for(s, user)


def actor_by_id(user_id: int | None) -> Actor | None:
    """As load_actor, for the user a session belongs to."""
    if user_id is None:
        return None
    with session_scope() as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        return actor_for(s, user)


def actor_for(s: Session, user: User) -> Actor:
    group_ids = frozenset(s.exec(select(UserGroup.group_id).where(UserGroup.user_id == user.id)).all())
    company_ids: frozenset[int] = frozenset()
    member_groups: frozenset[int] = frozenset()
    if user.org_id is not None:
        company_ids = frozenset(company_family(s, user.org_id))
        member_groups = frozenset(s.exec(
            select(Membership.group_id).where(Membership.org_id.in_(company_ids),
                                              Membership.until.is_(None))).all())
    return Actor(id=user.id, username=user.username, role=Role(user.role), org_id=user.org_id,
                 group_ids=group_ids, company_ids=company_ids, member_group_ids=member_groups,
                 display_name=user.display_name, language=user.language)


def company_family(s: Session, org_id: int) -> set[int]:
    """An organisation and all its subsidiaries (children, grandchildren...)."""
    family, frontier = {org_id}, {org_id}
    while frontier:
        children = set(s.exec(select(Organisation.id).where(Organisation.parent_id.in_(frontier))).all())
        frontier = children - family
        family |= children
    return family


# --------------------------------------------------------------------------- administration


def _check_user_fields(username: str, display_name: str, email: str, role: str,
                       password: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not USERNAME_PATTERN.match(username or ""):
        errors["username"] = _("3 to 60 lower-case letters, digits, dots, dashes or underscores.")
    if not display_name.strip() or len(display_name) > 200 or hidden_characters_problem(display_name, name=True):
        errors["display_name"] = _("Enter a name of up to 200 characters.")
    if email and (len(email) > 200 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email)):
        errors["email"] = _("Enter a valid email address or leave it blank.")
    if role not in Role.__members__:
        errors["role"] = _("Choose a role.")
    if password is not None and (problem := password_problem(password, username, display_name, email)):
        errors["password"] = problem
    return errors


def create_user(actor: Actor, *, username: str, display_name: str, password: str, role: str,
                email: str = "", org_id: int | None = None, group_ids: list[int] = (),
                language: str = Language.en, session: Session | None = None) -> int:
    authorize(actor, Action.manage_users)
    username = (username or "").strip().lower()
    errors = _check_user_fields(username, display_name, email, role, password)
    if errors:
        raise ValidationFailed(errors)
    if Role(role) not in GROUP_ASSIGNED_ROLES:
        group_ids = []

    def run(s: Session) -> int:
        if s.exec(select(User.id).where(User.username == username)).first() is not None:
            raise ValidationFailed({"username": _("This username is taken.")})
        user = User(username=username, display_name=display_name.strip(), email=email.strip(),
                    password_hash=hash_password(password), role=role, org_id=org_id,
                    language=language)
        s.add(user)
        s.flush()
        for group_id in group_ids:
            s.add(UserGroup(user_id=user.id, group_id=group_id))
        audit.record(s, actor, AuditAction.create, "app_user", user.id,
                     after={**audit.snapshot(user), "group_ids": list(group_ids)})
        return user.id

    if session is not None:
        return run(session)
    with session_scope() as s:
        return run(s)


class UserUpdate(SQLModel):
    """What a save changes on an account (an admin's; a user's own language): the fields set,
    and only those (`model_dump(exclude_unset=True)`), so `org_id=None` means "no organisation"
    while a field left out stays as it is; an unknown field is refused."""
    model_config = ConfigDict(extra="forbid")
    role: str | None = None
    active: bool | None = None
    group_ids: list[int] | None = None
    display_name: str | None = None
    email: str | None = None
    org_id: int | None = None
    language: str | None = None
    new_password: str | None = None


def update_user(actor: Actor, user_id: int, changes: UserUpdate, *, version: int | None = None) -> None:
    """Change a user's role, groups, status or password (admins), and language (anyone, own).
    With `version` (the account's version when the form opened), refused if someone saved the
    account since."""
    given = changes.model_dump(exclude_unset=True)
    if not (actor.id == user_id and set(given) <= {"language"}):
        authorize(actor, Action.manage_users)
    role, active, new_password = given.get("role"), given.get("active"), given.get("new_password")
    group_ids = given.get("group_ids")
    with session_scope() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(_("That user no longer exists."))
        before = {**audit.snapshot(user),
                  "group_ids": sorted(s.exec(select(UserGroup.group_id).where(UserGroup.user_id == user_id)).all())}
        check_version(before, version)
        def new(name: str):
            """The value the save gives `name`, else the stored one."""
            return given[name] if given.get(name) is not None else getattr(user, name)

        errors = _check_user_fields(user.username, new("display_name"), new("email"), new("role"), new_password)
        errors.pop("username", None)  # not changed here; demo users such as "hq" predate the rule
        if "language" in given and given["language"] not in Language.__members__:
            errors["language"] = _("Choose a language.")
        if errors:
            raise ValidationFailed(errors)
        if role is not None and Role(role) not in GROUP_ASSIGNED_ROLES:
            group_ids = []  # only a coordinator keeps assigned groups
        if actor.id == user_id and (active is False or (role is not None and not role_can(role, Action.manage_users))):
            raise ValidationFailed({"role": _("You cannot demote or deactivate your own account.")})
        for name in ("role", "active", "display_name", "email", "language", "org_id"):
            if name in given and (given[name] is not None or name == "org_id"):
                setattr(user, name, given[name])
        if new_password is not None:
            user.password_hash = hash_password(new_password)
            user.password_version += 1  # every session made with the old password ends
        if new_password is not None or active is False:
            revoke_user_sessions(s, user_id)
        user.version += 1
        s.add(user)
        if group_ids is not None:
            s.execute(sa.delete(UserGroup).where(UserGroup.user_id == user_id))
            for group_id in group_ids:
                s.add(UserGroup(user_id=user_id, group_id=group_id))
        s.flush()
        after = {**audit.snapshot(user), "group_ids": sorted(group_ids) if group_ids is not None else before["group_ids"]}
        if new_password is not None:
            after["password"] = "changed"
        audit.record(s, actor, AuditAction.update, "app_user", user_id, before=before, after=after)
    if new_password is not None:
        clear_failures(user.username)  # an admin's reset lets the user in at once


def list_users(actor: Actor):
    """All accounts for the admin page (no hashes)."""
    import pandas as pd

    authorize(actor, Action.manage_users)
    with session_scope() as s:
        rows = s.execute(
            select(User.id, User.username, User.display_name, User.email, User.role, User.org_id,
                   Organisation.name.label("organisation"), User.language, User.active,
                   sa.func.coalesce(LoginThrottle.failures, 0).label("failed_logins"), User.version)
            .join(Organisation, Organisation.id == User.org_id, isouter=True)
            .join(LoginThrottle, LoginThrottle.key == sa.literal("user:") + User.username, isouter=True)
            .order_by(User.username)).all()
        groups = s.exec(select(UserGroup.user_id, UserGroup.group_id)).all()
    frame = pd.DataFrame([row._asdict() for row in rows])
    by_user: dict[int, list[int]] = {}
    for user_id, group_id in groups:
        by_user.setdefault(user_id, []).append(group_id)
    if not frame.empty:
        frame["group_ids"] = frame["id"].map(lambda i: sorted(by_user.get(i, [])))
    return frame
