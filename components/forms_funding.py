"""Data entry forms for funding: record a contribution, record a disbursement, create a fund,
maintain exchange rates, retire an entry made by mistake. Amounts are typed as text and saved exactly (db/writes/funding.py);
HQ users see only their own company's organisations as contributors, coordinators only their
groups' funds."""
from __future__ import annotations

import streamlit as st

from components.data import cached
from components.forms import FormErrors, Opened, pick_record, saving, vocab_select
from components.tables import table
from db.errors import ValidationFailed
from db.money import currency_options, format_money
from db.periods import today
from db.permissions import Action, Actor, can
from db.reads import funding as reads
from db.reads.common import groups, organisations
from db.vocab import NAME_MAX, TEXT_MAX, ContributionKind, FundKind, SpendingPurpose, label, values
from db.writes import funding as writes
from i18n import _

FUND_CURRENCY = ""  # the currency choice meaning "the fund's own currency"


def render(actor: Actor) -> None:
    parts = []
    if can(actor, Action.edit_contribution):
        parts.append((_("Contribution"), contribution_form))
    if can(actor, Action.edit_disbursement):
        parts.append((_("Disbursement"), disbursement_form))
    if can(actor, Action.edit_fund):
        parts.append((_("New fund"), fund_form))
    if can(actor, Action.edit_exchange_rate):
        parts.append((_("Exchange rates"), rate_form))
    if can(actor, Action.edit_contribution) or can(actor, Action.edit_disbursement):
        parts.append((_("Retire an entry"), retire_form))
    if not parts:
        st.info(_("Your role has nothing to enter here."))
        return
    choice = st.segmented_control(_("What to record"), [p[0] for p in parts], default=parts[0][0], key="ff_part")
    for title, draw in parts:
        if title == (choice or parts[0][0]):
            draw(actor)


def _fund_names(funds) -> dict[int, str]:
    return {int(i): f"{n} ({g}, {c})" for i, n, g, c in zip(funds["id"], funds["name"], funds["group"], funds["currency"])}


def _currency_label(code: str) -> str:
    return _("The fund's currency") if code == FUND_CURRENCY else code


def _amount_and_currency(errors: FormErrors, amount_label: str, placeholder: str, *, key: str):
    """The amount and currency fields of a money form, each with its message; returns both and
    the row's third column for the date."""
    left, middle, right = st.columns([2, 1, 1])
    amount = left.text_input(amount_label, key=f"{key}_amount", placeholder=placeholder)
    with left:
        errors.field("amount")
    currency = middle.selectbox(_("Currency"), [FUND_CURRENCY, *currency_options()], format_func=_currency_label,
                                key=f"{key}_currency")
    with middle:
        errors.field("currency")
    return amount, currency, right


def contribution_form(actor: Actor) -> None:
    funds = cached(reads.fund_options, actor)
    contributors = cached(reads.contributor_options, actor)
    if funds.empty:
        st.info(_("There is no fund to record against yet."))
        return
    if contributors.empty:
        st.info(_("Your user is not linked to a company; ask an administrator to set your organisation."))
        return
    fund_names = _fund_names(funds)
    org_names = dict(zip(contributors["id"], contributors["name"]))
    errors = FormErrors("contribution")
    with st.form("ff_contribution"):
        left, right = st.columns(2)
        fund_id = pick_record(left, _("Fund"), fund_names, key="ffc_fund",
                                 index=None, placeholder=_("Choose a fund"))
        with left:
            errors.field("fund_id")
        org_id = pick_record(right, _("Contributor"), org_names, key="ffc_org",
                                 index=None if len(org_names) > 1 else 0, placeholder=_("Choose the organisation"))
        with right:
            errors.field("contributor_org_id")
        kind = st.radio(_("Form"), values(ContributionKind), format_func=label, horizontal=True, key="ffc_kind")
        amount, currency, right = _amount_and_currency(errors, _("Amount (in-kind: estimated value)"), "1250.00",
                                                       key="ffc")
        received_on = right.date_input(_("Received on"), value=today(), key="ffc_date", format="YYYY-MM-DD")
        description = st.text_area(_("Description (for in-kind support: what was given)"), max_chars=TEXT_MAX,
                                   key="ffc_description")
        errors.field("description")
        left, right = st.columns([1, 2])
        earmarked = left.checkbox(_("Earmarked"), key="ffc_earmarked")
        purpose = right.text_input(_("Earmarked for"), max_chars=NAME_MAX, key="ffc_purpose")
        with right:
            errors.field("earmark_purpose")
        published = st.checkbox(_("Publish on the public transparency view"), key="ffc_published")
        errors.form_level()
        if st.form_submit_button(_("Record contribution"), type="primary"):
            fund_currency = funds.set_index("id")["currency"].get(fund_id) if fund_id is not None else "USD"
            with saving(errors, _("Contribution recorded.")):
                if fund_id is None or org_id is None:
                    raise ValidationFailed({"fund_id" if fund_id is None else "contributor_org_id":
                                            _("Choose a fund.") if fund_id is None else _("Choose the contributing organisation.")})
                writes.record_contribution(actor, {
                    "fund_id": int(fund_id), "contributor_org_id": int(org_id), "kind": kind, "amount": amount,
                    "currency": currency or fund_currency, "description": description, "received_on": received_on,
                    "earmarked": earmarked, "earmark_purpose": purpose, "published": published})


