"""Commitments: every promise made in the working groups, with owner, due date, status and
verification, overdue ones first; filter by group, status and owner (in the URL)."""
import streamlit as st

from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row, percent
from components.tables import table
from components.url import ids_param, list_param, set_list_param
from db.metrics import engagement
from db.permissions import Action
from db.reads import commitments as commitment_reads
from db.vocab import CommitmentStatus, label, values
from i18n import _

actor = require(Action.view_commitments)

page_header(_("Commitments"), _("What each organisation promised, by when, and whether someone from another pillar confirmed it was kept."))
filters = filter_bar(actor, key="com", show_period=False)
left, right = st.columns(2)
statuses = left.multiselect(_("Status"), values(CommitmentStatus),
                            default=[s for s in list_param("status") if s in values(CommitmentStatus)],
                            format_func=label, placeholder=_("All statuses"), key="com_status")
owner_options = cached(commitment_reads.owners, actor)
owner_names = dict(zip(owner_options["id"], owner_options["name"]))
owners = right.multiselect(_("Owner"), list(owner_names), default=[o for o in ids_param("owner") if o in owner_names],
                           format_func=lambda i: owner_names[i], placeholder=_("All owners"), key="com_owner")
set_list_param("status", statuses)
set_list_param("owner", owners)

counts = cached(commitment_reads.status_counts, actor, group_ids=filters.group_ids, countries=filters.countries,
                owner_ids=tuple(owners))
follow = cached(engagement.commitment_follow_through, actor, group_ids=filters.group_ids or None,
                countries=filters.countries or None)
kpi_row([Kpi(_("Open"), counts["open"] if counts["total"] else None, help=_("Open or in progress.")),
         Kpi(_("Overdue"), counts["overdue"] if counts["total"] else None, inverse=True,
             help=_("Open or in progress and past their due date.")),
         Kpi(_("Done"), counts["done"] if counts["total"] else None),
         Kpi(_("Verified by another pillar"), counts["verified"] if counts["total"] else None),
         Kpi(_("Follow-through (all time)"), percent(follow),
             help=_("Commitments done by their due date, of those due so far; dropped ones and those without a due date are not counted."))])

frame, total = cached(commitment_reads.register, actor, group_ids=filters.group_ids, countries=filters.countries,
                      statuses=tuple(statuses), owner_ids=tuple(owners))
shown = frame.assign(status=frame["status"].map(label), owner_pillar=frame["owner_pillar"].map(label),
                     overdue=frame["overdue"].map({True: "⚠ " + _("Overdue"), False: ""}))
table(shown[["overdue", "days_overdue", "group", "description", "owner", "owner_pillar", "due_on", "status", "done_on",
             "verified_by", "verified_on", "activity"]],
      name="commitments", total=total,
      empty=_("No commitment matches these filters. Commitments are added from an activity's page or under Data entry."),
      column_config={"overdue": _("Overdue"), "days_overdue": st.column_config.NumberColumn(_("Days overdue")),
                     "group": _("Working group"), "description": st.column_config.TextColumn(_("Commitment"), width="large"),
                     "owner": _("Owner"), "owner_pillar": _("Owner's pillar"), "due_on": st.column_config.DateColumn(_("Due")),
                     "status": _("Status"), "done_on": st.column_config.DateColumn(_("Done on")),
                     "verified_by": _("Verified by"), "verified_on": st.column_config.DateColumn(_("Verified on")),
                     "activity": _("Agreed at")})
