"""Data entry forms for working groups (with initiatives and sites), memberships,
organisations and sites. Coordinators edit their own groups; admins everything."""
from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

import streamlit as st

from components.data import cached
from components.forms import FormErrors, Opened, pick_record, record_select, saving, show_saved, vocab_select
from components.text import fmt
from db.models import DATE_EARLIEST, MembershipUpdate, OrganisationUpdate, SiteUpdate, WorkingGroupUpdate
from db.periods import today
from db.permissions import Action, Actor, can
from db.reads import groups as group_reads
from db.reads import organisations as org_reads
from db.reads.common import country_name, country_options, groups, organisations, sites
from db.vocab import (
    NAME_MAX,
    TEXT_MAX,
    GroupFocus,
    GroupLead,
    GroupLevel,
    GroupStatus,
    Initiative,
    MemberRole,
    OrgKind,
    label,
    values,
)
from db.writes import groups as group_writes
from db.writes import organisations as org_writes
from db.writes.base import validated
from i18n import _

NEW = 0


def render(actor: Actor) -> None:
    parts = []
    if can(actor, Action.edit_group) or can(actor, Action.create_group):
        parts.append((_("Working group"), group_form))
    if can(actor, Action.edit_membership):
        parts.append((_("Memberships"), memberships_section))
    if can(actor, Action.edit_organisation) or can(actor, Action.create_organisation):
        parts.append((_("Organisations"), organisation_form))
    if can(actor, Action.edit_site) or can(actor, Action.create_site):
        parts.append((_("Sites"), site_form))
    choice = st.segmented_control(_("What to edit"), [p[0] for p in parts], default=parts[0][0], key="fg_part")
    for title, draw in parts:
        if title == (choice or parts[0][0]):
            draw(actor)


@st.cache_data(show_spinner=False)
def _timezones() -> list[str]:
    return sorted(available_timezones())


def _editable_groups(actor: Actor):
    return cached(groups, actor, editable_for=Action.edit_group)


# --------------------------------------------------------------------------- working group


def group_form(actor: Actor) -> None:
    options = _editable_groups(actor)
    names = dict(zip(options["id"], options["name"]))
    choices = ([NEW] if can(actor, Action.create_group) else []) + list(names)
    if not choices:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return
    picked = record_select(st, _("Working group"), choices, key="fg_group_pick",
                           format_func=lambda i: _("New working group") if i == NEW else names[i])
    current = cached(group_reads.profile, actor, picked) if picked != NEW else None
    errors = FormErrors(f"group_{picked}")
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"]))
    site_frame = sites()
    site_names = dict(zip(site_frame["id"], site_frame["name"] + " (" + site_frame["country"] + ")"))
    zones = _timezones()
    k = f"fg_{picked}"
    opened = Opened("working_group", f"{k}_name")
    version = opened.version(current.id, current.version) if current else None
    with st.form(k):
        name = st.text_input(_("Name"), value=current.name if current else "", max_chars=NAME_MAX, key=f"{k}_name")
        errors.field("name")
        left, right = st.columns(2)
        countries = country_options()
        country = left.selectbox(_("Country"), countries, format_func=country_name, key=f"{k}_country",
                                 index=countries.index(current.country) if current else None,
                                 placeholder=_("Choose a country"))
        with left:
            errors.field("country")
        zone = right.selectbox(_("Time zone"), zones, key=f"{k}_tz",
                               index=zones.index(current.timezone) if current and current.timezone in zones else zones.index("UTC"))
        with right:
            errors.field("timezone")
        level = vocab_select(left, _("Level"), GroupLevel, key=f"{k}_level",
                               index=values(GroupLevel).index(current.level) if current else 0)
        focus = vocab_select(right, _("Focus"), GroupFocus, key=f"{k}_focus",
                                index=values(GroupFocus).index(current.focus) if current else 0)
        status = vocab_select(left, _("Status"), GroupStatus, key=f"{k}_status",
                                index=values(GroupStatus).index(current.status) if current else 0)
        lead = vocab_select(right, _("Led by"), GroupLead, key=f"{k}_lead",
                               index=values(GroupLead).index(current.lead) if current else 0)
        established = left.date_input(_("Established on"), value=current.established_on if current else None,
                                      min_value=date(1990, 1, 1), max_value=today(), key=f"{k}_est", format="YYYY-MM-DD")
        secretariat = pick_record(right, _("Secretariat organisation"), org_names, key=f"{k}_sec", none=_("None"),
                                  index=1 + list(org_names).index(current.secretariat_org_id)
                                  if current and current.secretariat_org_id in org_names else 0)
        initiatives = st.multiselect(_("Linked initiatives"), values(Initiative), format_func=label, key=f"{k}_init",
                                     default=current.initiatives if current else [])
        site_ids = st.multiselect(_("Sites it covers"), list(site_names), format_func=lambda i: site_names[i],
                                  key=f"{k}_sites", default=[i for i in (current.site_ids if current else []) if i in site_names])
        errors.field("site_ids")
        description = st.text_area(_("Description"), value=current.description if current else "", max_chars=TEXT_MAX,
                                   key=f"{k}_desc")
        errors.form_level()
        submitted = st.form_submit_button(_("Save working group"), type="primary", icon=":material/save:")
    if submitted:
        values_ = {"name": name, "country": country or "", "level": level, "focus": focus, "status": status,
                   "lead": lead, "established_on": established, "secretariat_org_id": secretariat, "timezone": zone,
                   "description": description, "initiatives": initiatives, "site_ids": site_ids}
        with saving(errors, _("Working group saved."), opened):
            if current is None:
                show_saved("fg_group_pick", group_writes.create_group(actor, values_))
            else:
                group_writes.update_group(actor, current.id, version, validated(WorkingGroupUpdate, values_))


