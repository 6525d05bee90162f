"""A working group's profile: headline figures, members by pillar, the current work plan,
the calendar, meeting cadence and recent activities, and open commitments."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from components import forms_groups, forms_workplans
from components.charts import bars, empty_state, labelled, show
from components.data import cached
from components.header import page_header
from components.kpi import Kpi, kpi_row, percent
from components.layout import in_tabs
from components.links import page_link
from components.tables import table
from components.text import fmt, md
from components.url import open_record
from db.calendar_ics import group_calendar
from db.metrics import engagement
from db.periods import Period, last_quarters, quarter_of, today, year_to_date
from db.permissions import Action, Actor, allowed, can
from db.reads import activities as activity_reads
from db.reads import commitments as commitment_reads
from db.reads import groups as group_reads
from db.reads import workplans as plan_reads
from db.reads.common import country_name
from db.vocab import PILLAR_COLOURS, Pillar, label
from i18n import C_, _, numbers


def _open_issues(actor: Actor, group_id: int) -> int | None:
    from db.metrics import issues

    return int(cached(issues.open_issues_by_age, actor, group_ids=(group_id,))["issues"].sum())


def _funds_balance(actor: Actor, group_id: int):
    from db.metrics import funding

    return funding.cash_balance(group_ids=(group_id,))


def may_edit(actor: Actor, group_id: int) -> bool:
    """Coordinators of this group and admins edit its records."""
    return allowed(actor, Action.edit_group, group_id=group_id)


def render(actor: Actor, group_id: int) -> None:
    group = cached(group_reads.profile, actor, group_id)
    if group is None:
        st.warning(_("This working group does not exist (any more)."))
        if st.button(_("Back to all working groups"), icon=":material/arrow_back:"):
            open_record("id", None)
        return
    if st.button(_("All working groups"), icon=":material/arrow_back:", key="wg_back"):
        open_record("id", None)
    page_header(group.name, _("{level} working group in {country} on {focus}; status: {status}.").format(
        level=label(group.level), country=country_name(group.country), focus=label(group.focus).lower(),
        status=label(group.status).lower()))
    facts = [_("Led by: {lead}").format(lead=label(group.lead))]
    if group.established_on:
        facts.append(_("Established: {day}").format(day=numbers.day(group.established_on)))
    if group.secretariat:
        facts.append(_("Secretariat: {org}").format(org=group.secretariat))
    facts.append(_("Time zone: {tz}").format(tz=group.timezone))
    st.markdown(" · ".join(md(fact) for fact in facts))
    if group.initiatives:
        st.markdown(" ".join(f":blue-badge[{label(i)}]" for i in group.initiatives))
    if group.site_names:
        st.caption(fmt(_("Sites: {sites}"), sites=", ".join(group.site_names)))
    if group.description:
        st.markdown(md(group.description))

    _headlines(actor, group_id)
    in_tabs([(_("Members"), lambda: _members(actor, group_id)), (_("Work plan"), lambda: _work_plan(actor, group_id)),
             (_("Calendar"), lambda: _calendar(actor, group)), (_("Recent activities"), lambda: _recent(actor, group_id)),
             (_("Commitments"), lambda: _commitments(actor, group_id))])


def _headlines(actor: Actor, group_id: int) -> None:
    ytd = year_to_date()
    scope = {"group_ids": (group_id,), "period": ytd}
    kpis = [Kpi(_("Meetings this year"), cached(engagement.meetings_held, actor, **scope),
                help=_("Held plenaries, steering committees and community dialogues since 1 January.")),
            Kpi(_("Attendance rate this year"), percent(cached(engagement.attendance_rate, actor, **scope)),
                help=_("Member organisations that attended held meetings, of those invited."))]
    if can(actor, Action.view_issues) or can(actor, Action.view_issue_aggregates):
        kpis.append(Kpi(_("Open issues"), _open_issues(actor, group_id), inverse=True,
                        help=_("Concerns and grievances not yet resolved or closed.")))
    if can(actor, Action.view_funding):
        balance = _funds_balance(actor, group_id)
        kpis.append(Kpi(_("Funds balance (USD)"), None if balance is None else numbers.number(balance),
                        help=_("Cash received minus spent across the group's funds, in US dollars.")))
    kpi_row(kpis)
    links = st.columns(4)
    page_link("pages/activities.py", container=links[0], label=_("Activities and calendar"), icon=":material/event:",
                       query_params={"group": str(group_id)})
    if can(actor, Action.view_issues) or can(actor, Action.view_issue_aggregates):
        page_link("pages/issues.py", container=links[1], label=_("Issues"), icon=":material/report:", query_params={"group": str(group_id)})
    if can(actor, Action.view_funding):
        page_link("pages/funding.py", container=links[2], label=_("Funding"), icon=":material/account_balance:",
                           query_params={"group": str(group_id)})
    if can(actor, Action.view_commitments):
        page_link("pages/commitments.py", container=links[3], label=_("Commitments"), icon=":material/handshake:",
                           query_params={"group": str(group_id)})


def _members(actor: Actor, group_id: int) -> None:
    by_pillar = cached(group_reads.members_by_pillar, actor, group_id)
    if int(by_pillar["members"].sum()) == 0:
        empty_state(_("This group has no current members. A coordinator can add them below or under Data entry."))
    else:
        show(bars(labelled(by_pillar, "pillar"), category="pillar", value="members", colour="pillar",
                  colours=PILLAR_COLOURS, colour_title=_("Pillar"), title=_("Current member organisations by pillar"),
                  category_title=_("Pillar"), value_title=_("Member organisations"), sort=[label(p) for p in Pillar]),
             key="wg_pillars")
    include_past = st.toggle(_("Include past members"), value=False, key="wg_past")
    members = cached(group_reads.members, actor, group_id, include_past=include_past)
    shown = members.assign(pillar=members["pillar"].map(label), kind=members["kind"].map(label),
                           role=members["role"].map(label),
                           # a current member has no end date: an empty cell, not "None"
                           until=pd.to_datetime(members["until"], errors="coerce"))
    table(shown[["organisation", "pillar", "kind", "role", "since", "until"]], name="members",
          key=f"members_{group_id}", empty=_("No members recorded."),
          column_config={"organisation": _("Organisation"), "pillar": _("Pillar"), "kind": _("Kind"),
                         "role": _("Role"), "since": st.column_config.DateColumn(_("Member since")),
                         "until": st.column_config.DateColumn(_("Until"))})
    if allowed(actor, Action.edit_membership, group_id=group_id):
        with st.expander(_("Add, change or end memberships"), icon=":material/edit:"):
            forms_groups.membership_forms(actor, group_id, key=f"profile_{group_id}")


def _work_plan(actor: Actor, group_id: int) -> None:
    plan = cached(plan_reads.current_plan, actor, group_id)
    if plan is None:
        empty_state(_("No work plan yet. A coordinator can create one under Data entry, Work plans."))
        return
    st.subheader(md(plan["title"]))
    st.caption(_("From {start} to {end}").format(start=numbers.day(plan["period_start"]),
                                                end=numbers.day(plan["period_end"])))
    items = cached(plan_reads.items, actor, int(plan["id"]))
    progress = cached(engagement.work_plan_progress, actor, group_ids=(group_id,), plan_ids=(int(plan["id"]),))
    row = progress.iloc[0] if not progress.empty else None
    kpi_row([Kpi(_("Items done"), percent(None if row is None else row["share_done"]),
                 help=_("Done items of all items not cancelled.")),
             Kpi(_("Delayed"), None if row is None else int(row["delayed"]), inverse=True),
             Kpi(_("Overdue"), None if row is None else int(row["overdue"]), inverse=True,
                 help=_("Past their due date and neither done nor cancelled."))])
    forms_workplans.items_editor(actor, group_id, plan, items, editable=allowed(actor, Action.edit_work_plan, group_id=group_id))
    forms_workplans.proposals_panel(actor, group_id)
    if allowed(actor, Action.propose_work_item, group_id=group_id):
        with st.expander(_("Propose an item for this work plan"), icon=":material/lightbulb:"):
            forms_workplans.proposal_form(actor, plan_choices={int(plan["id"]): plan["title"]}, key=f"propose_{group_id}")


def _calendar(actor: Actor, group) -> None:
    horizon = Period(today(), today() + timedelta(days=180))
    upcoming, total = cached(activity_reads.calendar, actor, group_ids=(group.id,), statuses=("scheduled", "postponed"),
                             period=horizon, limit=50)
    if upcoming.empty:
        empty_state(_("Nothing scheduled in the next six months. A coordinator can schedule an activity under Data entry."))
    else:
        shown = upcoming.assign(kind=upcoming["kind"].map(label), status=upcoming["status"].map(label))
        table(shown[["starts_at", "ends_at", "title", "kind", "status", "site", "place"]], name="upcoming",
              key=f"upcoming_{group.id}", total=total,
              column_config={"starts_at": st.column_config.DatetimeColumn(_("Starts"), format="YYYY-MM-DD HH:mm"),
                             "ends_at": st.column_config.DatetimeColumn(_("Ends"), format="YYYY-MM-DD HH:mm"),
                             "title": _("Activity"), "kind": _("Kind"), "status": _("Status"), "site": _("Site"),
                             "place": _("Place")})
        st.caption(_("Times are local to the group ({tz}).").format(tz=group.timezone))
    result = group_calendar(group.id)
    if result:
        name, data = result
        st.download_button(_("Download the calendar (.ics) for Outlook or Google Calendar"), data=data, file_name=name,
                           mime="text/calendar", icon=":material/calendar_month:", key=f"ics_{group.id}")


CADENCE_QUARTERS = 8  # two years: enough to see a group meeting less often


def _cadence(actor: Actor, group_id: int) -> None:
    quarters = last_quarters(CADENCE_QUARTERS)
    cadence = cached(engagement.meeting_cadence, actor, group_ids=(group_id,),
                     period=Period(quarters[0].start, quarters[-1].end))
    held = dict(zip(cadence["quarter"], cadence["meetings"]))
    names = [quarter_of(q.start) for q in quarters]
    per_quarter = pd.DataFrame({"quarter": names, "meetings": [int(held.get(n, 0)) for n in names]})
    show(bars(per_quarter, category="quarter", value="meetings", title=_("Meetings held per quarter"),
              category_title=_("Quarter"), value_title=_("Meetings held"), horizontal=False, sort=names, height=180),
         key=f"wg_cadence_{group_id}")
    st.caption(_("Held plenaries, steering committees and community dialogues in each calendar quarter "
                 "of the last two years (workshops and other activities not counted)."))


def _recent(actor: Actor, group_id: int) -> None:
    _cadence(actor, group_id)
    recent, _total = cached(activity_reads.calendar, actor, group_ids=(group_id,), statuses=("held",),
                            period=Period(today() - timedelta(days=365), today()), limit=6, newest_first=True)
    if recent.empty:
        empty_state(_("No activity held in the last twelve months."))
        return
    outcomes = cached(activity_reads.outcomes_of, actor, tuple(int(i) for i in recent["id"]))
    for row in recent.itertuples():
        with st.container(border=True):
            top, link = st.columns([5, 1])
            top.markdown(f"**{md(row.title)}** · {label(row.kind)} · {row.starts_at:%Y-%m-%d}")
            page_link("pages/activities.py", container=link, label=C_("verb", "Open"), query_params={"id": str(row.id)}, icon=":material/open_in_new:")
            st.caption(_("{orgs} organisations, {people} participants, {women} women").format(
                orgs=_n(row.organisations), people=_n(row.participants), women=_n(row.women)))
            text = outcomes.get(int(row.id)) or ""
            st.text(text if text else _("No outcomes recorded."))


def _n(value) -> str:
    return _("no data") if value is None or pd.isna(value) else numbers.number(int(value))


def _commitments(actor: Actor, group_id: int) -> None:
    counts = cached(commitment_reads.status_counts, actor, group_ids=(group_id,))
    kpi_row([Kpi(_("Open commitments"), counts["open"] if counts["total"] else None),
             Kpi(_("Overdue"), counts["overdue"] if counts["total"] else None, inverse=True),
             Kpi(_("Follow-through this year"),
                 percent(cached(engagement.commitment_follow_through, actor, group_ids=(group_id,), period=year_to_date())),
                 help=_("Commitments done by their due date, of those due this year (dropped ones excluded)."))])
    if not can(actor, Action.view_commitments):
        return
    frame, total = cached(commitment_reads.register, actor, group_ids=(group_id,), statuses=("open", "in_progress"), limit=50)
    shown = frame.assign(status=frame["status"].map(label), owner_pillar=frame["owner_pillar"].map(label))
    table(shown[["description", "owner", "owner_pillar", "due_on", "status", "days_overdue"]], name="open_commitments",
          key=f"open_commitments_{group_id}", total=total,
          empty=_("No open commitments. Commitments agreed at an activity appear here until they are done."),
          column_config={"description": _("Commitment"), "owner": _("Owner"), "owner_pillar": _("Owner's pillar"),
                         "due_on": st.column_config.DateColumn(_("Due")), "status": _("Status"),
                         "days_overdue": st.column_config.NumberColumn(_("Days overdue"))})
