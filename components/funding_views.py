"""The Funding page's and the transparency view's building blocks: headline tiles, the
neutrality flag, charts, ledgers and the fund page. Money stays Decimal until a chart needs
a number to draw."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from components import charts
from components.data import cached
from components.header import page_header
from components.kpi import Kpi, compact_money, kpi_row
from components.links import page_link
from components.tables import table
from components.text import md
from components.url import open_record
from db.money import format_money
from db.permissions import Action, Actor, can
from db.reads import funding
from db.vocab import NEUTRALITY_THRESHOLD, PILLAR_COLOURS, REPORTING_CURRENCY, label
from i18n import N_, _, numbers


def usd(value: Decimal | None) -> str | None:
    """Compact for a tile ($9.8M); the exact figure is in the tables below."""
    if value is None:
        return None
    return compact_money(value, REPORTING_CURRENCY)


def share(value: Decimal | None) -> str | None:
    return None if value is None else numbers.percent(float(value))


def missing_rates_notice(missing: list) -> None:
    """Name each missing exchange rate: the figures below leave those entries out."""
    if not missing:
        return
    lines = "\n".join(f"- {gap.message()}" for gap in missing[:10])
    more = _("...and {n} more.").format(n=len(missing) - 10) if len(missing) > 10 else ""
    st.warning(_("Some amounts could not be converted to {currency}, so the figures below leave them out:")
               .format(currency=REPORTING_CURRENCY) + "\n" + lines + ("\n" + more if more else ""),
               icon=":material/currency_exchange:")


def rates_running_out_notice(actor: Actor) -> None:
    """Name each currency in use whose exchange rate runs out within the week, and from when."""
    running_out = cached(funding.rates_running_out, actor)
    if not running_out:
        return
    lines = "\n".join(
        "- " + (_("{currency}: no rate stored").format(currency=r.currency) if r.latest is None else
                _("{currency}: no rate in force from {date} (latest rate {latest})").format(
                    currency=r.currency, date=numbers.day(r.lacks_from), latest=numbers.day(r.latest)))
        for r in running_out)
    st.warning(_("These currencies will lack an exchange rate within {days} days, and their amounts will be "
                 "left out of the figures:").format(days=funding.RATE_WARNING_DAYS) + "\n" + lines,
               icon=":material/currency_exchange:")
    if can(actor, Action.edit_exchange_rate):
        left, right, _rest = st.columns([1, 1, 2])
        page_link("pages/data_entry.py", _("Add a rate"), icon=":material/edit_note:",
                  query_params={"section": "funding"}, container=left)
        page_link("pages/data_entry.py", _("Import rates from a file"), icon=":material/upload:",
                  query_params={"section": "import"}, container=right)
    else:
        st.caption(_("An administrator adds the exchange rates."))


def headline(figures) -> None:
    kpi_row([
        Kpi(_("Received"), usd(figures.total_received), help=_("Cash and in-kind (estimated value) received in the period.")),
        Kpi(_("Disbursed"), usd(figures.total_disbursed), help=_("Spent from the funds in the period.")),
        Kpi(_("Disbursed of cash received"), share(figures.disbursed_to_received),
            help=_("Disbursements divided by cash received in the period (in-kind support cannot be spent).")),
        Kpi(_("Cash balance"), usd(figures.cash_balance),
            help=_("Cash received minus disbursed up to the end of the period; in-kind support is not cash.")),
    ])
    kpi_row([
        Kpi(_("In-kind share"), share(figures.in_kind_share), help=_("In-kind support as a share of all contributions.")),
        Kpi(_("Earmarked share"), share(figures.earmarked_share), help=_("Contributions tied to a purpose.")),
        Kpi(_("Published"), share(figures.published_share), help=_("Share of contributions (by number) shown on the public transparency view.")),
        Kpi(_("Groups at neutrality risk"), at_risk_count(figures.neutrality),
            help=_("Working groups in this view that get more than 50% of their contributions, or of one fund's, "
                   "from one funder (in-kind included, a company counted with its subsidiaries).")),
    ])


def at_risk_count(judged: pd.DataFrame) -> str | None:
    """ "2 of 5": groups with a group or fund row at risk, of the groups that received anything."""
    if judged.empty:
        return None
    risky = judged.loc[judged["at_risk"].astype(bool), "group_id"].nunique()
    return _("{count} of {total}").format(count=risky, total=judged["group_id"].nunique())


def neutrality_notice(judged: pd.DataFrame) -> None:
    """Per group and fund (db/metrics/funding.neutrality): list those that get more than half
    from one funder, or say that none does and which comes closest."""
    if judged.empty:
        return
    limit = numbers.percent(NEUTRALITY_THRESHOLD)
    at_risk = judged[judged["at_risk"].astype(bool)]
    if at_risk.empty:
        closest = judged.sort_values("share", ascending=False, kind="stable").iloc[0]
        st.success(_("No working group or fund in this view gets more than {limit} of its contributions from one "
                     "funder (a company counted with its subsidiaries). The closest: {where}, {share} from {funder}.")
                   .format(limit=limit, where=md(_where(closest)), share=share(closest["share"]),
                           funder=md(closest["funder"])), icon=":material/balance:")
        return
    st.warning(_("Neutrality risk in {count} of {total} working groups: one funder gives more than {limit} of the "
               "contributions of the group or of one of its funds (a company counted with its subsidiaries). "
               "A group funded mostly by one member may not be seen as neutral.")
             .format(count=at_risk["group_id"].nunique(), total=judged["group_id"].nunique(), limit=limit),
             icon=":material/balance:")
    shown = pd.DataFrame({"group": at_risk["group"], "fund": [_("All funds") if f is None else f for f in at_risk["fund"]],
                          "funder": at_risk["funder"], "share": [float(s) for s in at_risk["share"]]})
    table(shown, name="neutrality_risks", column_config={
        "group": st.column_config.TextColumn(_("Working group")), "fund": st.column_config.TextColumn(_("Fund")),
        "funder": st.column_config.TextColumn(_("Largest funder")),
        "share": st.column_config.ProgressColumn(_("Share of contributions"), format="percent", min_value=0, max_value=1)})


def _where(row) -> str:
    return row["group"] if row["fund"] is None else f"{row['group']} · {row['fund']}"


def _numbers(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A chart-only copy with Decimal money as floats (Vega-Lite draws numbers)."""
    shown = frame.copy()
    for column in columns:
        shown[column] = shown[column].map(lambda v: None if v is None else float(v))
    return shown


