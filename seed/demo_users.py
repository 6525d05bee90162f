"""The demo logins, defined once: the README lists them, tests log in with them, and only the
demo data creates them (a production database starts with no users at all)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from db.users import hash_password
from db.vocab import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    display_name: str
    language: str = "en"


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "demo-admin-1", Role.admin, "Demo Administrator"),
    DemoUser("coordinator", "demo-coordinator-1", Role.coordinator, "Demo Coordinator"),
    DemoUser("hq", "demo-hq-2026", Role.hq, "Demo Company HQ"),
    DemoUser("viewer", "demo-viewer-1", Role.viewer, "Demo Viewer"),
)


@lru_cache(maxsize=None)
def _hash(password: str) -> str:
    """bcrypt is slow on purpose: hash each demo password once per process."""
    return hash_password(password)


def demo_user_rows(first_id: int, *, coordinator_org_id: int, coordinator_group_ids: list[int],
                   hq_org_id: int) -> tuple[list[dict], list[dict]]:
    """Rows for app_user and user_group: the coordinator works for a secretariat and edits its
    groups; the HQ user belongs to a parent company whose subsidiaries sit in several groups."""
    org_of = {Role.coordinator: coordinator_org_id, Role.hq: hq_org_id}
    users, user_groups = [], []
    for offset, demo in enumerate(DEMO_USERS):
        user_id = first_id + offset
        users.append({"id": user_id, "version": 1, "username": demo.username,
                      "display_name": demo.display_name, "email": f"{demo.username}@demo.invalid",
                      "password_hash": _hash(demo.password), "role": str(demo.role),
                      "org_id": org_of.get(demo.role), "language": demo.language, "active": True,
                      "password_version": 1})
        if demo.role == Role.coordinator:
            user_groups += [{"user_id": user_id, "group_id": g} for g in coordinator_group_ids]
    return users, user_groups


def user_id_of(first_id: int, role: Role) -> int:
    """The id demo_user_rows gives the demo user of this role."""
    return first_id + [d.role for d in DEMO_USERS].index(role)


def published_demo_logins() -> list[str]:
    """Active accounts that still open with a demo password from the README: a production
    database must hold none (the app refuses to start in production while it does)."""
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import User
    from db.sessions import password_matches

    by_name = {demo.username: demo for demo in DEMO_USERS}
    with session_scope() as s:
        users = s.exec(select(User).where(User.username.in_(list(by_name)), User.active == True)).all()  # noqa: E712
        return sorted(u.username for u in users if password_matches(by_name[u.username].password, u.password_hash))


def retire_demo_logins() -> list[str]:
    """Deactivate the demo logins that still have their published passwords (one audit entry
    each, through db/users). Their history stays; create a real admin first."""
    from db.permissions import SYSTEM
    from db.users import UserUpdate, load_actor, update_user

    retired = published_demo_logins()
    for username in retired:
        update_user(SYSTEM, load_actor(username).id, UserUpdate(active=False))
    return retired
