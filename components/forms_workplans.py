"""Work plan forms: create a plan, add items, edit status and progress in a table
(st.data_editor; the save step is db.writes.workplans.save_items), HQ proposals and the
coordinator's adopt/decline decision."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components.data import cached
from components.forms import FormErrors, Opened, editable_group, pick_record, saving, vocab_select
from components.tables import MISSING
from components.text import fmt, md
from db.periods import today
from db.permissions import Action, Actor, allowed, can
from db.reads import workplans as plan_reads
from db.reads.common import groups, organisations
from db.vocab import TITLE_MAX, WorkItemKind, WorkItemStatus, label, values
from db.writes import workplans as plan_writes
from i18n import _, numbers


def render(actor: Actor) -> None:
    if can(actor, Action.edit_work_plan):
        group_id = editable_group(actor, Action.edit_work_plan, key="fw_group")
        if group_id is None:
            return
        plans = cached(plan_reads.plans, actor, (group_id,))
        left, right = st.columns(2)
        with left:
            plan_form(actor, group_id)
        with right:
            if plans.empty:
                st.info(_("Create a work plan first; then add its items here."))
            else:
                item_form(actor, plans)
        if not plans.empty:
            plan_names = dict(zip(plans["id"], plans["title"]))
            plan_id = pick_record(st, _("Edit the items of"), plan_names, key="fw_plan")
            plan = plans[plans["id"] == plan_id].iloc[0].to_dict()
            items_editor(actor, group_id, plan, cached(plan_reads.items, actor, int(plan_id)), editable=True)
        proposals_panel(actor, group_id)
    elif can(actor, Action.propose_work_item):
        member_groups = tuple(sorted(actor.member_group_ids))
        plans = cached(plan_reads.plans, actor, member_groups)
        if plans.empty:
            st.info(_("None of the groups your company belongs to has a work plan yet."))
            return
        group_names = dict(zip(cached(groups, actor)["id"], cached(groups, actor)["name"]))
        choices = {int(r.id): f"{group_names.get(r.group_id, '')}: {r.title}" for r in plans.itertuples()}
        proposal_form(actor, plan_choices=choices, key="entry")


def plan_form(actor: Actor, group_id: int) -> None:
    errors = FormErrors(f"plan_{group_id}")
    k = f"fw_plan_{group_id}"
    with st.form(k):
        st.markdown("**" + _("New work plan") + "**")
        title = st.text_input(_("Title"), max_chars=TITLE_MAX, key=f"{k}_title",
                              placeholder=_("for example: Work plan {year}").format(year=today().year))
        errors.field("title")
        start = st.date_input(_("Period starts"), value=date(today().year, 1, 1), key=f"{k}_start", format="YYYY-MM-DD")
        end = st.date_input(_("Period ends"), value=date(today().year, 12, 31), key=f"{k}_end", format="YYYY-MM-DD")
        errors.field("period_end")
        errors.form_level()
        if st.form_submit_button(_("Create work plan"), icon=":material/add:"):
            with saving(errors, _("Work plan created.")):
                plan_writes.create_work_plan(actor, {"group_id": group_id, "title": title, "period_start": start, "period_end": end})


def _item_fields(k: str, errors: FormErrors, plan_choices: dict[int, str]) -> dict:
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"]))
    plan_id = pick_record(st, _("Work plan"), plan_choices, key=f"{k}_plan")
    title = st.text_input(_("Item"), max_chars=TITLE_MAX, key=f"{k}_title")
    errors.field("title")
    kind = vocab_select(st, _("Kind"), WorkItemKind, key=f"{k}_kind")
    owner = pick_record(st, _("Owner organisation"), org_names, key=f"{k}_owner", none=_("Not decided"))
    due = st.date_input(_("Due on"), value=None, key=f"{k}_due", format="YYYY-MM-DD")
    return {"work_plan_id": plan_id, "title": title, "kind": kind, "owner_org_id": owner, "due_on": due}


def item_form(actor: Actor, plans: pd.DataFrame) -> None:
    group_id = int(plans.iloc[0]["group_id"])
    errors = FormErrors(f"item_{group_id}")
    k = f"fw_item_{group_id}"
    with st.form(k):
        st.markdown("**" + _("Add an item") + "**")
        fields = _item_fields(k, errors, dict(zip(plans["id"], plans["title"])))
        status = vocab_select(st, _("Status"), WorkItemStatus, key=f"{k}_status")
        progress = st.number_input(_("Progress (%)"), min_value=0, max_value=100, value=0, step=5, key=f"{k}_progress")
        errors.field("progress")
        errors.form_level()
        if st.form_submit_button(_("Add item"), icon=":material/add:"):
            with saving(errors, _("Item added to the work plan.")):
                plan_writes.add_item(actor, {**fields, "status": status, "progress": progress})


def proposal_form(actor: Actor, *, plan_choices: dict[int, str], key: str) -> None:
    errors = FormErrors(f"proposal_{key}")
    k = f"fw_prop_{key}"
    with st.form(k):
        st.markdown("**" + _("Propose a work plan item") + "**")
        st.caption(_("The group's coordinator adopts or declines your proposal."))
        fields = _item_fields(k, errors, plan_choices)
        errors.form_level()
        if st.form_submit_button(_("Send proposal"), icon=":material/send:"):
            with saving(errors, _("Proposal sent to the group's coordinator.")):
                plan_writes.propose_item(actor, fields)


def items_editor(actor: Actor, group_id: int, plan: dict, items: pd.DataFrame, *, editable: bool) -> None:
    """The plan's items; the group's coordinators and admins edit status and progress in place."""
    if items.empty:
        st.info(_("This work plan has no items yet. Add them under Data entry, Work plans."))
        return
    shown = items[["id", "version", "title", "kind", "owner", "due_on", "status", "progress", "overdue"]].copy()
    shown["kind"] = shown["kind"].map(label)
    config = {"id": None, "version": None, "title": _("Item"), "kind": _("Kind"), "owner": _("Owner"),
              "due_on": st.column_config.DateColumn(_("Due")),
              "status": st.column_config.SelectboxColumn(_("Status"), options=values(WorkItemStatus), required=True),
              "progress": st.column_config.ProgressColumn(_("Progress"), min_value=0, max_value=100,
                                                     format=numbers.percent_column_format()),
              "overdue": st.column_config.CheckboxColumn(_("Overdue"))}
    if not editable:
        shown["status"] = shown["status"].map(label)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config, placeholder=MISSING)
        return
    config["progress"] = st.column_config.NumberColumn(_("Progress (%)"), min_value=0, max_value=100, step=5, required=True)
    errors = FormErrors(f"items_{plan['id']}")
    k = f"items_editor_{plan['id']}"
    # the table is saved as a whole: every row keeps the version it was shown with
    opened = Opened("work_plan_item", k)
    versions = {int(r.id): opened.version(r.id, r.version) for r in shown.itertuples()}
    edited = st.data_editor(shown, hide_index=True, width="stretch", column_config=config, key=k,
                            disabled=["title", "kind", "owner", "due_on", "overdue"], num_rows="fixed")
    errors.field("items")
    errors.form_level()
    if st.button(_("Save status and progress"), key=f"items_save_{plan['id']}", icon=":material/save:"):
        with saving(errors, _("Work plan updated."), opened):
            plan_writes.save_items(actor, edited.assign(version=edited["id"].map(versions)))


def proposals_panel(actor: Actor, group_id: int) -> None:
    """Items proposed by company HQ that wait for this group's coordinator."""
    if not allowed(actor, Action.decide_proposal, group_id=group_id):
        return
    pending = cached(plan_reads.pending_proposals, actor, (group_id,))
    if pending.empty:
        return
    st.markdown("**" + _("Proposals waiting for your decision") + "**")
    errors = FormErrors(f"proposals_{group_id}")
    errors.form_level()
    for row in pending.itertuples():
        with st.container(border=True):
            text, adopt, decline = st.columns([4, 1, 1])
            text.markdown(f"**{md(row.title)}** · {label(row.kind)}")
            text.caption(fmt(_("Plan: {plan}; owner: {owner}; due: {due}"),
                plan=row.plan, owner=row.owner or _("not decided"), due=row.due_on.isoformat() if row.due_on else _("not set")))
            opened = Opened("work_plan_item", f"adopt_{row.id}")
            version = opened.version(row.id, row.version)
            if adopt.button(_("Adopt"), key=f"adopt_{row.id}", icon=":material/check:"):
                with saving(errors, _("Proposal adopted into the work plan."), opened):
                    plan_writes.decide_proposal(actor, int(row.id), version, adopt=True)
            if decline.button(_("Decline"), key=f"decline_{row.id}", icon=":material/close:"):
                with saving(errors, _("Proposal declined."), opened):
                    plan_writes.decide_proposal(actor, int(row.id), version, adopt=False)

