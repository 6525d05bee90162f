"""Issues: the register (filters in the URL, figures, the table, then alerts and charts) and, with
?id= in the URL, one issue's page. Roles that see issues only as aggregates (viewer) get the
figures and charts, never a table, a title or an issue page. Redaction of confidential issues
happens in db/reads/issues, not here."""
import streamlit as st

from components import alerts
from components import issue_views as views
from components.data import cached
from components.forms import show_flash
from components.forms_issues import issue_forms, log_issue_form, may_edit
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row, percent
from components.tables import table
from components.url import id_param, open_record
from db.errors import NotFound
from db.metrics import issues as metrics
from db.permissions import Action, can, group_scope
from db.reads import issues as reads
from i18n import _

actor = require(Action.view_issues, Action.view_issue_aggregates)

rows_allowed = can(actor, Action.view_issues)
issue_id = id_param("id")

if "id" in st.query_params and rows_allowed:
    show_flash()  # the confirmation of a save made on this issue's page
    if st.button(_("Back to the register"), icon=":material/arrow_back:", key="back"):
        open_record("id", None)
    try:
        detail = cached(reads.issue_detail, actor, issue_id) if issue_id is not None else None
    except NotFound:
        detail = None
    if detail is None:
        st.warning(_("That issue does not exist or has been retired."))
        st.stop()
    views.show_issue(actor, detail)
    if may_edit(actor, detail.fields["group_id"]) and not detail.fields.get("retired"):
        st.subheader(_("Update this issue"))
        issue_forms(actor, detail.fields)
    st.stop()

page_header(_("Issues"), _("Concerns and grievances raised with the working groups, and how they are handled."))
if issue_id and not rows_allowed:
    st.info(_("Your role sees issues as figures and charts only."))
filters = views.issue_filter_bar(actor)
summary = cached(reads.summary, actor, filters)
times = cached(metrics.response_times, actor, filters=filters)  # the register's issues, every filter
kpi_row([
    Kpi(_("Issues raised"), summary.total if summary.total else None,
        help=_("Issues raised in the period that match the filters.")),
    Kpi(_("Open"), summary.open if summary.total else None, inverse=True,
        help=_("Of the issues raised in the period that match the filters, those not yet resolved or closed.")),
    Kpi(_("Overdue"), summary.overdue if summary.total else None, inverse=True,
        help=_("Open and past the resolve-by date, or not acknowledged by the acknowledge-by date.")),
    Kpi(_("Escalated"), summary.escalated if summary.total else None, inverse=True,
        help=_("Of the issues raised in the period that match the filters, those escalated at some point.")),
    Kpi(_("Median days to resolve"), times.median_days_to_resolve, fmt="{:,.0f}",
        help=_("From raised to resolved, for the issues raised in the period that match the filters and are "
               "resolved.")),
    Kpi(_("Within timeframe"), percent(times.within_timeframe),
        help=_("Of the issues raised in the period that match the filters: the share of acknowledge and resolve "
               "targets met (targets by severity), among those met or missed.") + " " + _(metrics.RESOLVE_TARGET)),
])

if rows_allowed:
    st.subheader(_("Register"))
    frame, total = cached(reads.list_issues, actor, filters, limit=reads.REGISTER_ROWS)
    picked = table(views.register_frame(frame), name="issues", total=total, key="issue_register",
                   selectable=True, downloads=False, empty=_("No issues match these filters."))
    if not frame.empty:
        views.register_downloads(actor, filters)
    st.caption(_("Select a row to open the issue."))
    if picked is not None:
        open_record("id", int(frame.iloc[picked]["id"]))
    if not group_scope(actor, Action.edit_issue).nothing:
        with st.expander(_("Log an issue"), icon=":material/add:"):
            log_issue_form(actor, key="register_log_issue")

# After the register: a coordinator comes to the page for the register first
st.subheader(_("Alerts"))
st.caption(_("Alerts follow the chosen working groups and countries only, not the period or the other filters: "
             "an old issue still open still needs attention."))
alerts.render(actor, filters, key="issue_alerts")

views.show_summary_charts(summary)
