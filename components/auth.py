"""Logging in and out, with sessions kept on the server (db/sessions.py).

The browser holds one cookie with an opaque token; the database says whether it is still a
session. A new browser session (a reload, a deep link, a new tab) restores its user on its very
first script run from the cookie the browser sent with the page (`st.context.cookies`): no
component round trip and no timer decide whether someone is logged in.

The cookie is written by a small component of ours (components/session_cookie/), because
Streamlit cannot set a cookie from the server. Browser-side script cannot make it HttpOnly, so
what protects it: it holds only a random token (the database keeps its hash), SameSite=Strict,
Secure over HTTPS, an idle and an absolute limit, and revocation at logout, password change,
deactivation and by an admin. The app shows itself as logged in only once the browser has
confirmed the write, so a link opened right after login is logged in too.

Everything a Streamlit session holds is cleared at login and logout, and whenever the session's
user changes, so nothing of one person reaches the next one at the same screen.

Created once per run in app.py, with `login()` called on every run. streamlit-authenticator's
own login keeps a signed username in its cookie that cannot be revoked, so the app no longer
uses its login; its captcha helper guards the form after repeated failures."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_authenticator.utilities import Helpers

from db import config
from db.permissions import Actor
from db.sessions import FREE_ATTEMPTS, check_login, end_session, session_user_id, start_session
from db.users import actor_by_id
from i18n import _

COOKIE_NAME = "icwg_session"
SESSION_TOKEN = "session_token"     # session-state key: this browser session's token
SESSION_OWNER = "_session_owner"    # the user id everything in session state belongs to
COOKIE_WRITE = "_cookie_write"      # a cookie write the browser has not confirmed yet
LOGIN_FAILURES = "_login_failures"  # failures in this browser session (captcha after a few)
LOGIN_MESSAGE = "_login_message"    # why the last attempt was refused, shown above the new form
CAPTCHA = "login_captcha"

_cookie_component = components.declare_component(
    "session_cookie", path=str(Path(__file__).parent / "session_cookie"))


def current_actor() -> Actor | None:
    """The logged-in user, re-read from the database on every call (None when logged out, the
    session ended or the account was deactivated). Pages call it through components.guard."""
    return actor_by_id(session_user_id(st.session_state.get(SESSION_TOKEN)))


def clear_session_state() -> None:
    """Forget everything this Streamlit session holds: forms, prepared files, filters, tokens."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def _in_browser() -> bool:
    """AppTest runs scripts without a browser (no headers): nothing would confirm a cookie."""
    return st.context.headers.get("User-Agent") is not None


def _write_cookie(action: str, token: str = "") -> dict | None:
    """Ask the browser to set or delete the login cookie; the browser's answer once it has."""
    nonce = f"{action}-{token[:12]}"
    return _cookie_component(action=action, name=COOKIE_NAME, value=token, nonce=nonce,
                             max_age=int(config.session_max_hours() * 3600),
                             key=f"session_cookie_{nonce}", default=None)


class Auth:
    def login(self) -> Actor | None:
        """Return the acting user once logged in, or None: then app.py shows `form()` as the
        one page a logged-out visitor has (drawn inside that page, so its widgets belong to it
        from the first run of a fresh server on; drawn before st.navigation, a first login there
        was dropped with the change of page)."""
        token = st.session_state.get(SESSION_TOKEN)
        if token is None:
            token = self._restore_from_cookie()
        actor = current_actor() if token else None
        if actor is None:
            if token:  # this session ended (logout elsewhere, expiry, password change, deactivation)
                self._end(_("Your session has ended. Please log in again."))
            return None
        if st.session_state.get(SESSION_OWNER) != actor.id:
            clear_session_state()  # another person's state must never survive a change of user
            st.session_state.update({SESSION_TOKEN: token, SESSION_OWNER: actor.id})
        if st.session_state.get(COOKIE_WRITE) and not self._cookie_confirmed(token):
            st.caption(_("Signing you in..."))
            st.stop()
        return actor

    def _restore_from_cookie(self) -> str | None:
        cookie = st.context.cookies.get(COOKIE_NAME)
        if not isinstance(cookie, str) or not cookie:
            return None
        if session_user_id(cookie) is None:
            st.session_state[COOKIE_WRITE] = "delete"  # a stale cookie: remove it
            return None
        st.session_state[SESSION_TOKEN] = cookie
        return cookie

    def _cookie_confirmed(self, token: str) -> bool:
        if not _in_browser():
            st.session_state.pop(COOKIE_WRITE, None)
            return True
        answer = _write_cookie("set", token)
        if not answer:
            return False
        st.session_state.pop(COOKIE_WRITE, None)
        if not answer.get("stored"):
            st.warning(_("Your browser does not keep this site's cookie: a reload will ask you to log in again."))
        return True

    def _pending_delete(self) -> None:
        if st.session_state.get(COOKIE_WRITE) == "delete" and _in_browser():
            if _write_cookie("delete"):
                st.session_state.pop(COOKIE_WRITE, None)

    def form(self) -> None:
        """The login form, and any cookie deletion the browser still owes."""
        self._pending_delete()
        failures = st.session_state.get(LOGIN_FAILURES, 0)
        if message := st.session_state.pop(LOGIN_MESSAGE, None):
            st.error(message)
        with st.form("login_form", clear_on_submit=False):
            st.subheader(_("Log in"))
            username = st.text_input(_("Username"), max_chars=60, autocomplete="username")
            password = st.text_input(_("Password"), type="password", max_chars=200,
                                     autocomplete="current-password")
            captcha = None
            if failures >= FREE_ATTEMPTS - 2:
                st.image(Helpers.generate_captcha(CAPTCHA, config.cookie_key()))
                captcha = st.text_input(_("Type the digits in the picture"), max_chars=8, key="login_captcha_entry")
            submitted = st.form_submit_button(_("Log in"), type="primary")
        if not submitted:
            return
        if captcha is not None and not Helpers.check_captcha(CAPTCHA, captcha.strip(), config.cookie_key()):
            self._refuse(_("The digits do not match the picture. Try again."))
        result = check_login(username, password, client=st.context.ip_address)
        if result.retry_after:
            self._refuse(_("Too many failed attempts. Wait {seconds} seconds, then try again.").format(
                seconds=result.retry_after))
        if not result.ok:
            st.session_state[LOGIN_FAILURES] = failures + 1
            self._refuse(_("Username or password is incorrect, or the account is inactive."))
        token = start_session(result.user_id, st.context.headers.get("User-Agent", ""))
        clear_session_state()
        st.session_state.update({SESSION_TOKEN: token, SESSION_OWNER: result.user_id, COOKIE_WRITE: "set"})
        st.rerun()

    def _refuse(self, message: str) -> None:
        """Draw the form again (with a captcha once failures add up) under the message."""
        st.session_state.pop(CAPTCHA, None)  # a new picture for the next try
        st.session_state[LOGIN_MESSAGE] = message
        st.rerun()

    def logout_button(self) -> None:
        if st.sidebar.button(_("Log out"), key="logout_button", width="stretch"):
            self._end(None)
            st.rerun()

    def _end(self, message: str | None) -> None:
        """End this session on the server first (whatever the browser does next, the token is
        dead), then forget everything and have the browser drop the cookie."""
        end_session(st.session_state.get(SESSION_TOKEN))
        clear_session_state()
        st.session_state[COOKIE_WRITE] = "delete"
        if message:
            st.warning(message)
