"""The first call of every page. Streamlit may run a file in pages/ on its own (a fresh
server routes by folder until st.navigation has been called; AppTest.switch_page does the
same), so each page checks the logged-in user and role itself before showing anything."""
from __future__ import annotations

import html

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from components.auth import current_actor
from db.permissions import Action, Actor, can
from i18n import _, set_language

# Set once a logged-out run of a page has handed over to app.py, so a page run on its own
# again (AppTest.switch_page) shows its message instead of rerunning for ever.
_HANDED_OVER = "guard_handed_over_to_app"


def require(*actions: Action) -> Actor:
    """Return the acting user if their role may use any of `actions`; otherwise stop the
    page with a short message and nothing else."""
    actor = current_actor()
    if actor is None:
        if not st.session_state.get(_HANDED_OVER):
            # A fresh server's first request ran this file on its own (shared/style.md): under
            # `streamlit run app.py` the server routes by folder until st.navigation has been
            # called (serve.py turns that off before the first request). Turn it off as
            # st.navigation itself does and run again, once: app.py then shows the login form
            # at this address (same page hash), with its hidden navigation instead of the
            # folder's page list.
            PagesManager.uses_pages_directory = False
            st.session_state[_HANDED_OVER] = True
            st.rerun()
        st.info(_("Please log in to see this page."))
        # Should a page still run on its own, it has no login form: the app's front page does
        # (in this tab; our own words only, never stored text).
        # Streamlit lists the pages/ folder's files in the sidebar there: hide that list
        # (client.showSidebarNavigation would hide the app's own navigation too).
        st.html(f'<a href="/" target="_self">{html.escape(_("Log in"))}</a>'
                '<style>[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] '
                '{display: none}</style>')
        st.stop()
    set_language(actor.language)
    if not any(can(actor, action) for action in actions):
        st.warning(_("Your role does not give access to this page."))
        st.stop()
    return actor
