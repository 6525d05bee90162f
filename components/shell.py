"""The frame around every page: database start-up, the demo banner and the user's sidebar."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.text import md
from db import config
from db.engine import DatabaseUnavailable, get_engine, safe_url
from db.permissions import Actor
from db.users import UserUpdate, update_user
from db.vocab import LABELS, Language, label
from i18n import _


@st.cache_resource(show_spinner=False)
def _prepare_once(url: str) -> bool:
    """Keyed on the database actually in use, so pointing the process elsewhere prepares that."""
    from db.startup import prepare_database
    from seed.generator import load_demo_data

    return prepare_database(demo_loader=load_demo_data)


SERVED_BY = "ICWG_SERVED_BY"  # set by serve.py, the server entry point with headers and checks


def production_problems() -> list[str]:
    """What stops a production start, each in words an administrator can act on: no cookie key,
    not started through serve.py, demo logins whose passwords the README publishes."""
    if config.app_mode() != config.PRODUCTION:
        return []
    from seed.demo_users import published_demo_logins

    problems = []
    try:
        config.cookie_key()
    except config.ConfigError as error:
        problems.append(str(error))
    if not config.setting(SERVED_BY):
        problems.append("In production, start the app with `streamlit run serve.py`: it sets the security "
                        "headers and checks this configuration before serving anyone.")
    if demo := published_demo_logins():
        problems.append(f"APP_MODE=production, but the demo logins {', '.join(demo)} still open with the "
                        "passwords published in the README. Create a real administrator "
                        "(python -m db.create_admin), then run python -m seed.retire_demo_logins.")
    return problems


def startup_or_stop() -> None:
    """Migrate (and seed the demo) once per process; one clear message if the database or the
    configuration is wrong, never a traceback wall."""
    try:
        mode = config.app_mode()
        if mode == config.PRODUCTION:
            config.cookie_key()  # refuses to start without one
            st.set_option("client.showErrorDetails", "none")
        # Always one placeholder here, spinner or not, so the login form below keeps its place
        # between runs (a shifted form is re-mounted and loses what the user was typing).
        with st.empty():
            with st.spinner(_("Preparing the database (first start loads the demo data)...")):
                _prepare_once(safe_url(get_engine()))
        if mode == config.PRODUCTION and (problems := production_problems()):
            raise config.ConfigError(" ".join(problems))
    except (DatabaseUnavailable, config.ConfigError) as error:
        st.error(str(error))
        st.stop()


STYLE = Path(__file__).resolve().parents[1] / "static" / "app.css"


def page_style() -> None:
    """The app's few style rules; style-only HTML takes no room on the page."""
    st.html(STYLE)


def demo_banner(login_hint: bool = False) -> None:
    """One slim line: a full alert box pushed the second row of figures off a laptop's screen."""
    if not config.is_demo():
        return
    st.badge(_("Fictional demo data: every organisation, place and person here is invented."),
             icon=":material/theater_comedy:", color="blue")
    if login_hint:
        st.caption(_("Demo logins are listed in the README (admin, coordinator, hq, viewer)."))


def user_sidebar(actor: Actor, auth) -> None:
    with st.sidebar:
        st.markdown(f"**{md(actor.display_name)}**  \n{label(actor.role)}")
        languages = list(Language)
        choice = st.selectbox(_("Language"), languages, index=languages.index(actor.language),
                              format_func=lambda code: LABELS[code], key="language_choice")
        if choice != actor.language:
            update_user(actor, actor.id, UserUpdate(language=choice))
            st.rerun()
        auth.logout_button()