# --------------------------------------------------------------------------- memberships


def memberships_section(actor: Actor) -> None:
    options = _editable_groups(actor)
    if options.empty:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return
    names = dict(zip(options["id"], options["name"]))
    group_id = record_select(st, _("Working group"), list(names), format_func=lambda i: names[i], key="fg_mem_group")
    membership_forms(actor, group_id, key="entry")


def membership_forms(actor: Actor, group_id: int, *, key: str) -> None:
    """Add a member; change a membership's role or end it (memberships are never deleted)."""
    members = cached(group_reads.members, actor, group_id, include_past=False)
    orgs = organisations()
    candidates = orgs[~orgs["id"].isin(members["org_id"])]
    names = dict(zip(candidates["id"], candidates["name"] + " (" + candidates["kind"].map(label) + ")"))
    add_errors = FormErrors(f"member_add_{group_id}")
    k = f"mem_{key}_{group_id}"
    left, right = st.columns(2)
    with left.form(f"{k}_add"):
        st.markdown("**" + _("Add a member") + "**")
        org_id = pick_record(st, _("Organisation"), names, index=None,
                              placeholder=_("Choose an organisation"), key=f"{k}_org")
        add_errors.field("org_id")
        role = vocab_select(st, _("Role"), MemberRole, index=values(MemberRole).index("member"),
                            key=f"{k}_role")
        since = st.date_input(_("Member since"), value=today(), min_value=DATE_EARLIEST, key=f"{k}_since",
                              format="YYYY-MM-DD")
        add_errors.field("since")
        add_errors.form_level()
        if st.form_submit_button(_("Add member"), icon=":material/person_add:"):
            with saving(add_errors, _("Member added.")):
                if org_id is None:
                    raise _missing("org_id", _("Choose the organisation to add."))
                group_writes.add_membership(actor, {"group_id": group_id, "org_id": org_id, "role": role, "since": since})
    change_errors = FormErrors(f"member_change_{group_id}")
    current = {int(r.membership_id): r for r in members.itertuples()}
    # the member is picked inside the form: keep the versions of all those it lists
    opened = Opened("membership", f"{k}_pick")
    versions = {i: opened.version(i, int(r.version)) for i, r in current.items()}
    with right.form(f"{k}_change"):
        st.markdown("**" + _("Change or end a membership") + "**")
        membership_id = record_select(st, _("Member"), list(current), index=None, placeholder=_("Choose a member"),
                                       format_func=lambda i: f"{current[i].organisation} ({label(current[i].role)})",
                                       key=f"{k}_pick")
        change_errors.field("membership_id")
        new_role = st.selectbox(_("New role (leave empty to keep)"), [None] + values(MemberRole), key=f"{k}_newrole",
                                format_func=lambda v: _("Keep the current role") if v is None else label(v))
        until = st.date_input(_("Membership ended on (leave empty if it continues)"), value=None, key=f"{k}_until",
                              min_value=DATE_EARLIEST, format="YYYY-MM-DD")
        change_errors.field("until")
        change_errors.form_level()
        if st.form_submit_button(_("Save membership"), icon=":material/save:"):
            with saving(change_errors, _("Membership updated."), opened):
                if membership_id is None:
                    raise _missing("membership_id", _("Choose the membership to change."))
                changes = {}
                if new_role:
                    changes["role"] = new_role
                if until is not None:
                    changes["until"] = until
                if not changes:
                    raise _missing("until", _("Choose a new role or the date the membership ended."))
                group_writes.change_membership(actor, membership_id, versions[membership_id],
                                               validated(MembershipUpdate, changes))


