"""Forms for lessons learned (admins, coordinators, HQ), forum engagements (coordinators for
their groups, admins) and security-unit training records (coordinators for their groups'
sites, admins). A refused form keeps what was typed and shows each message beside its field;
a saved one is emptied for the next entry."""
from __future__ import annotations

from functools import partial

import streamlit as st

from components.data import cached
from components.forms import FormErrors, pick_record, saving, vocab_select
from components.layout import in_tabs
from db.periods import today
from db.permissions import Action, Actor, can, company_scope
from db.reads import learning as learning_reads
from db.reads.common import groups, organisations
from db.vocab import NAME_MAX, SECURITY_PROVIDER_KINDS, TEXT_MAX, TITLE_MAX, Forum, label
from db.writes import learning as learning_writes
from i18n import _


def render(actor: Actor) -> None:
    forms = [(_("Lesson learned"), lesson_form, Action.edit_lesson),
             (_("Forum engagement"), forum_form, Action.edit_forum),
             (_("Security training"), training_form, Action.edit_training)]
    forms = [(title, form) for title, form, action in forms if can(actor, action)]
    if not forms:
        st.info(_("Your role has nothing to enter here."))
        return
    in_tabs([(title, partial(form, actor)) for title, form in forms])


def _forget(*keys: str) -> None:
    """Empty a saved form's fields so the next entry starts blank."""
    for key in keys:
        st.session_state.pop(key, None)


def lesson_form(actor: Actor) -> None:
    errors = FormErrors("lesson")
    k = "fl_lesson"
    # Coordinators speak for their own groups and those groups' members (add_lesson checks it)
    offered = cached(groups, actor, editable_for=Action.edit_lesson)
    group_names = dict(zip(offered["id"], offered["name"]))
    orgs = cached(learning_writes.lesson_speakers, actor)
    org_names = dict(zip(orgs["id"], orgs["name"]))
    # An HQ user shares lessons in their own company's name: it is chosen for them to start with
    speaks_for_company = not company_scope(actor, Action.edit_lesson).everything
    st.caption(_("Share what worked, or did not, so other operations can learn from it."))
    with st.form(k):
        title = st.text_input(_("Title"), max_chars=TITLE_MAX, key=f"{k}_title")
        errors.field("title")
        text = st.text_area(_("The lesson"), max_chars=TEXT_MAX, key=f"{k}_text",
                            help=_("What happened, what you learned, and what you would advise others."))
        errors.field("text")
        tags = st.text_input(_("Tags"), max_chars=NAME_MAX, key=f"{k}_tags",
                             placeholder=_("e.g. police, grievance mechanism, women"),
                             help=_("Separate tags with commas."))
        errors.field("tags")
        left, right = st.columns(2)
        org_id = pick_record(left, _("Organisation"), org_names, index=list(org_names).index(actor.org_id) if speaks_for_company and actor.org_id in org_names else None,
                                placeholder=_("Choose the organisation sharing it"), key=f"{k}_org")
        errors.field("org_id", left)
        group_id = pick_record(right, _("Working group"), group_names, index=None, placeholder=_("Not tied to one group"), key=f"{k}_group")
        errors.field("group_id", right)
        shared_on = st.date_input(_("Shared on"), value=today(), max_value=today(), key=f"{k}_on", format="YYYY-MM-DD")
        errors.field("shared_on")
        errors.form_level()
        if st.form_submit_button(_("Share lesson"), icon=":material/lightbulb:"):
            with saving(errors, _("Lesson shared.")):
                learning_writes.add_lesson(actor, {"title": title, "text": text, "tags": tags, "org_id": org_id,
                                                   "group_id": group_id, "shared_on": shared_on})
                _forget(f"{k}_title", f"{k}_text", f"{k}_tags")


def _editable_groups(actor: Actor) -> dict[int, str]:
    editable = cached(groups, actor, editable_for=Action.edit_forum)
    return dict(zip(editable["id"], editable["name"]))


def forum_form(actor: Actor) -> None:
    names = _editable_groups(actor)
    if not names:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return
    errors = FormErrors("forum")
    k = "fl_forum"
    st.caption(_("Record when a group's work was presented at EITI, ICoCA, OECD, the VPSHR plenary or a local forum."))
    with st.form(k):
        left, middle, right = st.columns([3, 2, 2])
        group_id = pick_record(left, _("Working group"), names, key=f"{k}_group")
        errors.field("group_id", left)
        forum = vocab_select(middle, _("Forum"), Forum, key=f"{k}_forum")
        errors.field("forum", middle)
        held_on = right.date_input(_("Date"), value=today(), max_value=today(), key=f"{k}_on", format="YYYY-MM-DD")
        errors.field("held_on", right)
        presented = st.text_area(_("What was presented"), max_chars=TEXT_MAX, key=f"{k}_presented")
        errors.field("presented")
        errors.form_level()
        if st.form_submit_button(_("Record forum engagement"), icon=":material/campaign:"):
            with saving(errors, _("Forum engagement recorded.")):
                learning_writes.add_forum_engagement(actor, {"group_id": group_id, "forum": forum,
                                                             "held_on": held_on, "presented": presented})
                _forget(f"{k}_presented")


def training_form(actor: Actor) -> None:
    sites = cached(learning_reads.training_sites, actor, editable_only=True)
    if sites.empty:
        st.info(_("None of your working groups covers a site yet. Add the sites to the group first; "
                  "training is recorded at a site."))
        return
    site_names = dict(zip(sites["id"], sites["name"] + " (" + sites["country"] + ")"))
    providers = organisations(tuple(SECURITY_PROVIDER_KINDS))
    provider_names = dict(zip(providers["id"], providers["name"] + " (" + providers["kind"].map(label) + ")"))
    errors = FormErrors("training")
    k = "fl_training"
    st.caption(_("A human-rights training of a public or private security unit at one of your groups' sites."))
    with st.form(k):
        left, right = st.columns(2)
        org_id = pick_record(left, _("Security provider"), provider_names, index=None, placeholder=_("Choose the police, army or guard company"), key=f"{k}_org")
        errors.field("org_id", left)
        unit = right.text_input(_("Unit"), max_chars=NAME_MAX, key=f"{k}_unit",
                                placeholder=_("e.g. Mobile police unit 12"))
        errors.field("unit", right)
        site_id = pick_record(left, _("Site"), site_names, index=None,
                                 placeholder=_("Choose the site"), key=f"{k}_site")
        errors.field("site_id", left)
        held_on = right.date_input(_("Held on"), value=today(), max_value=today(), key=f"{k}_on", format="YYYY-MM-DD")
        errors.field("held_on", right)
        people = left.number_input(_("People trained"), min_value=0, max_value=learning_writes.PEOPLE_TRAINED_MAX,
                                   value=None, step=1, key=f"{k}_people")
        errors.field("people_trained", left)
        topic = right.text_input(_("Topic"), max_chars=TITLE_MAX, key=f"{k}_topic",
                                 placeholder=_("e.g. Voluntary Principles and the use of force"))
        errors.field("topic", right)
        errors.form_level()
        if st.form_submit_button(_("Record training"), icon=":material/school:"):
            with saving(errors, _("Training recorded.")):
                learning_writes.add_training(actor, {"org_id": org_id, "unit": unit, "site_id": site_id,
                                                     "held_on": held_on, "people_trained": people, "topic": topic})
                _forget(f"{k}_unit", f"{k}_people", f"{k}_topic")
