"""Our small wrapper around streamlit-authenticator: users come from the database, the cookie
key from settings, and the acting user is re-read from the database on every run.

Created once per run in app.py with `login()` called on every run: the authenticator restores
the session from its cookie there. `login_sleep_time=0` keeps a reload of a sub-page on that
page (see shared/style.md)."""
from __future__ import annotations

import time

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from db import config
from db.permissions import Actor
from db.users import credentials, load_actor, record_login_result
from i18n import _

COOKIE_NAME = "icwg_session"
COOKIE_COMPONENT_KEY = "init"  # the session-state key of streamlit-authenticator's cookie component
LAST_SEEN = "_last_seen"


def current_actor() -> Actor | None:
    """The logged-in user, re-read from the database (None when logged out or deactivated).
    Pages call this through components.guard.require; it is a few indexed queries."""
    if not st.session_state.get("authentication_status"):
        return None
    return load_actor(st.session_state.get("username"))


class Auth:
    def __init__(self) -> None:
        self._credentials = credentials()
        self._failures_before = {name: user.get("failed_login_attempts", 0)
                                 for name, user in self._credentials["usernames"].items()}
        self.authenticator = stauth.Authenticate(
            self._credentials, cookie_name=COOKIE_NAME, cookie_key=config.cookie_key(),
            cookie_expiry_days=config.session_hours() / 24, auto_hash=False, login_sleep_time=0,
        )

    def login(self) -> Actor | None:
        """Show the login form if needed; return the acting user once logged in."""
        fields = {"Form name": _("Log in"), "Username": _("Username"), "Password": _("Password"),
                  "Login": _("Log in")}
        try:
            # First restore a session from the login cookie, without drawing anything.
            self.authenticator.login(location="unrendered", key="login")
            if not st.session_state.get("authentication_status") and self._cookie_component_pending():
                return None
            self.authenticator.login(location="main", fields=fields, key="login")
        except LoginError:
            # A cookie naming a user who is no longer allowed in: treat as logged out.
            self._forget()
        self._persist_failures()
        if st.session_state.get("authentication_status") is False:
            st.error(_("Username or password is incorrect, or the account is locked or inactive."))
            return None
        if not st.session_state.get("authentication_status"):
            return None
        if self._idle_too_long():
            self.logout()
            st.warning(_("Your session expired. Please log in again."))
            return None
        actor = current_actor()
        if actor is None:  # deactivated or locked since login: out on the next click
            self.logout()
            st.warning(_("Your account is no longer active. Please contact an administrator."))
            return None
        if not st.session_state.get("_login_recorded"):
            record_login_result(actor.username, succeeded=True)
            st.session_state["_login_recorded"] = True
        st.session_state[LAST_SEEN] = time.time()
        return actor

    def _cookie_component_pending(self) -> bool:
        """In a browser, the authenticator's cookie component reports back once after the first
        run and that report reruns the script. A login submitted during that rerun can be lost,
        so the form waits for the report (a second or so). If the report never comes (scripts
        blocked), a timer shows the form anyway. AppTest has no browser and no report."""
        if st.context.headers.get("User-Agent") is None:
            return False
        if st.session_state.get(COOKIE_COMPONENT_KEY) is not None:
            return False
        waited = st.session_state.get("_login_waits", 0)
        if waited >= 2:
            return False
        st.session_state["_login_waits"] = waited + 1
        st.caption(_("Loading the login form..."))
        _rerun_soon()
        return True

    def logout_button(self) -> None:
        # not key="logout": the authenticator keeps its own session value under that name, and a
        # button may not share a key with a value set in session state (crash on a cookie login)
        if st.sidebar.button(_("Log out"), key="logout_button", width="stretch"):
            self.logout()
            st.rerun()

    def logout(self) -> None:
        try:
            self.authenticator.logout(location="unrendered")
        except Exception:  # already logged out in the authenticator's view
            pass
        self._forget()

    def _forget(self) -> None:
        for key in ("authentication_status", "username", "name", "roles", "email"):
            st.session_state[key] = None
        for key in ("_login_recorded", LAST_SEEN):
            st.session_state.pop(key, None)

    def _idle_too_long(self) -> bool:
        last_seen = st.session_state.get(LAST_SEEN)
        return last_seen is not None and time.time() - last_seen > config.session_hours() * 3600

    def _persist_failures(self) -> None:
        """The authenticator counts a wrong password in our credentials dict; store it."""
        for name, user in self._credentials["usernames"].items():
            if user.get("failed_login_attempts", 0) > self._failures_before.get(name, 0):
                record_login_result(name, succeeded=False)


@st.fragment(run_every=2)
def _rerun_soon() -> None:
    """Rerun the whole page once, two seconds from now (the login form's fallback timer)."""
    if st.session_state.get("_login_timer_started"):
        st.session_state.pop("_login_timer_started")
        st.rerun(scope="app")
    st.session_state["_login_timer_started"] = True