def _missing(field: str, message: str):
    from db.errors import ValidationFailed

    return ValidationFailed({field: message})


# --------------------------------------------------------------------------- organisations


def _pick_to_edit(actor: Actor, names: dict, editable_ids: set[int] | None, create: Action, *, what: str,
                  new: str, key: str, refused: str, limited: str) -> int | None:
    """The record to edit (NEW for a new one): all for admins (`editable_ids` None), else those the
    writes allow, and NEW when the actor may create one. Says `refused` and returns None when
    there is nothing to offer, and `limited` when only some may be changed."""
    editable = list(names) if editable_ids is None else [i for i in names if i in editable_ids]
    choices = ([NEW] if can(actor, create) else []) + editable
    if not choices:
        st.info(refused)
        return None
    if editable_ids is not None:
        st.caption(limited)
    return record_select(st, what, choices, key=key, format_func=lambda i: new if i == NEW else names[i])


def organisation_form(actor: Actor) -> None:
    """Admins edit every organisation and its parent; coordinators add organisations and edit
    those only their groups use (db/writes/organisations.py), never a company family."""
    orgs = organisations()
    names = dict(zip(orgs["id"], orgs["name"]))
    picked = _pick_to_edit(
        actor, names, cached(org_writes.editable_organisation_ids, actor), Action.create_organisation,
        what=_("Organisation"), new=_("New organisation"), key="fg_org_pick",
        refused=_("Your role may not add or change organisations."),
        limited=_("You can change the organisations that only your working groups have as members; "
                  "an administrator changes the others and sets parent organisations."))
    if picked is None:
        return
    current = cached(org_reads.organisation, actor, picked) if picked != NEW else None
    errors = FormErrors(f"org_{picked}")
    k = f"fo_{picked}"
    opened = Opened("organisation", f"{k}_name")
    version = opened.version(current["id"], current["version"]) if current else None
    sets_family = can(actor, Action.edit_company_family)
    parents = {i: name for i, name in names.items() if i != picked}
    countries = country_options()
    with st.form(k):
        name = st.text_input(_("Name"), value=current["name"] if current else "", max_chars=NAME_MAX, key=f"{k}_name")
        errors.field("name")
        left, right = st.columns(2)
        kind = vocab_select(left, _("Kind"), OrgKind, key=f"{k}_kind",
                              index=values(OrgKind).index(current["kind"]) if current else 0)
        left.caption(_("The pillar follows from the kind (for example, private security sits with companies)."))
        country = right.selectbox(_("Country"), countries, format_func=country_name, key=f"{k}_country",
                                  index=countries.index(current["country"]) if current else None,
                                  placeholder=_("Choose a country"))
        with right:
            errors.field("country")
        if sets_family:
            parent = pick_record(st, _("Parent organisation (for a subsidiary)"), parents, key=f"{k}_parent",
                                 none=_("None"), index=1 + list(parents).index(current["parent_id"])
                                 if current and current["parent_id"] in parents else 0)
        elif current and current["parent"]:
            st.caption(fmt(_("Parent organisation: {parent} (an administrator changes it)."), parent=current["parent"]))
        errors.field("parent_id")
        st.markdown(_("Standing in initiatives"))
        cols = st.columns(3)
        vpshr = cols[0].checkbox(_("VPSHR participant"), value=bool(current and current["vpshr_participant"]), key=f"{k}_vp")
        icoca = cols[1].checkbox(_("ICoCA member"), value=bool(current and current["icoca_member"]), key=f"{k}_ic")
        eiti = cols[2].checkbox(_("EITI supporter"), value=bool(current and current["eiti_supporter"]), key=f"{k}_ei")
        errors.form_level()
        submitted = st.form_submit_button(_("Save organisation"), type="primary", icon=":material/save:")
    if submitted:
        values_ = {"name": name, "kind": kind, "country": country or "",
                   "vpshr_participant": vpshr, "icoca_member": icoca, "eiti_supporter": eiti}
        if sets_family:
            values_["parent_id"] = parent
        with saving(errors, _("Organisation saved."), opened):
            if current is None:
                show_saved("fg_org_pick", org_writes.create_organisation(actor, values_))
            else:
                org_writes.update_organisation(actor, current["id"], version, validated(OrganisationUpdate, values_))


