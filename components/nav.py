"""The navigation: which pages exist, in which section, and which action opens each. The
role-by-action table in db/permissions.py decides who sees what; this file only lists pages."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from db.permissions import Action, Actor, can
from i18n import N_, _


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str          # msgid, translated when the navigation is built
    icon: str
    section: str        # msgid
    actions: tuple[Action, ...]  # any one of them opens the page


A = Action
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", N_("Overview"), ":material/dashboard:", N_("Overview"), (A.view_overview,)),
    PageSpec("pages/working_groups.py", N_("Working groups"), ":material/groups:", N_("Working groups"), (A.view_groups,)),
    PageSpec("pages/activities.py", N_("Activities and calendar"), ":material/event:", N_("Working groups"), (A.view_activities,)),
    PageSpec("pages/organisations.py", N_("Organisations"), ":material/apartment:", N_("Working groups"), (A.view_organisations,)),
    PageSpec("pages/commitments.py", N_("Commitments"), ":material/handshake:", N_("Working groups"), (A.view_commitments,)),
    PageSpec("pages/lessons.py", N_("Lessons and forums"), ":material/lightbulb:", N_("Working groups"), (A.view_lessons,)),
    PageSpec("pages/training.py", N_("Security training"), ":material/school:", N_("Working groups"), (A.view_training,)),
    PageSpec("pages/documents.py", N_("Documents"), ":material/description:", N_("Working groups"), (A.view_documents,)),
    PageSpec("pages/issues.py", N_("Issues"), ":material/report:", N_("Issues"), (A.view_issues, A.view_issue_aggregates)),
    PageSpec("pages/grievance_health.py", N_("Grievance mechanism health"), ":material/health_and_safety:", N_("Issues"), (A.view_gm_health,)),
    PageSpec("pages/funding.py", N_("Funding"), ":material/account_balance:", N_("Funding"), (A.view_funding,)),
    PageSpec("pages/transparency.py", N_("Public transparency"), ":material/visibility:", N_("Funding"), (A.view_transparency,)),
    PageSpec("pages/scorecard.py", N_("Company scorecard"), ":material/leaderboard:", N_("Reporting"), (A.view_scorecard,)),
    PageSpec("pages/reports.py", N_("Reports"), ":material/summarize:", N_("Reporting"), (A.view_reports,)),
    PageSpec("pages/data_entry.py", N_("Data entry and import"), ":material/edit_note:", N_("Manage"), (A.data_entry,)),
    PageSpec("pages/users.py", N_("Users"), ":material/manage_accounts:", N_("Manage"), (A.manage_users,)),
    PageSpec("pages/audit_log.py", N_("Audit log"), ":material/history:", N_("Manage"), (A.view_audit,)),
    PageSpec("pages/backup.py", N_("Backup"), ":material/backup:", N_("Manage"), (A.backup,)),
)


def allowed_pages(actor: Actor) -> list[PageSpec]:
    return [spec for spec in PAGES if any(can(actor, action) for action in spec.actions)]


def navigation(actor: Actor):
    """st.navigation for this user's role, grouped into sections. The app's root is a hidden
    page that opens the role's first page: a default page is served only at "/", so a copied
    link to it (/overview?country=GH) met Streamlit's "Page not found" dialog."""
    sections: dict[str, list] = {}
    for spec in allowed_pages(actor):
        sections.setdefault(_(spec.section), []).append(
            # No icons in the menu: their ligature names would join the link text that people
            # (and the browser tour) read.
            st.Page(spec.path, title=_(spec.title)))
    if sections:
        first = next(iter(sections.values()))[0]
        root = st.Page(_opens(first), title=first.title, url_path="home", default=True, visibility="hidden")
        next(iter(sections.values())).insert(0, root)
    return st.navigation(sections, expanded=True)


def _opens(page):
    """The root page: open `page`, keeping the query parameters of the link."""
    def root() -> None:
        st.switch_page(page, query_params=st.query_params.to_dict())
    return root


def login_navigation(login_form):
    """The logged-out visitor's navigation: every page's address shows the login form, so a
    deep link asks for a login (not "page not found", whose dialog blocks the form) and, once
    logged in, opens that page. Registered even when logged out: until a session calls
    st.navigation, a fresh server routes /<page> to pages/<page>.py without app.py
    (shared/style.md)."""
    login = st.Page(login_form, title=_("Log in"), url_path="login", default=True)
    elsewhere = [st.Page(_login_at(login_form, Path(spec.path).stem), title=_(spec.title),
                         url_path=Path(spec.path).stem) for spec in PAGES]
    return st.navigation([login, *elsewhere], position="hidden")


def _login_at(login_form, name: str):
    """The login form under another name: Streamlit tells callable pages apart by function."""
    def form() -> None:
        login_form()
    form.__name__ = form.__qualname__ = f"login_at_{name}"
    return form