def received_charts(figures) -> None:
    left, right = st.columns(2)
    with left:
        if figures.by_pillar.empty:
            charts.empty_state(_("No contributions in this period."))
        else:
            shown = charts.labelled(_numbers(figures.by_pillar[["pillar", "total"]], "total"), "pillar")
            charts.show(charts.bars(shown, category="pillar", value="total", colour="pillar", colours=PILLAR_COLOURS,
                                    title=_("Received by contributor pillar (cash and in kind)"),
                                    category_title=_("Pillar"), value_title=_("Received (USD)"),
                                    colour_title=_("Pillar"), height=200), key="by_pillar")
            table(headed(figures.by_pillar, {"pillar": N_("Pillar"), "cash": N_("Cash (USD)"),
                                             "in_kind": N_("In kind (USD)"), "total": N_("Total (USD)")}),
                  name="received_by_pillar", downloads=False)
    with right:
        top = figures.by_contributor.head(12)
        if top.empty:
            charts.empty_state(_("No contributions in this period."))
        else:
            shown = charts.labelled(_numbers(top, "total"), "pillar")
            charts.show(charts.bars(shown, category="contributor", value="total", colour="pillar",
                                    colours=PILLAR_COLOURS, title=_("Largest contributors"),
                                    category_title=_("Contributor"), value_title=_("Received (USD)"),
                                    colour_title=_("Pillar")), key="by_contributor")
    balance = figures.balance_over_time
    if not balance.empty:
        charts.show(charts.lines(_numbers(balance, "balance"), x="month", y="balance",
                                 title=_("Cash balance at each month's end"), x_title=_("Month"),
                                 y_title=_("Balance (USD)")), key="balance")


def spending_charts(figures) -> None:
    st.subheader(_("Spending"))
    left, right = st.columns(2)
    with left:
        if figures.by_purpose.empty:
            charts.empty_state(_("No disbursements in this period."))
        else:
            shown = charts.labelled(_numbers(figures.by_purpose, "amount"), "purpose")
            charts.show(charts.bars(shown, category="purpose", value="amount", title=_("Spending by purpose"),
                                    category_title=_("Purpose"), value_title=_("Disbursed (USD)")), key="by_purpose")
    with right:
        tab_items, tab_activities = st.tabs([_("Against work plan items"), _("Against activities")])
        with tab_items:
            table(figures.by_work_item.drop(columns=["id"]).rename(columns={"work_item": _("Work plan item"),
                                                                            "amount": _("Disbursed (USD)")}),
                  name="spending_by_work_item", empty=_("No disbursement in this period names a work plan item."))
        with tab_activities:
            table(figures.by_activity.drop(columns=["id"]).rename(columns={"activity": _("Activity"),
                                                                           "amount": _("Disbursed (USD)")}),
                  name="spending_by_activity", empty=_("No disbursement in this period names an activity."))


def funds_table(frame: pd.DataFrame) -> None:
    st.subheader(_("Funds"))
    st.caption(_("Select a fund to open its ledger."))
    shown = frame.assign(kind=frame["kind"].map(label))
    shown = shown[["fund", "group", "kind", "administrator", "currency", "balance"]].rename(columns={
        "fund": _("Fund"), "group": _("Working group"), "kind": _("Kind"), "administrator": _("Administrator"),
        "currency": _("Currency"), "balance": _("Cash balance (fund currency)")})
    picked = table(shown, name="funds", selectable=True, empty=_("No fund has been set up yet."))
    if picked is not None:
        open_record("id", int(frame.iloc[picked]["id"]))


