"""Company engagement scorecard: per company (subsidiaries rolled up), groups joined, meetings
attended of those it was invited to, commitments kept as verified by another pillar,
contributions, issues at its sites and training of the security units there, compared."""
import pandas as pd
import streamlit as st

from components import charts
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.tables import table
from components.text import fmt
from db.metrics import scorecard
from db.money import format_money
from db.permissions import Action
from db.vocab import REPORTING_CURRENCY
from i18n import _, numbers

actor = require(Action.view_scorecard)

page_header(_("Company scorecard"),
            _("What each company and its subsidiaries did in the working groups in the chosen period."))
filters = filter_bar(actor, key="scorecard")
frame = cached(scorecard.scorecard, actor, filters.countries, filters.group_ids, filters.period)
engaged = frame[frame["groups_joined"] > 0]
show_all = st.toggle(_("Include companies with no membership in the period"), key="scorecard_all")
listed = frame if show_all else engaged


def _rate(value) -> str:
    return _("no data") if pd.isna(value) else numbers.percent(value)


def _count(value) -> str:
    return _("no data") if pd.isna(value) else numbers.number(int(value))


if listed.empty:
    charts.empty_state(_("No company took part in these working groups in this period."))
    st.stop()

shown = pd.DataFrame({
    _("Company"): listed["company"],
    _("Subsidiaries"): listed["subsidiaries"],
    _("Groups joined"): listed["groups_joined"],
    _("Meetings attended of invited"): [f"{numbers.number(a)} / {numbers.number(i)}" if i else _("no data")
                                        for a, i in zip(listed["attended"], listed["invited"])],
    _("Attendance rate"): listed["attendance_rate"].map(_rate),
    _("Commitments due"): listed["commitments_due"].map(lambda n: _count(n) if n else _("no data")),
    _("Kept, verified by another pillar"): listed["kept"],
    _("Promise-keeping"): listed["promise_keeping"].map(_rate),
    _("Contributions ({currency})").format(currency=REPORTING_CURRENCY):
        listed["contributions"].map(lambda v: _("no data") if pd.isna(v) else format_money(v, REPORTING_CURRENCY)),
    _("Issues open at its sites"): listed["issues_open"].map(_count),
    _("Issues resolved"): listed["issues_resolved"].map(_count),
    _("Security personnel trained at its sites"): listed["people_trained"].map(_count),
})
if actor.company_ids:
    own = listed["company_id"].isin(actor.company_ids)
    if own.any():
        st.caption(fmt(_("Your company: {name}."), name=", ".join(listed.loc[own, "company"])))
table(shown, name="company_scorecard")

rates = engaged.melt(id_vars=["company"], value_vars=["attendance_rate", "promise_keeping"],
                     var_name="measure", value_name="rate").dropna(subset=["rate"])
left, right = st.columns(2)
with left:
    if rates.empty:
        charts.empty_state(_("No meetings or commitments in this period: no data to compare."))
    else:
        names = {"attendance_rate": _("Attendance rate"), "promise_keeping": _("Promise-keeping")}
        rates = rates.assign(measure=rates["measure"].map(names), rate=rates["rate"].astype(float))
        charts.show(charts.bars(rates, category="company", value="rate", colour="measure",
                                title=_("Attendance and promise-keeping by company"), category_title=_("Company"),
                                value_title=_("Share"), colour_title=_("Measure"), value_format=".0%",
                                sort="ascending").encode(yOffset="measure:N"), key="scorecard_rates")
with right:
    money = engaged.dropna(subset=["contributions"])
    if money.empty:
        charts.empty_state(_("No contributions in this period: no data to compare."))
    else:
        money = money.assign(contributions=money["contributions"].astype(float))  # display only
        charts.show(charts.bars(money, category="company", value="contributions",
                                title=_("Contributions by company ({currency})").format(currency=REPORTING_CURRENCY),
                                category_title=_("Company"), value_title=REPORTING_CURRENCY), key="scorecard_money")
