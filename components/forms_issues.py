"""Issue forms: log an issue, change its status with a note, record outcome and remedy, link an
activity, create a commitment, retire it. `render(actor)` is the Data entry page's "Issues"
section; the issue page reuses the per-issue forms.

Optimistic saves: each per-issue form keeps the version it was opened with
(components/forms.Opened), so a save after someone else's change is refused and the stored
values are shown beside what was typed; saving again then goes through on purpose."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import cached
from components.forms import (
    FLASH,
    FormErrors,
    Opened,
    record_form,
    record_select,
    reset_inputs,
    show_flash,
    vocab_select,
)
from components.layout import in_tabs
from db.errors import ConflictError, DomainError
from db.periods import today
from db.permissions import Action, Actor, allowed, can
from db.reads import activities as activity_reads
from db.reads import issues as reads
from db.reads.common import groups, organisations, sites
from db.vocab import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Channel,
    IssueCategory,
    Pillar,
    Referral,
    Satisfaction,
    SecurityActor,
    Severity,
    label,
    values,
)
from db.writes import issues as writes
from db.writes.base import validated
from i18n import _

NONE = -1  # "no choice" in selectboxes of ids


def may_edit(actor: Actor, group_id: int) -> bool:
    """Coordinators of the issue's group and admins edit an issue (db/permissions decides)."""
    return allowed(actor, Action.edit_issue, group_id=group_id)


def _save(errors: FormErrors, run, success: str, opened: Opened | None = None, *,
          reset: dict[str, object] | None = None) -> None:
    """components/forms.saving, with a confirmation that may name the result (a case number):
    on a domain error keep the messages (on a conflict hold the stored version, so that saving
    again is deliberate) and rerun; on success release the opened version, confirm and rerun."""
    try:
        result = run()
    except DomainError as error:
        errors.set(error)
        if isinstance(error, ConflictError) and opened is not None:
            opened.adopt(error)
        st.rerun()
    errors.clear()
    if opened is not None:
        opened.release()
    if reset:
        reset_inputs(reset)
    st.session_state[FLASH] = success.format(result=result) if "{result}" in success else success
    st.rerun()


def _sites(actor: Actor) -> pd.DataFrame:
    """Every site, for the forms' pickers (through the cache: the register reruns often)."""
    return sites()


def _organisations(actor: Actor) -> pd.DataFrame:
    """Every organisation, for the forms' pickers (through the cache)."""
    return organisations()


def _id_select(container, title: str, frame: pd.DataFrame, *, key: str, optional: bool = False,
               name_column: str = "name") -> int | None:
    names = dict(zip(frame["id"], frame[name_column])) if not frame.empty else {}
    options = ([NONE] if optional else []) + list(names)
    choice = container.selectbox(title, options, key=key,
                                 format_func=lambda i: _("— none —") if i == NONE else names.get(i, str(i)))
    return None if choice in (None, NONE) else int(choice)


# --------------------------------------------------------------------------- log an issue


