"""Users: accounts, roles, a coordinator's working groups, deactivation and password resets."""
from components.guard import require
from db.permissions import Action

actor = require(Action.manage_users)

import pandas as pd
import streamlit as st

from components.forms import FormErrors, saving
from components.header import page_header
from components.tables import table
from db.reads.common import groups, organisations
from db.sessions import end_all_sessions, open_sessions
from db.users import create_user, list_users, update_user
from db.vocab import LABELS, Language, Role
from i18n import _, label

page_header(_("Users"), _("Who may log in, with which role; a coordinator edits only the working groups assigned here."))

users = list_users(actor)
group_frame = groups(actor)
group_names = dict(zip(group_frame["id"], group_frame["name"])) if not group_frame.empty else {}
orgs = organisations()
org_names = dict(zip(orgs["id"], orgs["name"])) if not orgs.empty else {}
roles = list(Role)
languages = list(Language)

if not users.empty:
    shown = pd.DataFrame({
        _("Username"): users["username"],
        _("Name"): users["display_name"],
        _("Email"): users["email"],
        _("Role"): users["role"].map(label),
        _("Organisation"): users["organisation"].fillna(""),
        _("Working groups"): users["group_ids"].map(lambda ids: ", ".join(group_names.get(i, str(i)) for i in ids)),
        _("Language"): users["language"].map(lambda code: LABELS.get(code, code)),
        _("Active"): users["active"],
        _("Failed logins in a row"): users["failed_logins"],
    })
    table(shown, name="users", key="users")

create_tab, edit_tab = st.tabs([_("Create a user"), _("Change a user")])

with create_tab:
    errors = FormErrors("user_create")
    with st.form("user_create_form"):
        username = st.text_input(_("Username"), key="new_username", max_chars=60)
        errors.field("username")
        display_name = st.text_input(_("Display name"), key="new_display_name", max_chars=200)
        errors.field("display_name")
        email = st.text_input(_("Email (optional)"), key="new_email", max_chars=200)
        errors.field("email")
        role = st.selectbox(_("Role"), roles, format_func=label, key="new_role", index=roles.index(Role.viewer))
        errors.field("role")
        org_id = st.selectbox(_("Organisation (HQ users: their company)"), [None, *org_names],
                              format_func=lambda i: _("None") if i is None else org_names[i], key="new_org")
        group_ids = st.multiselect(_("Working groups this coordinator may edit"), list(group_names),
                                   format_func=lambda i: group_names[i], key="new_groups")
        language = st.selectbox(_("Language"), languages, format_func=lambda code: LABELS[code], key="new_language")
        password = st.text_input(_("Initial password"), type="password", key="new_password",
                                 help=_("At least 10 characters and not easy to guess; a few unrelated "
                                        "words make a strong one."))
        errors.field("password")
        errors.form_level({"username", "display_name", "email", "role", "password"})
        if st.form_submit_button(_("Create user"), type="primary"):
            with saving(errors, _("User {name} created.").format(name=username.strip().lower())):
                create_user(actor, username=username, display_name=display_name, email=email, role=role,
                            org_id=org_id, group_ids=group_ids if role == Role.coordinator else [],
                            language=language, password=password)

with edit_tab:
    if users.empty:
        st.info(_("No users yet."))
        st.stop()
    by_name = {row["username"]: row for row in users.to_dict("records")}
    chosen = st.selectbox(_("User"), list(by_name), key="edit_user",
                          format_func=lambda name: f"{name} ({by_name[name]['display_name']})")
    user = by_name[chosen]
    uid = int(user["id"])

    errors = FormErrors(f"user_edit_{uid}")
    with st.form(f"user_edit_form_{uid}"):
        st.subheader(_("Role and working groups"))
        display_name = st.text_input(_("Display name"), value=user["display_name"], key=f"edit_display_name_{uid}")
        errors.field("display_name")
        email = st.text_input(_("Email (optional)"), value=user["email"], key=f"edit_email_{uid}")
        errors.field("email")
        role = st.selectbox(_("Role"), roles, index=roles.index(Role(user["role"])), format_func=label,
                            key=f"edit_role_{uid}")
        errors.field("role")
        org_choices = [None, *org_names]
        current_org = next((i for i, n in org_names.items() if n == user["organisation"]), None)
        org_id = st.selectbox(_("Organisation (HQ users: their company)"), org_choices,
                              index=org_choices.index(current_org),
                              format_func=lambda i: _("None") if i is None else org_names[i], key=f"edit_org_{uid}")
        group_ids = st.multiselect(_("Working groups this coordinator may edit"), list(group_names),
                                   default=[g for g in user["group_ids"] if g in group_names],
                                   format_func=lambda i: group_names[i], key=f"edit_groups_{uid}")
        language = st.selectbox(_("Language"), languages, index=languages.index(Language(user["language"])),
                                format_func=lambda code: LABELS[code], key=f"edit_language_{uid}")
        errors.field("language")
        errors.form_level({"display_name", "email", "role", "language"})
        if st.form_submit_button(_("Save changes"), type="primary"):
            with saving(errors, _("Changes to {name} saved.").format(name=chosen)):
                update_user(actor, uid, role=role, display_name=display_name, email=email, org_id=org_id,
                            group_ids=group_ids if role == Role.coordinator else [], language=language)

    st.subheader(_("Access"))
    status_errors = FormErrors(f"user_status_{uid}")
    if user["active"]:
        st.caption(_("A deactivated user is logged out on their next click and cannot log in."))
        if st.button(_("Deactivate {name}").format(name=chosen), key=f"deactivate_{uid}"):
            with saving(status_errors, _("{name} is deactivated.").format(name=chosen)):
                update_user(actor, uid, active=False)
    else:
        st.caption(_("This account is deactivated."))
        if st.button(_("Reactivate {name}").format(name=chosen), key=f"reactivate_{uid}"):
            with saving(status_errors, _("{name} is active again.").format(name=chosen)):
                update_user(actor, uid, active=True)
    st.caption(_("Open sessions: {n}. Ending them logs this user out everywhere on their next click.")
               .format(n=open_sessions(uid)))
    if st.button(_("End all sessions of {name}").format(name=chosen), key=f"end_sessions_{uid}"):
        with saving(status_errors, _("All sessions of {name} have ended.").format(name=chosen)):
            end_all_sessions(actor, uid)
    status_errors.form_level(set())

    password_errors = FormErrors(f"user_password_{uid}")
    with st.form(f"user_password_form_{uid}", clear_on_submit=False):
        st.subheader(_("Reset the password"))
        new_password = st.text_input(_("New password"), type="password", key=f"reset_password_{uid}",
                                     help=_("At least 10 characters and not easy to guess; a few unrelated "
                                            "words make a strong one. Resetting ends the user's sessions "
                                            "and lifts any slow-down after failed logins."))
        password_errors.field("password")
        password_errors.form_level({"password"})
        if st.form_submit_button(_("Reset password")):
            with saving(password_errors, _("The password of {name} was reset.").format(name=chosen)):
                update_user(actor, uid, new_password=new_password)
