"""The admin pages through AppTest: every form with valid and invalid input, checking the
database and the audit log; other roles refused."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import AuditEntry, User, UserGroup
from db.users import load_actor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from small_world import PASSWORD, build_world

from tests.conftest import page


@pytest.fixture
def world(empty_db):
    return build_world()


def _user(username: str) -> User | None:
    with session_scope() as s:
        return s.exec(select(User).where(User.username == username)).first()


def _failed_logins(username: str) -> int:
    """The failed logins in a row the Users page shows for an account."""
    from db.permissions import SYSTEM
    from db.users import list_users

    users = list_users(SYSTEM).set_index("username")
    return int(users.loc[username, "failed_logins"])


def _groups_of(user_id: int) -> set[int]:
    with session_scope() as s:
        return set(s.exec(select(UserGroup.group_id).where(UserGroup.user_id == user_id)).all())


def _last_audit(table: str) -> AuditEntry:
    with session_scope() as s:
        return s.exec(select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id.desc())).first()


def _audit_count() -> int:
    with session_scope() as s:
        return s.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()


def _button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[0]


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _users_page(username="admin1"):
    at = page("pages/users.py", username)
    at.run()
    assert not at.exception, at.exception
    return at


# --------------------------------------------------------------------------- users page


def test_the_users_page_lists_accounts_without_password_hashes(world):
    at = _users_page()
    frame = at.dataframe[0].value
    assert set(frame["Username"]) == {"admin1", "coord1", "hq1", "viewer1"}
    assert not any("hash" in str(column).lower() for column in frame.columns)
    text = frame.to_csv()
    assert "$2b$" not in text  # no bcrypt hash anywhere in the table
    assert "Group Alpha" in frame.loc[frame["Username"] == "coord1", "Working groups"].iloc[0]


def _fill_create(at, username, display_name, password, role_index=None, email=""):
    at.text_input(key="new_username").input(username)
    at.text_input(key="new_display_name").input(display_name)
    at.text_input(key="new_email").input(email)
    at.text_input(key="new_password").input(password)
    if role_index is not None:
        at.selectbox(key="new_role").select_index(role_index)


def test_create_a_coordinator_with_groups(world):
    at = _users_page()
    _fill_create(at, "Nadia.K", "Nadia Koroma", "strong-pass-2026", role_index=1, email="nadia@example.org")
    at.multiselect(key="new_groups").select(world.group_b)
    _button(at, "Create user").click().run()
    assert not at.exception and not _errors(at), _errors(at)
    assert any("nadia.k" in s.value for s in at.success)
    user = _user("nadia.k")
    assert user is not None and user.role == "coordinator" and user.email == "nadia@example.org"
    assert user.password_hash.startswith("$2") and "strong-pass-2026" not in user.password_hash
    assert _groups_of(user.id) == {world.group_b}
    entry = _last_audit("app_user")
    assert entry.action == "create" and entry.row_id == user.id and entry.username == "admin1"
    after = json.loads(entry.after)
    assert after["username"] == "nadia.k" and after["group_ids"] == [world.group_b]
    assert "password_hash" not in after
    assert load_actor("nadia.k").group_ids == {world.group_b}


def test_create_refuses_a_weak_password_and_keeps_what_was_typed(world):
    at = _users_page()
    audits = _audit_count()
    _fill_create(at, "weakling", "Weak Password", "short1")
    _button(at, "Create user").click().run()
    assert not at.exception
    assert "Use at least 10 characters." in _errors(at)
    assert at.text_input(key="new_username").value == "weakling"  # kept
    assert _user("weakling") is None and _audit_count() == audits


def test_create_refuses_a_bad_username_email_and_a_taken_username(world):
    at = _users_page()
    _fill_create(at, "x", "", "strong-pass-2026", email="not-an-email")
    _button(at, "Create user").click().run()
    errors = _errors(at)
    assert any("lower-case letters" in e for e in errors)
    assert any("valid email" in e for e in errors)
    assert any("name of up to 200" in e for e in errors)
    _fill_create(at, "coord1", "Second Coord", "strong-pass-2026")
    _button(at, "Create user").click().run()
    assert "This username is taken." in _errors(at)
    with session_scope() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 4


def _edit(at, username):
    at.selectbox(key="edit_user").select(username).run()
    assert not at.exception
    return _user(username).id


def test_change_role_and_assign_groups(world):
    at = _users_page()
    uid = _edit(at, "viewer1")
    at.selectbox(key=f"edit_role_{uid}").select_index(1)  # coordinator
    at.multiselect(key=f"edit_groups_{uid}").select(world.group_a).select(world.group_b)
    _button(at, "Save changes").click().run()
    assert not at.exception and not _errors(at), _errors(at)
    user = _user("viewer1")
    assert user.role == "coordinator" and user.version == 2
    assert _groups_of(uid) == {world.group_a, world.group_b}
    entry = _last_audit("app_user")
    assert entry.action == "update" and entry.row_id == uid
    assert json.loads(entry.before)["role"] == "viewer" and json.loads(entry.after)["role"] == "coordinator"
    assert json.loads(entry.after)["group_ids"] == sorted([world.group_a, world.group_b])


def test_an_admin_cannot_demote_themselves(world):
    at = _users_page()
    uid = _edit(at, "admin1")
    at.selectbox(key=f"edit_role_{uid}").select_index(3)  # viewer
    _button(at, "Save changes").click().run()
    assert "You cannot demote or deactivate your own account." in _errors(at)
    assert _user("admin1").role == "admin"


def test_deactivate_and_reactivate(world):
    at = _users_page()
    uid = _edit(at, "hq1")
    _button(at, "Deactivate hq1").click().run()
    assert not at.exception and _user("hq1").active is False
    assert load_actor("hq1") is None
    assert json.loads(_last_audit("app_user").after)["active"] is False
    _button(at, "Reactivate hq1").click().run()
    assert _user("hq1").active is True and load_actor("hq1") is not None
    assert uid


def test_reset_a_password_valid_and_invalid(world):
    from db.sessions import FREE_ATTEMPTS, check_login, session_user_id, start_session

    token = start_session(world.actor("coord1").id)
    for attempt in range(FREE_ATTEMPTS):
        check_login("coord1", f"wrong-{attempt}")
    assert check_login("coord1", PASSWORD).retry_after  # slowed down
    at = _users_page()
    uid = _edit(at, "coord1")
    old_hash = _user("coord1").password_hash
    at.text_input(key=f"reset_password_{uid}").input("qwerty123456")
    _button(at, "Reset password").click().run()
    assert "This is one of the most common passwords; choose another." in _errors(at)
    assert _user("coord1").password_hash == old_hash
    at.text_input(key=f"reset_password_{uid}").input("new-secret-2027")
    _button(at, "Reset password").click().run()
    assert not _errors(at)
    user = _user("coord1")
    assert user.password_hash != old_hash and _failed_logins("coord1") == 0
    assert check_login("coord1", "new-secret-2027").ok  # the slow-down is lifted by the reset
    assert session_user_id(token) is None  # and the sessions made with the old password ended
    after = json.loads(_last_audit("app_user").after)
    assert after["password"] == "changed" and "new-secret-2027" not in _last_audit("app_user").after


@pytest.mark.parametrize("path", ["pages/users.py", "pages/audit_log.py", "pages/backup.py"])
@pytest.mark.parametrize("username", ["coord1", "hq1", "viewer1"])
def test_admin_pages_refuse_other_roles(world, path, username):
    at = page(path, username)
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert len(at.dataframe) == 0 and len(at.button) == 0 and len(at.text_input) == 0


# --------------------------------------------------------------------------- audit log page


def test_the_audit_log_lists_filters_and_shows_one_entry(world):
    at = page("pages/audit_log.py", "admin1")
    at.run()
    assert not at.exception
    entries = at.dataframe[0].value
    assert len(entries) == _audit_count()
    at.selectbox(key="audit_table").select("membership").run()
    entries = at.dataframe[0].value
    assert set(entries["Table"]) == {"membership"} and len(entries) == 2
    assert at.query_params["table"] in ("membership", ["membership"])
    entry_id = int(entries["Entry"].iloc[0])
    at.number_input(key="audit_entry").set_value(entry_id).run()
    assert not at.exception
    detail = at.dataframe[1].value
    assert "◆ group_id" in list(detail["Field"])  # a create: every field marked as changed
    assert any("of membership record" in m.value for m in at.markdown)


def test_the_audit_entry_view_marks_only_changed_fields(world):
    from db.models import Membership, MembershipUpdate
    from db.permissions import Action
    from db.writes.base import update_record
    update_record(load_actor("admin1"), Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    entry = _last_audit("membership")
    at = page("pages/audit_log.py", "admin1", query={"entry": str(entry.id)})
    at.run()
    assert not at.exception
    detail = at.dataframe[1].value.set_index("Field")
    assert detail.loc["◆ role", "Before"] == "member" and detail.loc["◆ role", "After"] == "chair"
    assert "group_id" in detail.index and not detail.loc["group_id", "Changed"]


def test_the_audit_log_filters_by_user_and_record(world):
    from db.models import Membership, MembershipUpdate
    from db.permissions import Action
    from db.writes.base import update_record
    update_record(load_actor("admin1"), Action.edit_membership, Membership, world.membership_a, 1, MembershipUpdate(role="chair"))
    at = page("pages/audit_log.py", "admin1", query={"user": "admin1", "record": str(world.membership_a)})
    at.run()
    frame = at.dataframe[0].value
    assert list(frame["User"]) == ["admin1"] and list(frame["Record id"]) == [world.membership_a]


# --------------------------------------------------------------------------- backup page


def test_the_backup_page_offers_a_download_and_says_restore_is_cli_only(world):
    at = page("pages/backup.py", "admin1")
    at.run()
    assert not at.exception
    assert any("python -m db.backup restore" in i.value for i in at.info)
    _button(at, "Prepare a backup file").click().run()
    assert not at.exception
    download = [d for d in at.get("download_button")]
    assert download, "no download button"
    assert any("rows in" in c.value for c in at.caption)


@pytest.fixture
def reset_dialog(world, monkeypatch):
    """The Backup page with its demo reset dialog open, and the resets it has asked for."""
    calls: list = []
    import seed.generator
    monkeypatch.setattr(seed.generator, "reset_demo", lambda engine: calls.append(engine))
    at = page("pages/backup.py", "admin1")
    at.run()
    _button(at, "Reset demo data").click().run()
    return at, calls


def test_the_demo_reset_asks_for_confirmation(reset_dialog):
    at, calls = reset_dialog
    assert not calls  # only the dialog opened
    _button(at, "Yes, reset the demo").click().run()
    assert not at.exception
    assert len(calls) == 1
    assert any("reset" in s.value for s in at.success)


def test_the_demo_reset_can_be_cancelled(reset_dialog):
    at, calls = reset_dialog
    _button(at, "Cancel").click().run()
    assert not calls and not [b for b in at.button if b.label == "Yes, reset the demo"]


def test_the_demo_reset_is_refused_outside_demo_mode(world, monkeypatch):
    calls = []
    from db.admin import reset_demo_data
    from db.errors import PermissionDenied
    monkeypatch.setenv("APP_MODE", "production")
    with pytest.raises(PermissionDenied):
        reset_demo_data(load_actor("admin1"), calls.append)
    monkeypatch.setenv("APP_MODE", "demo")
    with pytest.raises(PermissionDenied):
        reset_demo_data(load_actor("coord1"), calls.append)
    assert calls == []


def test_a_confirmed_demo_reset_puts_the_demo_data_back(demo_db):
    from db.models import Organisation, OrganisationUpdate
    from db.permissions import Action
    from db.writes.base import update_record
    with session_scope() as s:
        first = s.exec(select(Organisation).order_by(Organisation.id)).first()
        organisations = s.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one()
    update_record(load_actor("admin"), Action.edit_organisation, Organisation, first.id, first.version,
                  OrganisationUpdate(name="Renamed Before Reset"))
    at = page("pages/backup.py", "admin")
    at.run()
    _button(at, "Reset demo data").click().run()
    _button(at, "Yes, reset the demo").click().run(timeout=300)
    assert not at.exception, at.exception
    # the reset ends every session, the presenter's too: the page asks for a login
    assert [i.value for i in at.info] == ["Please log in to see this page."]
    with session_scope() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one() == organisations
        assert s.exec(select(Organisation).where(Organisation.name == "Renamed Before Reset")).first() is None
        assert s.exec(select(Organisation).where(Organisation.name == first.name)).first() is not None
    assert load_actor("admin") is not None  # the demo logins are back