def log_issue_form(actor: Actor, *, key: str = "log_issue") -> None:
    """Log a new issue in one of the actor's groups; the app gives the case number."""
    own = cached(groups, actor, editable_for=Action.edit_issue)
    if own.empty:
        st.info(_("No working group is assigned to you, so you cannot log issues."))
        return
    errors = FormErrors(key)
    all_sites, orgs = cached(_sites, actor), cached(_organisations, actor)
    with st.form(key, clear_on_submit=False):
        st.markdown("**" + _("Log an issue") + "**")
        st.caption(_("Anonymous issues are welcome: the case number lets the raiser follow up without a name."))
        c1, c2 = st.columns(2)
        group_id = _id_select(c1, _("Working group"), own, key=f"{key}_group")
        errors.field("group_id")
        site_id = _id_select(c2, _("Site"), all_sites, key=f"{key}_site", optional=True)
        errors.field("site_id")
        title = st.text_input(_("Title"), max_chars=TITLE_MAX, key=f"{key}_title")
        errors.field("title")
        description = st.text_area(_("Description"), max_chars=TEXT_MAX, key=f"{key}_description")
        errors.field("description")
        c1, c2, c3 = st.columns(3)
        category = vocab_select(c1, _("Category"), IssueCategory, key=f"{key}_category")
        severity = vocab_select(c2, _("Severity"), Severity, index=1, key=f"{key}_severity")
        raised_on = c3.date_input(_("Raised on"), value=today(), max_value=today(), key=f"{key}_raised_on",
                                  format="YYYY-MM-DD")
        errors.field("raised_on")
        c1, c2, c3 = st.columns(3)
        raiser_pillar = vocab_select(c1, _("Raised by (stakeholder kind)"), Pillar, index=values(Pillar).index(Pillar.community), key=f"{key}_pillar")
        raiser_org_id = _id_select(c2, _("Raiser's organisation"), orgs, key=f"{key}_raiser_org", optional=True)
        errors.field("raiser_org_id")
        channel = vocab_select(c3, _("Channel"), Channel, key=f"{key}_channel")
        c1, c2 = st.columns(2)
        raiser_name = c1.text_input(_("Raiser's name"), max_chars=200, key=f"{key}_raiser_name",
                                    help=_("Leave blank for an anonymous issue."))
        errors.field("raiser_name")
        anonymous = c2.checkbox(_("Anonymous"), key=f"{key}_anonymous")
        c1, c2, c3 = st.columns(3)
        violence_risk = c1.checkbox(_("Risk of violence"), key=f"{key}_violence")
        security_actor = vocab_select(c2, _("Security actors involved"), SecurityActor, key=f"{key}_security")
        owner_org_id = _id_select(c3, _("Owner (who follows it up)"), orgs, key=f"{key}_owner", optional=True)
        confidential = st.checkbox(_("Confidential: only administrators and this group's coordinators see who "
                                     "raised it and what it says"), key=f"{key}_confidential")
        errors.form_level()
        submitted = st.form_submit_button(_("Log the issue"), type="primary")
    if submitted:
        values_ = dict(group_id=group_id, site_id=site_id, title=title, description=description, category=category,
                       raiser_pillar=raiser_pillar, raiser_org_id=raiser_org_id, raiser_name=raiser_name,
                       anonymous=anonymous, channel=channel, raised_on=raised_on, severity=severity,
                       violence_risk=violence_risk, security_actor=security_actor, owner_org_id=owner_org_id,
                       confidential=confidential)
        _save(errors, lambda: writes.log_issue(actor, values_).case_number,
              _("Issue logged with case number {result}."))


# --------------------------------------------------------------------------- per-issue forms


def status_form(actor: Actor, issue: dict, *, key: str = "issue_status") -> None:
    """Change the status along the allowed transitions, with a note."""
    options = writes.allowed_next(issue["status"])
    if not options:
        st.caption(_("A closed issue cannot change status."))
        return
    key = f"{key}_{issue['id']}"
    errors, opened, version = record_form("issue", issue, key, f"{key}_to")
    with st.form(key):
        st.markdown("**" + _("Change status") + "**")
        st.caption(_("Now: {status}. Closing an issue that was not resolved needs the reason in the note.")
                   .format(status=label(issue["status"])))
        c1, c2 = st.columns(2)
        to_status = c1.selectbox(_("New status"), options, format_func=label, key=f"{key}_to")
        errors.field("to_status")
        on_date = c2.date_input(_("Date of the change"), value=today(), max_value=today(), key=f"{key}_on",
                                format="YYYY-MM-DD")
        errors.field("on_date")
        note = st.text_area(_("Note"), max_chars=NOTE_MAX, key=f"{key}_note")
        errors.field("note")
        informed = st.checkbox(_("The raiser was informed of this update"), key=f"{key}_informed")
        errors.form_level()
        submitted = st.form_submit_button(_("Save the status"), type="primary")
    if submitted:
        _save(errors, lambda: writes.change_status(actor, issue["id"], version, to_status, note=note,
                                                   raiser_informed=informed, on_date=on_date),
              _("Status changed to {status}.").format(status=label(to_status)), opened,
              reset={f"{key}_note": "", f"{key}_informed": False})  # the next update starts afresh



def outcome_form(actor: Actor, issue: dict, *, key: str = "issue_outcome") -> None:
    """Record the outcome and remedy, the referral and the complainant's satisfaction."""
    key = f"{key}_{issue['id']}"
    errors, opened, version = record_form("issue", issue, key, f"{key}_outcome")
    with st.form(key):
        st.markdown("**" + _("Outcome, remedy, referral and satisfaction") + "**")
        outcome = st.text_area(_("Outcome"), value=issue.get("outcome", ""), max_chars=TEXT_MAX, key=f"{key}_outcome",
                               help=_("What was agreed or done, e.g. an agreement signed or a unit replaced."))
        errors.field("outcome")
        remedy = st.text_area(_("Remedy"), value=issue.get("remedy", ""), max_chars=TEXT_MAX, key=f"{key}_remedy",
                              help=_("What changed for the people affected, e.g. compensation paid."))
        errors.field("remedy")
        c1, c2 = st.columns(2)
        referral = vocab_select(c1, _("Referral"), Referral, index=values(Referral).index(issue.get("referral") or Referral.none), key=f"{key}_referral")
        satisfaction = vocab_select(c2, _("Complainant satisfied"), Satisfaction, index=values(Satisfaction).index(issue.get("satisfaction") or Satisfaction.unknown),
                                    key=f"{key}_satisfaction")
        errors.form_level()
        submitted = st.form_submit_button(_("Save the outcome"), type="primary")
    if submitted:
        values_ = {"outcome": outcome, "remedy": remedy, "referral": referral, "satisfaction": satisfaction}
        _save(errors, lambda: writes.record_outcome(actor, issue["id"], version, validated(writes.IssueOutcome, values_)),
              _("Outcome saved."), opened)


