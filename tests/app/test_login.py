"""Logging in through app.py with AppTest: the right password lands logged in; a wrong password,
an unknown or a deactivated user all get the same message and no crash; repeated failures slow
down further attempts (and never end anyone's open session); logging in or out clears what the
session held; deactivation logs a user out on their next run; production refuses to start
without a cookie key; an unreachable database gives one clear error."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from components.auth import SESSION_TOKEN
from db.engine import session_scope
from db.models import User
from db.sessions import FREE_ATTEMPTS, check_login
from db.users import UserUpdate, load_actor, update_user

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from small_world import PASSWORD, build_world

from tests.conftest import page

ROOT = Path(__file__).resolve().parents[2]
REFUSED = "Username or password is incorrect, or the account is inactive."


@pytest.fixture
def world(empty_db):
    return build_world()


def _failed_logins(username: str) -> int:
    """The failed logins in a row the Users page shows for an account."""
    from db.permissions import SYSTEM
    from db.users import list_users

    users = list_users(SYSTEM).set_index("username")
    return int(users.loc[username, "failed_logins"])


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _log_in(at: AppTest, username: str, password: str) -> AppTest:
    [field for field in at.text_input if field.label == "Username"][0].input(username)
    [field for field in at.text_input if field.label == "Password"][0].input(password)
    [button for button in at.button if button.label == "Log in"][0].click().run()
    assert not at.exception, at.exception
    return at


def _logged_in(at: AppTest) -> bool:
    """Logged in, and the run shows a page rather than the refusal."""
    return SESSION_TOKEN in at.session_state and not at.error and len(at.title) > 0


def _user(username: str) -> User:
    with session_scope() as s:
        return s.exec(select(User).where(User.username == username)).first()


def test_a_logged_out_visitor_sees_the_login_form_only(world):
    at = _app()
    assert [field.label for field in at.text_input] == ["Username", "Password"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0
    assert not any(b.label == "Log out" for b in at.button)


def test_the_right_password_logs_in(world):
    at = _log_in(_app(), "coord1", PASSWORD)
    assert _logged_in(at)
    assert not at.error
    assert any(b.label == "Log out" for b in at.button)
    at.run()  # the next click: still in, and the login form is gone
    assert _logged_in(at) and not [f for f in at.text_input if f.label == "Password"]
    assert [t.value for t in at.title] == ["Overview"]


@pytest.mark.parametrize("case", ["wrong password", "unknown user", "deactivated user"])
def test_every_refusal_gives_the_same_message(world, case):
    username, password = {
        "wrong password": ("coord1", "not-the-password-1"),
        "unknown user": ("nobody", PASSWORD),
        "deactivated user": ("viewer1", PASSWORD),
    }[case]
    if case == "deactivated user":
        update_user(world.actor("admin1"), world.actor("viewer1").id, UserUpdate(active=False))
    at = _log_in(_app(), username, password)
    assert [e.value for e in at.error] == [REFUSED]
    assert not _logged_in(at)
    assert len(at.dataframe) == 0 and len(at.metric) == 0


def test_repeated_failures_slow_down_the_account_without_ending_its_open_session(world):
    """Someone else's failures make the account wait before the next try, with a message
    saying so, and never log out the person already working (item 4 of issue 12)."""
    working = _log_in(_app(), "coord1", PASSWORD)
    assert _logged_in(working)
    for attempt in range(FREE_ATTEMPTS):
        check_login("coord1", f"wrong-password-{attempt}", client=f"attacker-{attempt}")
    at = _log_in(_app(), "coord1", PASSWORD)
    assert [e.value for e in at.error][0].startswith("Too many failed attempts. Wait ")
    assert not _logged_in(at)
    working.run()
    assert _logged_in(working), "failures by someone else ended an open session"


def test_a_captcha_guards_the_form_after_failures_in_this_session(world):
    at = _app()
    for attempt in range(FREE_ATTEMPTS - 2):
        _log_in(at, "coord1", f"wrong-password-{attempt}")
    assert "Type the digits in the picture" in [f.label for f in at.text_input]
    assert len(at.get("image")) + len(at.get("imgs")) == 1, "no captcha picture"
    _log_in(at, "coord1", PASSWORD)  # the right password, but no digits typed
    assert [e.value for e in at.error] == ["The digits do not match the picture. Try again."]
    assert not _logged_in(at)


def test_a_successful_login_clears_earlier_failures(world):
    at = _app()
    _log_in(at, "coord1", "wrong-password-x")
    assert _failed_logins("coord1") == 1
    _log_in(at, "coord1", PASSWORD)
    assert _logged_in(at) and _failed_logins("coord1") == 0


FRAME = """
import streamlit as st
from components.auth import Auth

auth = Auth()
actor = auth.login()
if actor is None:
    auth.form()
else:
    auth.logout_button()
    st.title(actor.username)
