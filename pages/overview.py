"""Overview: headline figures for the chosen countries, groups and period with their change
against the previous period, the early-warning list, alerts and a map of the sites. Every
figure here is an aggregate, so every role sees the same page (no names, no confidential text)."""
import streamlit as st

from components import alerts, charts, setup_checklist
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row
from components.tables import table
from db.metrics import early_warning
from db.metrics.overview import headline
from db.permissions import Action
from db.reads import overview
from db.reads.common import country_name
from db.vocab import REPORTING_CURRENCY, SEVERITY_COLOURS, Severity, label
from i18n import _, numbers

actor = require(Action.view_overview)

page_header(_("Overview"), _("What the working groups did in the chosen period, and what is getting worse."))
setup_checklist.render(actor)
filters = filter_bar(actor, key="overview")
head = cached(headline, actor, filters.countries, filters.group_ids, filters.period)

st.caption(_("{start} to {end}, compared with {previous_start} to {previous_end}.").format(
    start=numbers.day(head.period.start), end=numbers.day(head.period.end),
    previous_start=numbers.day(head.previous_period.start), previous_end=numbers.day(head.previous_period.end)))

kpi_row([
    Kpi(_("Working groups"), head.working_groups.value, head.working_groups.previous,
        help=_("Groups not closed, established by the end of the period.")),
    Kpi(_("Activities held"), head.activities_held.value, head.activities_held.previous),
    Kpi(_("Meetings held"), head.meetings_held.value, head.meetings_held.previous,
        help=_("Plenaries, steering committees and community dialogues held.")),
    Kpi(_("Attendance rate"), head.attendance_rate.value, head.attendance_rate.previous, fmt="{:.0%}",
        help=_("Organisations attending meetings divided by the organisations invited.")),
])
kpi_row([
    Kpi(_("Open issues"), head.open_issues.value, head.open_issues.previous, inverse=True,
        help=_("Issues open at the end of the period.")),
    Kpi(_("Issues raised"), head.issues_raised.value, head.issues_raised.previous, neutral=True),
    Kpi(_("Follow-through"), head.follow_through.value, head.follow_through.previous, fmt="{:.0%}",
        help=_("Commitments done by their due date divided by commitments due in the period.")),
    Kpi(_("Contributions ({currency})").format(currency=REPORTING_CURRENCY),
        head.contributions_received.value, head.contributions_received.previous,
        help=_("Financial and in-kind contributions, converted at the rate on the day received.")),
])

left, right = st.columns(2)
with left:
    by_level = head.groups_by_country_level
    if by_level.empty:
        charts.empty_state(_("No working groups match these filters."))
    else:
        shown = charts.labelled(by_level, "level").assign(country=by_level["country"].map(country_name))
        chart = charts.bars(shown, category="country", value="groups", colour="level",
                            title=_("Working groups by country and level"), category_title=_("Country"),
                            value_title=_("Working groups"), colour_title=_("Level"), value_format="d")
        charts.show(chart, key="groups_chart")
with right:
    severity = head.open_by_severity
    if severity.empty or severity["issues"].sum() == 0:
        charts.empty_state(_("No open issues for these filters: no data."))
    else:
        shown = charts.labelled(severity, "severity")
        chart = charts.bars(shown, category="severity", value="issues", colour="severity",
                            colours=SEVERITY_COLOURS, sort=[label(s) for s in Severity],
                            title=_("Open issues by severity"), category_title=_("Severity"),
                            value_title=_("Open issues"), colour_title=_("Severity"), value_format="d")
        charts.show(chart, key="severity_chart")

st.subheader(_("Early warning"))
st.caption(_("Per group and site, what got worse over the last quarter. Each open issue with a risk of "
             "violence and each critical issue past its date counts 3, every other signal 1; ties by newest."))
warnings = cached(early_warning.ranked, actor, filters.countries, filters.group_ids, head.period.end)
table(early_warning.for_display(warnings) if not warnings.empty else warnings, name="early_warning",
      empty=_("Nothing is getting worse for these filters."),
      column_config={_("What is getting worse"): st.column_config.TextColumn(width="large"),
                     _("Working group"): st.column_config.TextColumn(width="medium"),
                     _("Score"): st.column_config.NumberColumn(width="small")})

st.subheader(_("Alerts"))
alerts.render(actor, filters, key="overview_alerts")

st.subheader(_("Sites"))
points = cached(overview.site_points, actor, filters.countries, filters.group_ids, head.period.end)
if points.empty:
    charts.empty_state(_("No sites are linked to these working groups yet."))
else:
    charts.show(charts.site_map(points, title=_("Sites and their open issues"), name="site", size="open_issues",
                                size_title=_("Open issues"),
                                tooltip=[("site", _("Site")), ("open_issues", _("Open issues"))]), key="site_map")