def link_activity_form(actor: Actor, issue: dict, *, key: str = "issue_link") -> None:
    """Record that the issue was discussed at one of its group's activities."""
    key = f"{key}_{issue['id']}"
    errors = FormErrors(key)
    options = cached(activity_reads.activity_options, actor, group_ids=(issue["group_id"],))
    if options.empty:
        st.caption(_("This working group has no activities to link yet."))
        return
    options = options.assign(name=options["starts_at"].map(lambda d: str(d)[:10]) + " · " + options["title"])
    with st.form(key):
        st.markdown("**" + _("Link an activity where the issue was discussed") + "**")
        activity_id = _id_select(st, _("Activity"), options, key=f"{key}_activity")
        errors.field("activity_id")
        errors.form_level()
        submitted = st.form_submit_button(_("Link the activity"))
    if submitted:
        _save(errors, lambda: writes.link_activity(actor, issue["id"], activity_id), _("Activity linked."))


def commitment_form(actor: Actor, issue: dict, *, key: str = "issue_commitment") -> None:
    """Create a commitment agreed in response to the issue."""
    key = f"{key}_{issue['id']}"
    errors = FormErrors(key)
    orgs = cached(_organisations, actor)
    with st.form(key):
        st.markdown("**" + _("Create a commitment from this issue") + "**")
        owner_org_id = _id_select(st, _("Owner organisation"), orgs, key=f"{key}_owner")
        errors.field("owner_org_id")
        description = st.text_area(_("What was promised"), max_chars=TEXT_MAX, key=f"{key}_description")
        errors.field("description")
        due_on = st.date_input(_("Due on"), value=None, key=f"{key}_due", format="YYYY-MM-DD")
        errors.field("due_on")
        errors.form_level()
        submitted = st.form_submit_button(_("Create the commitment"))
    if submitted:
        values_ = {"owner_org_id": owner_org_id, "description": description, "due_on": due_on}
        _save(errors, lambda: writes.commitment_from_issue(actor, issue["id"], values_), _("Commitment created."))


def retire_form(actor: Actor, issue: dict, *, key: str = "issue_retire") -> None:
    """Retire an issue logged by mistake (it is kept, but leaves lists and figures)."""
    key = f"{key}_{issue['id']}"
    errors, opened, version = record_form("issue", issue, key, f"{key}_sure")
    with st.form(key):
        st.markdown("**" + _("Retire this issue") + "**")
        st.caption(_("For an issue logged by mistake or twice. It is kept in the database and the audit log, "
                     "but leaves the register and every figure."))
        sure = st.checkbox(_("Yes, retire this issue"), key=f"{key}_sure")
        errors.form_level()
        submitted = st.form_submit_button(_("Retire"))
    if submitted:
        if not sure:
            errors.set(DomainError(_("Tick the box to confirm.")))
            st.rerun()
        _save(errors, lambda: writes.retire_issue(actor, issue["id"], version), _("Issue retired."), opened)


def issue_forms(actor: Actor, issue: dict) -> None:
    """All per-issue forms, in tabs."""
    def commitment() -> None:
        if can(actor, Action.edit_commitment):
            commitment_form(actor, issue)

    in_tabs([(_("Status"), lambda: status_form(actor, issue)), (_("Outcome"), lambda: outcome_form(actor, issue)),
             (_("Activity"), lambda: link_activity_form(actor, issue)), (_("Commitment"), commitment),
             (_("Retire"), lambda: retire_form(actor, issue))])


# --------------------------------------------------------------------------- Data entry section


def render(actor: Actor) -> None:
    """The Data entry page's "Issues" section: log an issue, or update one of yours."""
    show_flash()
    log_tab, update_tab = st.tabs([_("Log an issue"), _("Update an issue")])
    with log_tab:
        log_issue_form(actor)
    with update_tab:
        choices = cached(reads.issue_choices, actor, editable_only=True)
        if choices.empty:
            st.info(_("There are no issues in your working groups yet."))
            return
        names = {row.id: f"{row.case_number} · {row.title} ({label(row.status)})"
                 for row in choices.itertuples(index=False)}
        issue_id = record_select(st, _("Issue"), list(names), format_func=lambda i: names[i], key="entry_issue_pick")
        detail = cached(reads.issue_detail, actor, int(issue_id))
        issue_forms(actor, detail.fields)
