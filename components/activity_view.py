"""One activity: when and where, attendance by organisation and pillar, participants and
women, summary, outcomes and the commitments agreed there; coordinators of its group record
it as held, postpone or cancel it, and add commitments from here."""
from __future__ import annotations

import streamlit as st

from components import forms_activities, forms_commitments
from components.charts import bars, empty_state, labelled, show
from components.data import cached
from components.header import page_header
from components.kpi import Kpi, kpi_row, percent
from components.links import page_link
from components.tables import table
from components.text import md
from components.url import open_record
from db.permissions import Action, Actor, allowed, can
from db.reads import activities as activity_reads
from db.reads import commitments as commitment_reads
from db.vocab import PILLAR_COLOURS, Pillar, label
from i18n import _


def may_edit(actor: Actor, group_id: int) -> bool:
    return allowed(actor, Action.edit_activity, group_id=group_id)


def render(actor: Actor, activity_id: int) -> None:
    record = cached(activity_reads.activity, actor, activity_id)
    if st.button(_("All activities"), icon=":material/arrow_back:", key="act_back"):
        open_record("id", None)
    if record is None:
        st.warning(_("This activity does not exist (any more)."))
        return
    page_header(record["title"], _("{kind} of {group}; status: {status}.").format(
        kind=label(record["kind"]), group=record["group"], status=label(record["status"]).lower()))
    when = _("{start:%Y-%m-%d %H:%M} to {end:%H:%M} ({tz})") if record["starts_at"].date() == record["ends_at"].date() \
        else _("{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} ({tz})")
    facts = [when.format(start=record["starts_at"], end=record["ends_at"], tz=record["timezone"])]
    where = ", ".join(p for p in (record["place"], record["site"]) if p)
    if where:
        facts.append(_("Where: {place}").format(place=where))
    if record["work_plan_item"]:
        facts.append(_("Work plan item: {item}").format(item=record["work_plan_item"]))
    st.markdown(" · ".join(md(fact) for fact in facts))
    page_link("pages/working_groups.py", label=_("Open the group's profile"), icon=":material/groups:",
                 query_params={"id": str(record["group_id"])})

    sheet = cached(activity_reads.attendance, actor, activity_id)
    attended = sheet[sheet["attended"]]
    invited = int(sheet["invited"].sum()) if not sheet.empty else 0
    people = int(attended["participants"].sum()) if not attended.empty else None
    kpi_row([Kpi(_("Organisations attending"), len(attended) if not sheet.empty else None),
             Kpi(_("Of those invited"), percent(len(attended[attended["invited"]]) / invited) if invited else None),
             Kpi(_("Participants"), people),
             Kpi(_("Women"), None if people is None else int(attended["women"].sum()),
                 help=_("Women among the participants.")),
             Kpi(_("Women's share"), percent(int(attended["women"].sum()) / people) if people else None)])

    left, right = st.columns(2)
    with left:
        st.subheader(_("Summary"))
        st.text(record["summary"] or _("No summary recorded."))
    with right:
        st.subheader(_("Outcomes"))
        st.text(record["outcomes"] or _("No outcomes recorded yet."))

    st.subheader(_("Attendance"))
    if sheet.empty:
        empty_state(_("No attendance recorded. The group's coordinator records it when marking the activity as held."))
    else:
        by_pillar = cached(activity_reads.attendance_by_pillar, actor, activity_id)
        if int(by_pillar["participants"].fillna(0).sum()) > 0:
            show(bars(labelled(by_pillar, "pillar"), category="pillar", value="participants", colour="pillar",
                      colours=PILLAR_COLOURS, colour_title=_("Pillar"), title=_("Participants by pillar"),
                      category_title=_("Pillar"), value_title=_("Participants"), sort=[label(p) for p in Pillar]),
                 key="act_pillars")
        shown = sheet.assign(pillar=sheet["pillar"].map(label), kind=sheet["kind"].map(label))
        table(shown[["organisation", "pillar", "kind", "invited", "attended", "participants", "women"]], name="attendance",
              key=f"attendance_{activity_id}",
              column_config={"organisation": _("Organisation"), "pillar": _("Pillar"), "kind": _("Kind"),
                             "invited": st.column_config.CheckboxColumn(_("Invited")),
                             "attended": st.column_config.CheckboxColumn(_("Attended")),
                             "participants": st.column_config.NumberColumn(_("Participants")),
                             "women": st.column_config.NumberColumn(_("Women"))})

    if can(actor, Action.view_commitments):
        st.subheader(_("Commitments agreed here"))
        frame, total = cached(commitment_reads.register, actor, activity_id=activity_id, limit=100)
        shown = frame.assign(status=frame["status"].map(label))
        table(shown[["description", "owner", "due_on", "status", "verified_by", "verified_on"]], name="activity_commitments",
              key=f"activity_commitments_{activity_id}", total=total,
              empty=_("No commitment was recorded at this activity."),
              column_config={"description": _("Commitment"), "owner": _("Owner"),
                             "due_on": st.column_config.DateColumn(_("Due")), "status": _("Status"),
                             "verified_by": _("Verified by"), "verified_on": st.column_config.DateColumn(_("Verified on"))})

    if may_edit(actor, int(record["group_id"])):
        st.divider()
        st.subheader(_("Update this activity"))
        forms_activities.activity_actions(actor, record)
        if record["status"] == "held":
            with st.expander(_("Add a commitment agreed at this activity"), icon=":material/handshake:"):
                forms_commitments.commitment_form(actor, group_id=int(record["group_id"]), activity_id=activity_id,
                                                  key=f"act_{activity_id}")

