"""Funding: where the money and in-kind support come from and where they go, per group and
overall; with `?id=` one fund's ledger."""
import streamlit as st

from components import funding_views as views
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.url import ids_param
from db.metrics import funding as funding_metrics
from db.permissions import Action
from db.reads import funding
from i18n import _

actor = require(Action.view_funding)

fund_id = next(iter(ids_param("id")), None)
if fund_id is not None:
    views.fund_page(actor, fund_id)
    st.stop()

page_header(_("Funding"), _("Where the money and in-kind support come from and where they go. "
                            "Amounts in US dollars at the rate in force on each date; original amounts alongside."))
filters = filter_bar(actor, key="funding")
scope = {"group_ids": filters.group_ids, "countries": filters.countries}
figures = cached(funding_metrics.summary, actor, **scope, period=filters.period)
views.missing_rates_notice(figures.missing)
views.rates_running_out_notice(actor)
views.headline(figures)
views.neutrality_notice(figures.neutrality)
views.received_charts(figures)
views.spending_charts(figures)
views.funds_table(cached(funding.funds, actor, **scope))
views.ledgers(cached(funding.contributions_shown, actor, **scope, period=filters.period),
              cached(funding.disbursements_shown, actor, **scope, period=filters.period))