CONTRIBUTION_HEADINGS = {
    "received_on": N_("Received on"), "group": N_("Working group"), "fund": N_("Fund"),
    "contributor": N_("Contributor"), "pillar": N_("Pillar"), "kind": N_("Form"), "amount": N_("Amount"),
    "currency": N_("Currency"), "value_usd": N_("Value (USD)"), "rate_note": N_("Conversion"), "earmarked": N_("Earmarked"),
    "earmark_purpose": N_("Earmarked for"), "published": N_("Published"), "description": N_("Description"),
}
DISBURSEMENT_HEADINGS = {
    "spent_on": N_("Spent on"), "group": N_("Working group"), "fund": N_("Fund"), "purpose": N_("Purpose"), "amount": N_("Amount"),
    "currency": N_("Currency"), "value_usd": N_("Value (USD)"), "rate_note": N_("Conversion"), "activity": N_("Activity"),
    "work_item": N_("Work plan item"), "approved_by": N_("Approved by (organisation)"), "approved_by_name": N_("Approved by"),
    "published": N_("Published"), "description": N_("Description"),
}


def headed(frame: pd.DataFrame, headings: dict[str, str], vocab_columns=("pillar", "kind", "purpose")) -> pd.DataFrame:
    """Display copy: vocabulary values labelled, columns headed in the user's language."""
    shown = frame[[c for c in headings if c in frame.columns]].copy()
    for column in vocab_columns:
        if column in shown:  # label each distinct value once, not every row
            shown[column] = shown[column].map({v: label(v) for v in shown[column].dropna().unique()})
    return shown.rename(columns={c: _(h) for c, h in headings.items()})


def ledgers(contributions: tuple[pd.DataFrame, int], disbursements: tuple[pd.DataFrame, int]) -> None:
    """The newest contributions and disbursements (as read, capped) with how many there are."""
    (received, received_total), (spent, spent_total) = contributions, disbursements
    st.subheader(_("Contributions and disbursements"))
    tab_in, tab_out = st.tabs([_("Contributions ({n})").format(n=numbers.number(received_total)),
                               _("Disbursements ({n})").format(n=numbers.number(spent_total))])
    with tab_in:
        table(headed(received, CONTRIBUTION_HEADINGS), name="contributions", total=received_total,
              empty=_("No contributions in this period."))
    with tab_out:
        table(headed(spent, DISBURSEMENT_HEADINGS), name="disbursements", total=spent_total,
              empty=_("No disbursements in this period."))


# --------------------------------------------------------------------------- one fund


def fund_page(actor, fund_id: int) -> None:
    detail = cached(funding.fund_detail, actor, fund_id)
    if st.button(_("Back to all funds"), icon=":material/arrow_back:"):
        open_record("id", None)
    if detail is None:
        page_header(_("Fund"))
        st.warning(_("This fund does not exist (any more)."))
        return
    page_header(detail.name, _("{kind} of {group}, kept in {currency}.").format(
        kind=label(detail.kind), group=detail.group, currency=detail.currency))
    missing_rates_notice(detail.missing)
    kpi_row([
        Kpi(_("Cash balance"), None if detail.balance is None else format_money(detail.balance, detail.currency)),
        Kpi(_("Administrator"), detail.administrator or _("not recorded")),
        Kpi(_("Entries"), len(detail.ledger)),
    ])
    st.markdown("**" + _("Governance notes") + "**")
    st.text(detail.governance_notes or _("No governance notes recorded."))
    if not detail.ledger.empty:
        cash = detail.ledger[detail.ledger["balance"].notna()].drop_duplicates("date", keep="last")
        if not cash.empty:
            charts.show(charts.lines(_numbers(cash, "balance"), x="date", y="balance",
                                     title=_("Cash balance over time"), x_title=_("Date"),
                                     y_title=_("Balance ({currency})").format(currency=detail.currency)),
                        key="fund_balance")
    ledger = detail.ledger.assign(entry=detail.ledger["entry"].map(lambda e: _("Contribution") if e == "contribution" else _("Disbursement")),
                                  party=[label(p) if e == "disbursement" else p
                                         for p, e in zip(detail.ledger["party"], detail.ledger["entry"])],
                                  kind=detail.ledger["kind"].map(label))
    headings = {"date": N_("Date"), "entry": N_("Entry"), "party": N_("Contributor or purpose"), "kind": N_("Form"),
                "amount": N_("Amount"), "currency": N_("Currency"),
                "in_fund_currency": _("In {currency}").format(currency=detail.currency),
                "balance": _("Balance ({currency})").format(currency=detail.currency), "published": N_("Published"),
                "description": N_("Description"), "note": N_("Conversion")}
    st.caption(_("In-kind support is listed but does not change the cash balance."))
    table(ledger.rename(columns={c: _(h) for c, h in headings.items()}), name=f"fund_{fund_id}_ledger",
          empty=_("Nothing has been received or spent yet."))
