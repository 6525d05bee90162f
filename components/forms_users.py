"""The Users page's table and forms (admins): create an account, change its role, groups,
organisation and language, deactivate or reactivate it, end its sessions, reset its password.
db/users.py decides what is valid (a coordinator's groups, one's own account); these lay out
the widgets and show each refusal beside its field."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.forms import FormErrors, Opened, pick_record, saving
from components.tables import table
from db.permissions import Actor
from db.reads.common import groups, organisations
from db.sessions import end_all_sessions, open_sessions
from db.users import UserUpdate, create_user, list_users, update_user
from db.vocab import LABELS, Language, Role, label
from i18n import N_, _

ROLES = list(Role)
LANGUAGES = list(Language)
PASSWORD_HELP = N_("At least 10 characters and not easy to guess; a few unrelated words make a strong one.")


def render(actor: Actor) -> None:
    """The accounts' table, then creating one and changing one, in two tabs."""
    users = list_users(actor)
    group_frame = groups(actor)
    group_names = dict(zip(group_frame["id"], group_frame["name"])) if not group_frame.empty else {}
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"])) if not orgs.empty else {}
    users_table(users, group_names)
    create_tab, edit_tab = st.tabs([_("Create a user"), _("Change a user")])
    with create_tab:
        create_form(actor, group_names, org_names)
    with edit_tab:
        edit_forms(actor, users, group_names, org_names)


def users_table(users: pd.DataFrame, group_names: dict[int, str]) -> None:
    if users.empty:
        return
    table(pd.DataFrame({
        _("Username"): users["username"],
        _("Name"): users["display_name"],
        _("Email"): users["email"],
        _("Role"): users["role"].map(label),
        _("Organisation"): users["organisation"].fillna(""),
        _("Working groups"): users["group_ids"].map(lambda ids: ", ".join(group_names.get(i, str(i)) for i in ids)),
        _("Language"): users["language"].map(lambda code: LABELS.get(code, code)),
        _("Active"): users["active"],
        _("Failed logins in a row"): users["failed_logins"],
    }), name="users", key="users")


def _organisation_picker(org_names: dict[int, str], key: str, current: int | None = None) -> int | None:
    return pick_record(st, _("Organisation (HQ users: their company)"), org_names, key=key, none=_("None"),
                       index=1 + list(org_names).index(current) if current in org_names else 0)


def create_form(actor: Actor, group_names: dict[int, str], org_names: dict[int, str]) -> None:
    errors = FormErrors("user_create")
    with st.form("user_create_form"):
        username = st.text_input(_("Username"), key="new_username", max_chars=60)
        errors.field("username")
        display_name = st.text_input(_("Display name"), key="new_display_name", max_chars=200)
        errors.field("display_name")
        email = st.text_input(_("Email (optional)"), key="new_email", max_chars=200)
        errors.field("email")
        role = st.selectbox(_("Role"), ROLES, format_func=label, key="new_role", index=ROLES.index(Role.viewer))
        errors.field("role")
        org_id = _organisation_picker(org_names, "new_org")
        group_ids = st.multiselect(_("Working groups this coordinator may edit"), list(group_names),
                                   format_func=lambda i: group_names[i], key="new_groups")
        language = st.selectbox(_("Language"), LANGUAGES, format_func=lambda code: LABELS[code], key="new_language")
        password = st.text_input(_("Initial password"), type="password", key="new_password", help=_(PASSWORD_HELP))
        errors.field("password")
        errors.form_level()
        if st.form_submit_button(_("Create user"), type="primary"):
            with saving(errors, _("User {name} created.").format(name=username.strip().lower())):
                create_user(actor, username=username, display_name=display_name, email=email, role=role,
                            org_id=org_id, group_ids=group_ids, language=language, password=password)


def edit_forms(actor: Actor, users: pd.DataFrame, group_names: dict[int, str], org_names: dict[int, str]) -> None:
    if users.empty:
        st.info(_("No users yet."))
        return
    by_name = {row["username"]: row for row in users.to_dict("records")}
    chosen = st.selectbox(_("User"), list(by_name), key="edit_user",
                          format_func=lambda name: f"{name} ({by_name[name]['display_name']})")
    user = by_name[chosen]
    _role_form(actor, user, group_names, org_names)
    _access(actor, user)
    _password_form(actor, user)


