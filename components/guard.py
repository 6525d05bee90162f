"""The first call of every page. Streamlit may run a file in pages/ on its own (a fresh
server routes by folder until st.navigation has been called; AppTest.switch_page does the
same), so each page checks the logged-in user and role itself before showing anything."""
from __future__ import annotations

import html

import streamlit as st

from components.auth import current_actor
from db.permissions import Action, Actor, can
from i18n import _, set_language


def require(*actions: Action) -> Actor:
    """Return the acting user if their role may use any of `actions`; otherwise stop the
    page with a short message and nothing else."""
    actor = current_actor()
    if actor is None:
        st.info(_("Please log in to see this page."))
        # A page run on its own (a fresh server's first request, shared/style.md) has no login
        # form: the app's front page does (in this tab; our own words only, never stored text).
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
