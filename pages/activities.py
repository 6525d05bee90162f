"""Activities and calendar: a timeline of scheduled and held activities by group plus the
list, filterable by group, kind, status and period (in the URL); an activity opens with ?id=."""
from datetime import timedelta

import streamlit as st

from components import activity_view
from components.charts import activity_timeline, empty_state, show
from components.data import cached
from components.filters import filter_bar
from components.forms import pick_record
from components.guard import require
from components.header import page_header
from components.tables import table
from components.url import ids_param, list_param, open_record, set_list_param
from db.calendar_ics import calendar_file_name, group_calendar
from db.periods import Period, today
from db.permissions import Action
from db.reads import activities as activity_reads
from db.vocab import ActivityKind, ActivityStatus, label, values
from i18n import _

actor = require(Action.view_activities)
UPCOMING_DAYS = 90

chosen = ids_param("id")
if chosen:
    activity_view.render(actor, chosen[0])
    st.stop()

page_header(_("Activities and calendar"),
            _("What the working groups have held and have planned. Pick an activity to see who came and what was agreed."))
filters = filter_bar(actor, key="act")
left, right = st.columns(2)
kinds = left.multiselect(_("Kinds"), values(ActivityKind), default=[k for k in list_param("kind") if k in values(ActivityKind)],
                         format_func=label, placeholder=_("All kinds"), key="act_kind")
statuses = right.multiselect(_("Status"), values(ActivityStatus),
                             default=[s for s in list_param("status") if s in values(ActivityStatus)],
                             format_func=label, placeholder=_("All statuses"), key="act_status")
set_list_param("kind", kinds)
set_list_param("status", statuses)
scope = dict(group_ids=filters.group_ids, countries=filters.countries, kinds=tuple(kinds), statuses=tuple(statuses),
             period=filters.period)


def coming_up() -> None:
    """The period is every figure page's (365 days to today): what is planned next is listed on its own."""
    next_days = Period(today() + timedelta(days=1), today() + timedelta(days=UPCOMING_DAYS))
    coming, coming_total = cached(activity_reads.calendar, actor, **{**scope, "statuses": (ActivityStatus.scheduled.value,),
                                                                     "period": next_days}, limit=20)
    if coming_total:
        st.subheader(_("Coming up in the next {days} days").format(days=UPCOMING_DAYS))
        table(coming.assign(kind=coming["kind"].map(label))[["starts_at", "group", "title", "kind", "site"]],
              name="activities_coming", total=coming_total, downloads=False,
              column_config={"starts_at": st.column_config.DatetimeColumn(_("Starts (local time)"), format="YYYY-MM-DD HH:mm"),
                             "group": _("Working group"), "title": _("Activity"), "kind": _("Kind"), "site": _("Site")})


by_day, groups_with_activities = cached(activity_reads.calendar_by_day, actor, **scope)
if by_day.empty:
    empty_state(_("No activity in this period. Widen the period or clear a filter; coordinators schedule activities under Data entry."))
    coming_up()
    st.stop()

show(activity_timeline(by_day, filters.period), key="act_timeline")
st.caption(_("Each mark is an activity; the dashed line is today. Hover for details."))
if groups_with_activities > by_day["group"].nunique():
    st.caption(_("The timeline shows the {shown} working groups with most activities in the period, of {total}; "
                 "the list below has them all.").format(shown=by_day["group"].nunique(), total=groups_with_activities))

activities, total = cached(activity_reads.calendar, actor, **scope, limit=200)
listed = activities.assign(kind=activities["kind"].map(label), status=activities["status"].map(label))
picked = table(listed[["starts_at", "group", "title", "kind", "status", "site", "organisations", "participants", "women"]],
               name="activities", total=total, selectable=True,
               column_config={"starts_at": st.column_config.DatetimeColumn(_("Starts (local time)"), format="YYYY-MM-DD HH:mm"),
                              "group": _("Working group"), "title": _("Activity"), "kind": _("Kind"), "status": _("Status"),
                              "site": _("Site"), "organisations": st.column_config.NumberColumn(_("Organisations attending")),
                              "participants": st.column_config.NumberColumn(_("Participants")),
                              "women": st.column_config.NumberColumn(_("Women"))})
st.caption(_("Select a row to open the activity."))
if picked is not None:
    open_record("id", int(activities.iloc[picked]["id"]))

coming_up()

groups_shown = activities.drop_duplicates("group_id")
if len(groups_shown) >= 1:
    st.subheader(_("Calendar files"))
    st.caption(_("Import a group's calendar into Outlook or Google Calendar; importing it again updates the events."))
    names = dict(zip(groups_shown["group_id"], groups_shown["group"]))
    ics_group = pick_record(st, _("Working group"), names, key="act_ics_group")
    # Built only when clicked: reading and writing a group's whole calendar on every run is slow.
    st.download_button(_("Download the calendar (.ics)"), data=lambda: (group_calendar(int(ics_group)) or ("", b""))[1],
                       file_name=calendar_file_name(names[ics_group]), mime="text/calendar",
                       icon=":material/calendar_month:", key="act_ics")
