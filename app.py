"""The picture frame: page config, database check, login, the navigation for the user's role,
and the sidebar. Pages live in pages/; logic in db/."""
from pathlib import Path

import streamlit as st

from components.auth import Auth
from components.nav import login_navigation, navigation
from components.shell import demo_banner, page_style, startup_or_stop, user_sidebar
from db.engine import DatabaseUnavailable
from i18n import set_language

# A shipped file: a ":material/..." icon makes the browser fetch it from fonts.gstatic.com
ICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="ICWG dashboard", page_icon=ICON, layout="wide")
page_style()
set_language(None)
startup_or_stop()

try:
    auth = Auth()
    actor = auth.login()
except DatabaseUnavailable as error:  # the database went away after start: one message, no traceback
    st.error(str(error))
    st.stop()
if actor is None:
    login_navigation(auth.form).run()
    demo_banner(login_hint=True)
    st.stop()

set_language(actor.language)
page = navigation(actor)
user_sidebar(actor, auth)
demo_banner()
try:
    page.run()
except DatabaseUnavailable as error:
    st.error(str(error))