def disbursement_form(actor: Actor) -> None:
    funds = cached(reads.fund_options, actor)
    if funds.empty:
        st.info(_("There is no fund of your working groups to spend from yet."))
        return
    fund_names = _fund_names(funds)
    fund_id = pick_record(st, _("Fund"), fund_names, key="ffd_fund")
    group_id = int(funds.set_index("id").loc[fund_id, "group_id"])
    activities, items = reads.group_links(group_id)
    activity_names = dict(zip(activities["id"], activities["title"]))
    item_names = dict(zip(items["id"], items["title"]))
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"]))
    errors = FormErrors("disbursement")
    with st.form(f"ff_disbursement_{fund_id}"):
        amount, currency, right = _amount_and_currency(errors, _("Amount"), "500.00", key="ffd")
        spent_on = right.date_input(_("Spent on"), value=today(), key="ffd_date", format="YYYY-MM-DD")
        purpose = vocab_select(st, _("Purpose"), SpendingPurpose, key="ffd_purpose")
        left, right = st.columns(2)
        activity_id = pick_record(left, _("Activity (optional)"), activity_names, index=None, key="ffd_activity", placeholder=_("None"))
        with left:
            errors.field("activity_id")
        item_id = pick_record(right, _("Work plan item (optional)"), item_names, index=None, key="ffd_item", placeholder=_("None"))
        with right:
            errors.field("work_plan_item_id")
        left, right = st.columns(2)
        approver = pick_record(left, _("Approved by (organisation)"), org_names, index=None, key="ffd_approver", placeholder=_("Choose the organisation"))
        with left:
            errors.field("approved_by_org_id")
        approver_name = right.text_input(_("Approved by (name, never shown publicly)"), max_chars=NAME_MAX,
                                         key="ffd_approver_name")
        description = st.text_area(_("Description"), max_chars=TEXT_MAX, key="ffd_description")
        published = st.checkbox(_("Publish on the public transparency view"), key="ffd_published")
        errors.form_level()
        if st.form_submit_button(_("Record disbursement"), type="primary"):
            with saving(errors, _("Disbursement recorded.")):
                if approver is None:
                    raise ValidationFailed({"approved_by_org_id": _("Choose the organisation that approved it.")})
                writes.record_disbursement(actor, {
                    "fund_id": int(fund_id), "amount": amount, "currency": currency or None, "spent_on": spent_on,
                    "purpose": purpose, "description": description, "activity_id": activity_id,
                    "work_plan_item_id": item_id, "approved_by_org_id": int(approver),
                    "approved_by_name": approver_name, "published": published})


def fund_form(actor: Actor) -> None:
    options = cached(groups, actor, editable_for=Action.edit_fund)
    if options.empty:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return
    group_names = dict(zip(options["id"], options["name"]))
    orgs = organisations()
    org_names = dict(zip(orgs["id"], orgs["name"]))
    errors = FormErrors("fund")
    with st.form("ff_fund"):
        left, right = st.columns(2)
        group_id = pick_record(left, _("Working group"), group_names, key="fff_group")
        name = right.text_input(_("Name"), max_chars=NAME_MAX, key="fff_name")
        with right:
            errors.field("name")
        left, middle, right = st.columns(3)
        kind = vocab_select(left, _("Kind"), FundKind, key="fff_kind")
        currency = middle.selectbox(_("Currency"), currency_options(), key="fff_currency")
        with middle:
            errors.field("currency")
        administrator = pick_record(right, _("Administrator"), org_names, index=None,
                                        key="fff_admin", placeholder=_("Choose the organisation"))
        notes = st.text_area(_("Governance notes"), max_chars=TEXT_MAX, key="fff_notes",
                             help=_("Who decides on spending, how the group sees the accounts, audits."))
        errors.form_level()
        if st.form_submit_button(_("Create fund"), type="primary"):
            with saving(errors, _("Fund created.")):
                writes.create_fund(actor, {"group_id": int(group_id), "name": name, "kind": kind, "currency": currency,
                                           "administrator_org_id": None if administrator is None else int(administrator),
                                           "governance_notes": notes})