def _role_form(actor: Actor, user: dict, group_names: dict[int, str], org_names: dict[int, str]) -> None:
    uid = int(user["id"])
    errors = FormErrors(f"user_edit_{uid}")
    opened = Opened("app_user", f"edit_display_name_{uid}")
    version = opened.version(uid, int(user["version"]))
    with st.form(f"user_edit_form_{uid}"):
        st.subheader(_("Role and working groups"))
        display_name = st.text_input(_("Display name"), value=user["display_name"], key=f"edit_display_name_{uid}")
        errors.field("display_name")
        email = st.text_input(_("Email (optional)"), value=user["email"], key=f"edit_email_{uid}")
        errors.field("email")
        role = st.selectbox(_("Role"), ROLES, index=ROLES.index(Role(user["role"])), format_func=label,
                            key=f"edit_role_{uid}")
        errors.field("role")
        org_id = _organisation_picker(org_names, f"edit_org_{uid}",
                                      None if pd.isna(user["org_id"]) else int(user["org_id"]))
        group_ids = st.multiselect(_("Working groups this coordinator may edit"), list(group_names),
                                   default=[g for g in user["group_ids"] if g in group_names],
                                   format_func=lambda i: group_names[i], key=f"edit_groups_{uid}")
        language = st.selectbox(_("Language"), LANGUAGES, index=LANGUAGES.index(Language(user["language"])),
                                format_func=lambda code: LABELS[code], key=f"edit_language_{uid}")
        errors.field("language")
        errors.form_level()
        if st.form_submit_button(_("Save changes"), type="primary"):
            with saving(errors, _("Changes to {name} saved.").format(name=user["username"]), opened):
                update_user(actor, uid, UserUpdate(role=role, display_name=display_name, email=email, org_id=org_id,
                                                   group_ids=group_ids, language=language), version=version)


def _access(actor: Actor, user: dict) -> None:
    uid, name = int(user["id"]), user["username"]
    st.subheader(_("Access"))
    errors = FormErrors(f"user_status_{uid}")
    if user["active"]:
        st.caption(_("A deactivated user is logged out on their next click and cannot log in."))
        if st.button(_("Deactivate {name}").format(name=name), key=f"deactivate_{uid}"):
            with saving(errors, _("{name} is deactivated.").format(name=name)):
                update_user(actor, uid, UserUpdate(active=False))
    else:
        st.caption(_("This account is deactivated."))
        if st.button(_("Reactivate {name}").format(name=name), key=f"reactivate_{uid}"):
            with saving(errors, _("{name} is active again.").format(name=name)):
                update_user(actor, uid, UserUpdate(active=True))
    st.caption(_("Open sessions: {n}. Ending them logs this user out everywhere on their next click.")
               .format(n=open_sessions(uid)))
    if st.button(_("End all sessions of {name}").format(name=name), key=f"end_sessions_{uid}"):
        with saving(errors, _("All sessions of {name} have ended.").format(name=name)):
            end_all_sessions(actor, uid)
    errors.form_level()


def _password_form(actor: Actor, user: dict) -> None:
    uid, name = int(user["id"]), user["username"]
    errors = FormErrors(f"user_password_{uid}")
    with st.form(f"user_password_form_{uid}", clear_on_submit=False):
        st.subheader(_("Reset the password"))
        new_password = st.text_input(_("New password"), type="password", key=f"reset_password_{uid}",
                                     help=_("At least 10 characters and not easy to guess; a few unrelated "
                                            "words make a strong one. Resetting ends the user's sessions "
                                            "and lifts any slow-down after failed logins."))
        errors.field("password")
        errors.form_level()
        if st.form_submit_button(_("Reset password")):
            with saving(errors, _("The password of {name} was reset.").format(name=name)):
                update_user(actor, uid, UserUpdate(new_password=new_password))