"""


def _frame() -> AppTest:
    """The login and logout part of app.py alone (AppTest reruns of app.py run only the page)."""
    at = AppTest.from_string(FRAME, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _log_out(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Log out").click().run()
    assert not at.exception, at.exception
    return at


def test_logging_out_and_in_as_someone_else_keeps_nothing_of_the_first_user(world):
    """Session state survived logout: an admin's prepared report reached the next user of the
    same tab (item 2 of issue 12). Logging out and logging in clear everything it held."""
    at = _log_in(_frame(), "admin1", PASSWORD)
    assert [t.value for t in at.title] == ["admin1"]
    at.session_state["report_file_admin_only"] = b"confidential outcome"
    _log_out(at)
    assert [f.label for f in at.text_input] == ["Username", "Password"] and not at.title
    assert "report_file_admin_only" not in at.session_state
    at.session_state["left_by_visitor"] = 1
    _log_in(at, "hq1", PASSWORD)
    assert [t.value for t in at.title] == ["hq1"]
    assert "left_by_visitor" not in at.session_state and "report_file_admin_only" not in at.session_state


def test_logging_out_ends_the_session_on_the_server(world):
    """A copy of the token (the cookie) is worthless after logout (items 1 and 3 of issue 12)."""
    at = _log_in(_frame(), "coord1", PASSWORD)
    token = at.session_state[SESSION_TOKEN]
    _log_out(at)
    again = AppTest.from_string(FRAME, default_timeout=60)
    again.session_state[SESSION_TOKEN] = token
    again.run()
    assert [f.label for f in again.text_input] == ["Username", "Password"] and not again.title


def test_deactivation_takes_effect_on_the_next_run(world):
    at = _log_in(_app(), "coord1", PASSWORD)
    assert _logged_in(at)
    update_user(world.actor("admin1"), world.actor("coord1").id, UserUpdate(active=False))
    # AppTest reruns the page the last run finished on by itself (the pages/ folder route):
    # its guard re-reads the user, shows nothing and hands over to app.py, which ends the
    # session with a message and shows the login form.
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Your session has ended. Please log in again."]
    assert SESSION_TOKEN not in at.session_state
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and len(at.title) == 0
    assert [field.label for field in at.text_input] == ["Username", "Password"]


def test_deactivation_stops_a_page_run_alone(world):
    at = page("pages/users.py", "admin1")
    at.run()
    assert len(at.dataframe) == 1
    other_admin = load_actor("admin1")
    with session_scope() as s:  # deactivated behind the page's back
        user = s.get(User, other_admin.id)
        user.active = False
        s.add(user)
    at.run()
    assert [i.value for i in at.info] == ["Please log in to see this page."]
    assert len(at.dataframe) == 0


def test_production_without_a_cookie_key_refuses_to_start(world, monkeypatch):
    monkeypatch.setenv("APP_MODE", "production")
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    from db import config
    monkeypatch.setattr(config, "_secrets", lambda: {})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["APP_MODE=production needs COOKIE_KEY (environment or .streamlit/secrets.toml)."]
    assert len(at.text_input) == 0 and len(at.dataframe) == 0


def test_production_with_a_cookie_key_starts(world, monkeypatch):
    monkeypatch.setenv("APP_MODE", "production")
    monkeypatch.setenv("COOKIE_KEY", "a-test-cookie-key-that-is-long-enough")
    monkeypatch.setenv("ICWG_SERVED_BY", "serve.py")
    at = _log_in(_app(), "admin1", PASSWORD)
    assert _logged_in(at)


def test_production_started_without_serve_py_says_how_to_start_it(world, monkeypatch):
    monkeypatch.setenv("APP_MODE", "production")
    monkeypatch.setenv("COOKIE_KEY", "a-test-cookie-key-that-is-long-enough")
    monkeypatch.delenv("ICWG_SERVED_BY", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "start the app with `streamlit run serve.py`" in at.error[0].value
    assert len(at.text_input) == 0


def test_an_unreachable_database_gives_one_clear_error(monkeypatch):
    import streamlit as st

    from db.engine import use_database
    st.cache_resource.clear()  # the start-up step is cached per process
    use_database("postgresql+psycopg://postgres@127.0.0.1:1/nope")
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
    finally:
        use_database(None)
        st.cache_resource.clear()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Cannot reach the database at postgresql+psycopg://postgres@127.0.0.1:1/nope")
    assert len(at.text_input) == 0


def test_a_database_lost_after_start_gives_one_clear_error(world):
    from db.engine import use_database
    at = _log_in(_app(), "admin1", PASSWORD)  # started and prepared against the working database
    assert _logged_in(at)
    use_database("postgresql+psycopg://postgres@127.0.0.1:1/nope")
    try:
        again = page("app.py", None)
        again.session_state[SESSION_TOKEN] = at.session_state[SESSION_TOKEN]
        again.run()
    finally:
        use_database(None)
    assert not again.exception, again.exception
    errors = [e.value for e in again.error]
    # One plain message naming the database (the start-up check or the mid-session one,
    # whichever reaches it first), never a traceback.
    assert len(errors) == 1 and "127.0.0.1:1/nope" in errors[0]
    assert len(again.dataframe) == 0 and len(again.metric) == 0