def rate_form(actor: Actor) -> None:
    errors = FormErrors("rate")
    st.caption(_("A rate says how many US dollars one unit of the currency buys. It stays in force for up to "
                 "31 days; after that, amounts on later dates count as having no rate until a new one is added."))
    with st.form("ff_rate"):
        left, middle, right = st.columns(3)
        currency = left.selectbox(_("Currency"), currency_options()[1:], key="ffr_currency")
        with left:
            errors.field("currency")
        rate_date = middle.date_input(_("Rate date"), value=today(), key="ffr_date", format="YYYY-MM-DD")
        rate = right.text_input(_("US dollars per unit"), key="ffr_rate", placeholder="0.0825")
        with right:
            errors.field("rate")
        errors.form_level()
        if st.form_submit_button(_("Save rate"), type="primary"):
            with saving(errors, _("Exchange rate saved.")):
                writes.save_exchange_rate(actor, {"currency": currency, "rate_date": rate_date, "rate": rate})
    table(cached(reads.exchange_rates, actor).rename(columns={
        "currency": _("Currency"), "rate_date": _("Rate date"), "rate": _("US dollars per unit"),
        "reporting_currency": _("Reporting currency")}), name="exchange_rates", empty=_("No exchange rates yet."))


def retire_form(actor: Actor) -> None:
    """Retire a contribution or disbursement entered by mistake: it stays in the database and
    the audit log, but leaves every total and ledger (db/writes/funding.py)."""
    kinds = [kind for kind, action in (("contribution", Action.edit_contribution),
                                       ("disbursement", Action.edit_disbursement)) if can(actor, action)]
    names = {"contribution": _("Contribution"), "disbursement": _("Disbursement")}
    what = (st.radio(_("Entry to retire"), kinds, format_func=names.get, horizontal=True, key="ffx_what")
            if len(kinds) > 1 else kinds[0])
    if what == "disbursement":
        entries = cached(reads.retirable_disbursements, actor)
        labels = [f"{on.isoformat()} · {format_money(amount, currency)} · {label(party)} · {fund}"
                  for on, fund, party, amount, currency in
                  zip(entries["spent_on"], entries["fund"], entries["purpose"], entries["amount"], entries["currency"])]
        retire, done, button = writes.retire_disbursement, _("Disbursement retired."), _("Retire disbursement")
    else:
        entries = cached(reads.retirable_contributions, actor)
        labels = [f"{on.isoformat()} · {format_money(amount, currency)} · {party} · {fund}"
                  for on, fund, party, amount, currency in zip(entries["received_on"], entries["fund"],
                                                               entries["contributor"], entries["amount"],
                                                               entries["currency"])]
        retire, done, button = writes.retire_contribution, _("Contribution retired."), _("Retire contribution")
    if entries.empty:
        st.info(_("Nothing you may retire has been recorded yet."))
        return
    key = f"ffx_{what}"
    # Amount first: a long fund name cuts the label short. Picked outside the form, so that the
    # version saved against is the one shown when this entry was chosen.
    record_id = pick_record(st, names[what], dict(zip(entries["id"], labels)), key=key,
                            help=_("The newest {n} entries you may change, newest first.").format(n=reads.RETIRE_OPTIONS))
    errors = FormErrors(key)
    opened = Opened(what, f"{key}_sure")
    version = opened.version(record_id, int(entries.set_index("id").loc[record_id, "version"]))
    with st.form(f"{key}_form"):
        st.caption(_("For an entry recorded by mistake or twice. It is kept in the database and the audit log, "
                     "but leaves the totals, the ledgers and the transparency view. Record the right one afresh."))
        sure = st.checkbox(_("Yes, retire this entry"), key=f"{key}_sure")
        errors.field("confirm")
        errors.form_level()
        submitted = st.form_submit_button(button)
    if submitted:
        with saving(errors, done, opened):
            if not sure:
                raise ValidationFailed({"confirm": _("Tick the box to confirm.")})
            retire(actor, int(record_id), version)
            del st.session_state[key]  # the retired entry is no longer an option
