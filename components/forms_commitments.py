"""Commitment forms: add a commitment agreed at an activity, update its status, and record
its verification by an organisation of another pillar than the owner."""
from __future__ import annotations

import streamlit as st

from components.data import cached
from components.forms import FormErrors, Opened, editable_group, pick_record, record_form, saving
from db.errors import ValidationFailed
from db.periods import today
from db.permissions import Action, Actor
from db.reads import activities as activity_reads
from db.reads import commitments as commitment_reads
from db.reads.common import organisations
from db.vocab import TEXT_MAX, CommitmentStatus, label, values
from db.writes import commitments as commitment_writes
from i18n import _


def render(actor: Actor) -> None:
    group_id = editable_group(actor, Action.edit_commitment, key="fc_group")
    if group_id is None:
        return
    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Add a commitment") + "**")
        commitment_form(actor, group_id=group_id, activity_id=None, key="entry")
    with right:
        frame, _total = cached(commitment_reads.register, actor, group_ids=(group_id,), limit=200)
        if frame.empty:
            st.info(_("This group has no commitments yet."))
            return
        st.markdown("**" + _("Update or verify a commitment") + "**")
        # ordered by id and labelled without the status, so the choice stays put after a save
        choices = {int(r.id): f"#{r.id} {r.owner}: {r.description[:70]}" for r in frame.sort_values("id").itertuples()}
        commitment_id = pick_record(st, _("Commitment"), choices, key="fc_pick")
        row = frame[frame["id"] == commitment_id].iloc[0].to_dict()
        st.caption(_("Status: {status}; due: {due}").format(status=label(row["status"]),
                                                            due=row["due_on"].isoformat() if row["due_on"] else _("not set")))
        status_form(actor, row)
        verify_form(actor, row)


def commitment_form(actor: Actor, *, group_id: int, activity_id: int | None, key: str) -> None:
    errors = FormErrors(f"commitment_{key}_{group_id}")
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"] + " (" + orgs["pillar"].map(label) + ")"))
    k = f"fc_add_{key}_{group_id}"
    with st.form(k):
        chosen_activity = activity_id
        if activity_id is None:
            options = cached(activity_reads.activity_options, actor, (group_id,), ("held",))
            labels = {int(r.id): f"{r.starts_at:%Y-%m-%d} · {r.title}" for r in options.itertuples()}
            chosen_activity = pick_record(st, _("Agreed at"), labels, key=f"{k}_activity", none=_("Not at an activity"))
            errors.field("activity_id")
        description = st.text_area(_("What was promised"), max_chars=TEXT_MAX, key=f"{k}_description")
        errors.field("description")
        owner = pick_record(st, _("Owner organisation"), org_names, index=None,
                             placeholder=_("Choose who made the commitment"), key=f"{k}_owner")
        errors.field("owner_org_id")
        due = st.date_input(_("Due on"), value=None, key=f"{k}_due", format="YYYY-MM-DD")
        errors.form_level()
        if st.form_submit_button(_("Add commitment"), icon=":material/add:"):
            with saving(errors, _("Commitment added.")):
                if owner is None:
                    raise ValidationFailed({"owner_org_id": _("Choose the organisation that made the commitment.")})
                commitment_writes.add_commitment(actor, {"group_id": group_id, "activity_id": chosen_activity,
                                                         "owner_org_id": owner, "description": description, "due_on": due})


def status_form(actor: Actor, row: dict) -> None:
    commitment_id = int(row["id"])
    k = f"fc_status_{commitment_id}"
    errors, opened, version = record_form("commitment", row, f"commitment_status_{commitment_id}", f"{k}_status")
    statuses = values(CommitmentStatus)
    with st.form(k):
        status = st.selectbox(_("Status"), statuses, index=statuses.index(row["status"]), format_func=label, key=f"{k}_status")
        done_on = st.date_input(_("Done on (when done)"), value=row["done_on"] or None, max_value=today(), key=f"{k}_done",
                                format="YYYY-MM-DD")
        errors.field("done_on")
        errors.form_level()
        if st.form_submit_button(_("Save status"), icon=":material/save:"):
            with saving(errors, _("Commitment updated."), opened):
                commitment_writes.update_status(actor, commitment_id, version, status, done_on)


def verify_form(actor: Actor, row: dict) -> None:
    commitment_id = int(row["id"])
    errors = FormErrors(f"commitment_verify_{commitment_id}")
    orgs = organisations()
    others = orgs[orgs["id"] != row["owner_org_id"]]
    names = dict(zip(others["id"], others["name"] + " (" + others["pillar"].map(label) + ")"))
    k = f"fc_verify_{commitment_id}"
    opened = Opened("commitment", f"{k}_org")
    version = opened.version(commitment_id, row["version"])
    with st.form(k):
        st.caption(_("A promise counts as kept only when an organisation of another pillar than the owner ({pillar}) confirms it.")
                   .format(pillar=label(row["owner_pillar"])))
        verifier = pick_record(st, _("Verified by"), names, index=None,
                                placeholder=_("Choose the confirming organisation"), key=f"{k}_org")
        errors.field("verified_by_org_id")
        verified_on = st.date_input(_("Verified on"), value=today(), max_value=today(), key=f"{k}_on", format="YYYY-MM-DD")
        errors.field("verified_on")
        errors.form_level()
        if st.form_submit_button(_("Record verification"), icon=":material/verified:"):
            with saving(errors, _("Verification recorded."), opened):
                commitment_writes.verify(actor, commitment_id, version, verifier, verified_on)
