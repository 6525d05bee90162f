"""Public transparency: published contributions and disbursements per working group and year,
in the spirit of EITI's publication of multi-stakeholder group budgets. Only entries marked
published are read; no personal names (approvers appear as their organisation)."""
import streamlit as st

from components import charts
from components.data import cached
from components.filters import filter_bar
from components.funding_views import headed
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row
from components.tables import table
from db.permissions import Action
from db.reads import funding
from db.vocab import REPORTING_CURRENCY
from i18n import N_, _

actor = require(Action.view_transparency)

page_header(_("Public transparency"),
            _("What each working group has received and spent, as published by the groups. Only entries marked "
              "for publication appear here and in the downloads. Amounts in US dollars at the rate in force on "
              "each date, with the original amount and currency."))
filters = filter_bar(actor, key="transparency", show_period=False)
scope = {"group_ids": filters.group_ids, "countries": filters.countries}
per_year = cached(funding.public_summary, actor, **scope)
received = cached(funding.public_contributions, actor, **scope)
spent = cached(funding.public_disbursements, actor, **scope)


def total(column):
    return sum(per_year[column]) if not per_year.empty else None


kpi_row([
    Kpi(_("Published contributions"), total("received"), currency=REPORTING_CURRENCY),
    Kpi(_("of which in kind"), total("in_kind"), currency=REPORTING_CURRENCY),
    Kpi(_("Published disbursements"), total("disbursed"), currency=REPORTING_CURRENCY),
    Kpi(_("Published entries"), int(per_year["entries"].sum()) if not per_year.empty else None),
])
if not per_year.empty and per_year["unconverted"].sum():
    notes = sorted(set(received["rate_note"]) | set(spent["rate_note"]) - {""})
    st.warning(_("Some published amounts have no exchange rate and are left out of the dollar totals:")
               + "\n" + "\n".join(f"- {n}" for n in notes if n))

st.subheader(_("Per working group and year"))
if not per_year.empty:
    long = per_year.melt(id_vars=["group", "year"], value_vars=["received", "disbursed"], var_name="flow",
                         value_name="amount")
    long["amount"] = long["amount"].map(float)  # chart only: Vega-Lite draws numbers
    long["flow"] = long["flow"].map({"received": _("Received"), "disbursed": _("Disbursed")})
    long["year"] = long["year"].astype(str)
    charts.show(charts.bars(long, category="year", value="amount", colour="flow", horizontal=False, sort="ascending",
                            title=_("Published funding per year"), category_title=_("Year"),
                            value_title=_("Amount (USD)"), colour_title=_("Flow")), key="public_per_year")
headings = {"group": N_("Working group"), "year": N_("Year"), "received": N_("Received (USD)"),
            "in_kind": N_("of which in kind (USD)"), "disbursed": N_("Disbursed (USD)"),
            "entries": N_("Entries"), "unconverted": N_("Entries without a rate")}
table(per_year.rename(columns={c: _(h) for c, h in headings.items()}), name="published_funding_per_group_year",
      empty=_("Nothing has been published for these groups yet."))

tab_in, tab_out = st.tabs([_("Published contributions"), _("Published disbursements")])
with tab_in:
    table(headed(received, {
        "received_on": N_("Received on"), "group": N_("Working group"), "fund": N_("Fund"),
        "contributor": N_("Contributor"), "pillar": N_("Pillar"), "kind": N_("Form"), "amount": N_("Amount"),
        "currency": N_("Currency"), "value_usd": N_("Value (USD)"), "rate_note": N_("Conversion"),
        "earmarked": N_("Earmarked"), "earmark_purpose": N_("Earmarked for")}),
        name="published_contributions", empty=_("No published contributions."))
with tab_out:
    table(headed(spent, {
        "spent_on": N_("Spent on"), "group": N_("Working group"), "fund": N_("Fund"), "purpose": N_("Purpose"),
        "amount": N_("Amount"), "currency": N_("Currency"), "value_usd": N_("Value (USD)"),
        "rate_note": N_("Conversion"), "activity": N_("Activity"),
        "approved_by": N_("Approved by (organisation)")}),
        name="published_disbursements", empty=_("No published disbursements."))
