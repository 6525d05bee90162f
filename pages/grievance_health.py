"""Grievance mechanism health: one row per UN Guiding Principle 31 criterion with the figure
computed from the data, for all the chosen groups and per group, each with a plain-language
explanation; then response times by severity, overdue against target and repeat issues.
Aggregates only, so every role sees the same page."""
import pandas as pd
import streamlit as st

from components import charts, issue_figures
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.tables import table
from db.metrics import issues as metrics
from db.permissions import Action
from i18n import _, numbers

actor = require(Action.view_gm_health)

page_header(_("Grievance mechanism health"),
            _("How the working groups' handling of concerns measures up to the effectiveness criteria of "
              "UN Guiding Principle 31, computed from the issues raised in the period."))
filters = filter_bar(actor, key="gm")
health = cached(metrics.gm_health, actor, group_ids=filters.group_ids, countries=filters.countries,
                period=filters.period)


def share(value, denominator) -> str:
    if pd.isna(denominator):
        return _("qualitative review")
    return _("no data") if pd.isna(value) else numbers.percent(value)


def basis(numerator, denominator) -> str | None:
    if pd.isna(denominator) or not denominator:
        return None
    return _("{numerator} of {denominator}").format(numerator=numbers.number(int(numerator)),
                                                         denominator=numbers.number(int(denominator)))


overall = health[health["group_id"].isna()]
if overall["denominator"].fillna(0).sum() == 0:
    charts.empty_state(_("No issues were raised in this period for these filters: no data."))
st.subheader(_("All chosen working groups"))
for row in overall.itertuples(index=False):
    with st.container(border=True):
        left, right = st.columns([1, 3])
        left.metric(row.name, share(row.value, row.denominator),
                    help=_("Lower is better.") if row.higher_is_better is False else None)
        if basis(row.numerator, row.denominator):
            left.caption(basis(row.numerator, row.denominator))
        right.write(row.explanation)

per_group = health[health["group_id"].notna()]
st.subheader(_("Per working group"))
if per_group.empty:
    st.info(_("No issues in these working groups for this period: no data."))
else:
    wide = per_group[per_group["denominator"].notna()].pivot(index="group", columns="name", values="value")
    order = [name for name in overall["name"] if name in wide.columns]
    wide = wide[order].reset_index().rename(columns={"group": _("Working group")})
    table(wide, name="grievance_mechanism_health", key="gm_per_group",
          column_config={name: st.column_config.ProgressColumn(name, format="percent", min_value=0, max_value=1)
                         for name in order})
    st.caption(_("Empty cells: no data for that group (for example no resolved issues yet)."))

issue_figures.response_times(actor, filters)
issue_figures.repeat_issues(actor, filters)