# --------------------------------------------------------------------------- sites


def site_form(actor: Actor) -> None:
    """Admins edit every site; coordinators add sites and edit those only their groups cover."""
    site_frame = sites()
    names = dict(zip(site_frame["id"], site_frame["name"]))
    picked = _pick_to_edit(
        actor, names, cached(org_writes.editable_site_ids, actor), Action.create_site,
        what=_("Site"), new=_("New site"), key="fg_site_pick",
        refused=_("Your role may not add or change sites."),
        limited=_("You can change the sites that only your working groups cover; an administrator changes the others."))
    if picked is None:
        return
    current = org_writes.site_for_edit(picked) if picked != NEW else None  # the register's frame has no version
    companies = organisations(("company",))
    company_names = dict(zip(companies["id"], companies["name"]))
    errors = FormErrors(f"site_{picked}")
    k = f"fs_{picked}"
    opened = Opened("site", f"{k}_name")
    version = opened.version(current["id"], current["version"]) if current else None
    countries = country_options()

    with st.form(k):
        name = st.text_input(_("Name"), value=current["name"] if current else "", max_chars=NAME_MAX, key=f"{k}_name")
        errors.field("name")
        left, right = st.columns(2)
        country = left.selectbox(_("Country"), countries, format_func=country_name, key=f"{k}_country",
                                 index=countries.index(current["country"]) if current else None,
                                 placeholder=_("Choose a country"))
        with left:
            errors.field("country")
        region = right.text_input(_("Region"), value=current["region"] if current else "", max_chars=NAME_MAX,
                                 key=f"{k}_region")
        latitude = left.number_input(_("Latitude"), min_value=-90.0, max_value=90.0, format="%.4f", key=f"{k}_lat",
                                     value=float(current["latitude"]) if current else None)
        with left:
            errors.field("latitude")
        longitude = right.number_input(_("Longitude"), min_value=-180.0, max_value=180.0, format="%.4f", key=f"{k}_lon",
                                       value=float(current["longitude"]) if current else None)
        with right:
            errors.field("longitude")
        pasted = st.text_input(_("Or paste coordinates"), key=f"{k}_coords", max_chars=60, placeholder="5.6037, -0.1870",
                               help=_("Latitude and longitude as a map site copies them; they replace the two numbers above."))
        errors.field("coordinates")
        company = pick_record(st, _("Operating company"), company_names, key=f"{k}_co", none=_("None (a community area)"),
                              index=1 + list(company_names).index(current["company_id"])
                              if current and current["company_id"] in company_names else 0)
        errors.form_level()
        submitted = st.form_submit_button(_("Save site"), type="primary", icon=":material/save:")
    if submitted:
        values_ = {"name": name, "country": country or "", "region": region, "latitude": latitude,
                   "longitude": longitude, "company_id": company}
        with saving(errors, _("Site saved."), opened):
            if pasted.strip():
                latitude, longitude = org_writes.parse_coordinates(pasted)
                values_.update(latitude=latitude, longitude=longitude)
            if latitude is None or longitude is None:
                raise _missing("latitude" if latitude is None else "longitude", _("Give the site's coordinates in decimal degrees."))
            if current is None:
                show_saved("fg_site_pick", org_writes.create_site(actor, values_))
            else:
                org_writes.update_site(actor, int(current["id"]), version, validated(SiteUpdate, values_))
