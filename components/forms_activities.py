"""Activity forms: schedule an activity; record it as held with attendance for each member
organisation (st.data_editor; the save step is db.writes.activities.record_held /
save_attendance) and outcomes; postpone or cancel it."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from components.data import cached
from components.forms import (
    FormErrors,
    Opened,
    editable_group,
    pick_record,
    record_form,
    record_select,
    saving,
    vocab_select,
)
from db.errors import ValidationFailed
from db.periods import today
from db.permissions import Action, Actor
from db.reads import activities as activity_reads
from db.reads.common import sites
from db.vocab import NAME_MAX, TEXT_MAX, TITLE_MAX, ActivityKind, label
from db.writes import activities as activity_writes
from i18n import _


def render(actor: Actor) -> None:
    group_id = editable_group(actor, Action.edit_activity, key="fa_group")
    if group_id is None:
        return
    mode = st.segmented_control(_("What to do"), [_("Schedule an activity"), _("Update an activity")],
                                default=_("Schedule an activity"), key="fa_mode")
    if mode == _("Update an activity"):
        options = cached(activity_reads.activity_options, actor, (group_id,))
        if options.empty:
            st.info(_("This group has no activities yet; schedule one first."))
            return
        labels = {int(r.id): f"{r.starts_at:%Y-%m-%d} · {r.title} ({label(r.status)})" for r in options.itertuples()}
        activity_id = record_select(st, _("Activity"), list(labels), format_func=lambda i: labels[i], key="fa_activity")
        record = cached(activity_reads.activity, actor, activity_id)
        if record:
            activity_actions(actor, record)
    else:
        schedule_form(actor, group_id)


def _when(day, start: time | None, end: time | None) -> tuple[datetime | None, datetime | None]:
    if day is None or start is None or end is None:
        return None, None
    return datetime.combine(day, start), datetime.combine(day, end)


def schedule_form(actor: Actor, group_id: int) -> None:
    errors = FormErrors(f"schedule_{group_id}")
    site_frame = sites()
    site_names = dict(zip(site_frame["id"], site_frame["name"]))
    k = f"fa_sched_{group_id}"
    with st.form(k):
        title = st.text_input(_("Title"), max_chars=TITLE_MAX, key=f"{k}_title")
        errors.field("title")
        kind = vocab_select(st, _("Kind"), ActivityKind, key=f"{k}_kind")
        cols = st.columns(3)
        day = cols[0].date_input(_("Date"), value=today() + timedelta(days=14), key=f"{k}_day", format="YYYY-MM-DD")
        start = cols[1].time_input(_("Starts (group's local time)"), value=time(9, 0), key=f"{k}_start")
        end = cols[2].time_input(_("Ends"), value=time(12, 0), key=f"{k}_end")
        errors.field("ends_at")
        site = pick_record(st, _("Site"), site_names, key=f"{k}_site", none=_("No site (another place)"))
        place = st.text_input(_("Place"), max_chars=NAME_MAX, key=f"{k}_place",
                              placeholder=_("for example: the district assembly hall"))
        summary = st.text_area(_("Agenda or purpose"), max_chars=TEXT_MAX, key=f"{k}_summary")
        errors.form_level()
        if st.form_submit_button(_("Schedule activity"), type="primary", icon=":material/event:"):
            starts_at, ends_at = _when(day, start, end)
            with saving(errors, _("Activity scheduled.")):
                if starts_at is None:
                    raise ValidationFailed({"ends_at": _("Give the date and the start and end times.")})
                activity_writes.schedule_activity(actor, {
                    "group_id": group_id, "kind": kind, "title": title, "starts_at": starts_at, "ends_at": ends_at,
                    "site_id": site, "place": place, "summary": summary})


def activity_actions(actor: Actor, record: dict) -> None:
    """Record as held (with attendance and outcomes), postpone or cancel one activity."""
    activity_id = int(record["id"])
    if record["status"] == "cancelled":
        st.info(_("This activity was cancelled."))
        return
    tabs = st.tabs([_("Record as held") if record["status"] != "held" else _("Attendance and outcomes"),
                    _("Postpone"), _("Cancel")])
    with tabs[0]:
        held_form(actor, record)
    with tabs[1]:
        if record["status"] == "held":
            st.info(_("A held activity cannot be postponed."))
        else:
            postpone_form(actor, record)
    with tabs[2]:
        if record["status"] == "held":
            st.info(_("A held activity cannot be cancelled."))
        else:
            errors = FormErrors(f"cancel_{activity_id}")
            errors.form_level()
            opened = Opened("activity", f"fa_cancel_sure_{activity_id}")
            version = opened.version(activity_id, record["version"])
            with st.form(f"fa_cancel_{activity_id}"):
                sure = st.checkbox(_("Yes, cancel this activity"), key=f"fa_cancel_sure_{activity_id}")
                if st.form_submit_button(_("Cancel activity"), icon=":material/event_busy:"):
                    with saving(errors, _("Activity cancelled."), opened):
                        if not sure:
                            raise ValidationFailed({"form": _("Tick the box to confirm the cancellation.")})
                        activity_writes.cancel(actor, activity_id, version)


ATTENDANCE_EDIT = ["org_id", "organisation", "pillar", "invited", "attended", "participants", "women"]


def held_form(actor: Actor, record: dict) -> None:
    activity_id = int(record["id"])
    sheet = activity_reads.attendance_sheet(actor, activity_id)
    errors = FormErrors(f"held_{activity_id}")
    k = f"fa_held_{activity_id}"
    opened = Opened("activity", f"{k}_summary")
    version = opened.version(activity_id, record["version"])
    with st.form(k):
        summary = st.text_area(_("Summary"), value=record["summary"], max_chars=TEXT_MAX, key=f"{k}_summary")
        outcomes = st.text_area(_("Outcomes"), value=record["outcomes"], max_chars=TEXT_MAX, key=f"{k}_outcomes",
                                help=_("What was decided or achieved. Add commitments separately once saved."))
        errors.field("outcomes")
        st.markdown(_("Attendance: tick who came and give the number of participants and women for each organisation."))
        if sheet.empty:
            st.caption(_("The group had no members on this date; add memberships first to record attendance."))
        shown = sheet[ATTENDANCE_EDIT].assign(pillar=sheet["pillar"].map(label))
        edited = st.data_editor(
            shown, hide_index=True, width="stretch", num_rows="fixed", key=f"{k}_attendance",
            disabled=["organisation", "pillar"],
            column_config={"org_id": None, "organisation": _("Organisation"), "pillar": _("Pillar"),
                           "invited": st.column_config.CheckboxColumn(_("Invited")),
                           "attended": st.column_config.CheckboxColumn(_("Attended")),
                           "participants": st.column_config.NumberColumn(_("Participants"), min_value=0, step=1),
                           "women": st.column_config.NumberColumn(_("Women"), min_value=0, step=1)})
        errors.field("attendance")
        errors.form_level()
        if st.form_submit_button(_("Save as held"), type="primary", icon=":material/task_alt:"):
            with saving(errors, _("Activity recorded as held."), opened):
                activity_writes.record_held(actor, activity_id, version, summary=summary, outcomes=outcomes,
                                            attendance=edited)


def postpone_form(actor: Actor, record: dict) -> None:
    activity_id = int(record["id"])
    k = f"fa_postpone_{activity_id}"
    errors, opened, version = record_form("activity", record, f"postpone_{activity_id}", f"{k}_day")
    with st.form(k):
        st.caption(_("Give the new date to reschedule, or leave it empty to mark the activity postponed until a date is known."))
        cols = st.columns(3)
        day = cols[0].date_input(_("New date"), value=None, key=f"{k}_day", format="YYYY-MM-DD")
        start = cols[1].time_input(_("Starts"), value=record["starts_at"].time(), key=f"{k}_start")
        end = cols[2].time_input(_("Ends"), value=record["ends_at"].time(), key=f"{k}_end")
        errors.field("starts_at")
        errors.field("ends_at")
        errors.form_level()
        if st.form_submit_button(_("Postpone"), icon=":material/update:"):
            starts_at, ends_at = _when(day, start, end)
            with saving(errors, _("Activity postponed."), opened):
                activity_writes.postpone(actor, activity_id, version, starts_at, ends_at)
