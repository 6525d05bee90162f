"""Funding writes: funds, contributions, disbursements and exchange rates.

Rules (db/money.py has the money decisions):
- Amounts are typed as text and parsed to Decimal, exact; more decimals than the currency's
  minor unit are refused with a message, never rounded.
- A contribution or disbursement in another currency than its fund's needs the exchange rate
  in force on its date; a missing one is refused naming the currency and date.
- A disbursement may not take the fund's cash balance below zero on its date or any later
  date; retiring a contribution may not either. The fund row is locked while the balance is
  checked, so two saves racing on one fund cannot overdraw it: PostgreSQL takes
  SELECT ... FOR UPDATE; SQLite has no row locks, so the transaction starts by bumping the
  fund's version with an UPDATE, which takes SQLite's single write lock before the balance is
  read (a second writer waits on the busy timeout, then reads the committed balance).
- HQ users record contributions of their own company and subsidiaries only, coordinators for
  their groups' funds, admins for all (db/permissions.authorize with the fund's group and the
  contributor). Contributions and disbursements are retired, never deleted."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable, Optional

import sqlalchemy as sa
from pydantic import field_validator, model_validator
from sqlmodel import Field, Session, select

from db import audit
from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.metrics.funding import fund_flows
from db.models import (
    Activity,
    CleanText,
    Contribution,
    Disbursement,
    ExchangeRate,
    Fund,
    FundCreate,
    Organisation,
    UpdateModel,
    WorkPlan,
    WorkPlanItem,
)
from db.money import CurrencyCode, OptionalCurrencyCode, RateBook, format_money, parse_amount, to_minor
from db.permissions import Action, Actor, authorize
from db.vocab import NAME_MAX, REPORTING_CURRENCY, TEXT_MAX, AuditAction, ContributionKind, SpendingPurpose
from db.writes.base import create_record, update_record, validated
from i18n import _

# Tests set this to widen the window between the balance check and the insert (race tests).
_after_balance_check: Callable[[], None] | None = None


# --------------------------------------------------------------------------- form models


class FundForm(FundCreate):
    """A new fund: FundCreate plus an ISO 4217 currency."""
    currency: CurrencyCode


class ContributionCreate(CleanText):
    """A contribution as a form hands it over: the amount is text, parsed exactly."""
    fund_id: int
    contributor_org_id: int
    kind: ContributionKind = ContributionKind.financial
    amount: str = Field(description="amount, or the in-kind support's estimated value, as typed")
    currency: CurrencyCode
    description: str = Field(default="", max_length=TEXT_MAX)
    received_on: date
    earmarked: bool = False
    earmark_purpose: str = Field(default="", max_length=NAME_MAX)
    published: bool = False

    @model_validator(mode="after")
    def _consistent(self):
        parse_amount_or_fail(self.amount, self.currency)
        if self.kind == ContributionKind.in_kind and len(self.description) < 3:
            raise ValueError("description: " + _("Describe the in-kind support (what was given)."))
        if self.earmarked and not self.earmark_purpose:
            raise ValueError("earmark_purpose: " + _("Say what the earmarked money is for."))
        if not self.earmarked and self.earmark_purpose:
            self.earmark_purpose = ""
        return self

    @property
    def exact_amount(self) -> Decimal:
        return parse_amount(self.amount, self.currency)


class DisbursementCreate(CleanText):
    """A disbursement as a form hands it over; the currency defaults to the fund's."""
    fund_id: int
    amount: str
    currency: OptionalCurrencyCode = None  # the fund's when none is given
    spent_on: date
    purpose: SpendingPurpose
    description: str = Field(default="", max_length=TEXT_MAX)
    activity_id: Optional[int] = None
    work_plan_item_id: Optional[int] = None
    approved_by_org_id: int
    approved_by_name: str = Field(default="", max_length=NAME_MAX)
    published: bool = False

    @model_validator(mode="after")
    def _amount(self):
        if self.currency:
            parse_amount_or_fail(self.amount, self.currency)
        return self


class RetiredOnly(UpdateModel):
    """Money once recorded is history: a stored contribution or disbursement only changes by
    being retired."""
    retired: Optional[bool] = None


class ContributionUpdate(RetiredOnly):
    stored_as = Contribution


class DisbursementUpdate(RetiredOnly):
    stored_as = Disbursement


class RateCreate(CleanText):
    currency: CurrencyCode
    rate_date: date
    rate: str = Field(description="units of the reporting currency one unit buys, as typed")

    @field_validator("currency")
    @classmethod
    def _not_the_reporting_currency(cls, code: str) -> str:
        if code == REPORTING_CURRENCY:
            raise ValueError(_("{code} is the reporting currency: its rate is always 1.").format(code=code))
        return code

    @field_validator("rate")
    @classmethod
    def _positive(cls, value: str) -> str:
        try:
            rate = Decimal(value.replace(" ", ""))
        except Exception:
            raise ValueError(_("Enter the rate as a number, for example 0.0821.")) from None
        if not rate.is_finite() or rate <= 0:
            raise ValueError(_("The rate must be more than zero."))
        if rate.as_tuple().exponent < -12 or len(str(rate)) > 30:
            raise ValueError(_("Use at most 12 decimals."))
        return str(rate)


def parse_amount_or_fail(text: str, currency: str) -> Decimal:
    try:
        return parse_amount(text, currency)
    except ValueError as error:
        raise ValueError("amount: " + str(error)) from None


# --------------------------------------------------------------------------- funds


def create_fund(actor: Actor, values: dict | FundForm) -> Fund:
    """A new fund of a working group (coordinators: their groups; admins: all)."""
    form = validated(FundForm, values)
    return create_record(actor, Action.edit_fund, Fund(**form.model_dump()), group_id=form.group_id)


# --------------------------------------------------------------------------- locking and balances


def _lock_fund(session: Session, fund_id: int) -> Fund:
    """Take the fund's row lock for this transaction before any balance is read."""
    if session.get_bind().dialect.name == "sqlite":
        result = session.execute(sa.update(Fund).where(Fund.id == fund_id).values(version=Fund.version + 1))
        if result.rowcount != 1:
            raise NotFound(_("That fund no longer exists."))
        fund = session.execute(select(Fund).where(Fund.id == fund_id)).scalar_one()
    else:
        fund = session.execute(select(Fund).where(Fund.id == fund_id).with_for_update()).scalar_one_or_none()
        if fund is None:
            raise NotFound(_("That fund no longer exists."))
    return fund


def _in_fund_currency(session: Session, amount: Decimal, currency: str, on: date, fund: Fund,
                      field: str) -> Decimal:
    """The amount in the fund's currency at the rate in force on `on`; refused by name if missing."""
    if currency == fund.currency:
        return amount
    book = RateBook.load(session, {currency, fund.currency})
    value, gap = book.try_convert(amount, currency, on, fund.currency)
    if gap:
        raise ValidationFailed({field: gap.message() + " " + _("Add the rate under Exchange rates first.")})
    return value


def _refuse_overdraft(session: Session, fund: Fund, outflow: Decimal, on: date, field: str) -> None:
    """Refuse if taking `outflow` on `on` leaves the fund below zero then or on any later date."""
    flows = fund_flows(session, fund.id)
    if flows.missing:
        gap = flows.missing[0]
        raise ValidationFailed({field: _("The fund's balance cannot be checked: {problem}").format(problem=gap.message())})
    lowest, lowest_on = flows.lowest_from(on)
    if _after_balance_check:
        _after_balance_check()
    if outflow > lowest:
        available = format_money(max(lowest, Decimal(0)), fund.currency)
        if lowest_on == on:
            message = _("This would take the fund below zero: the balance available on {date} is {available}.")
        else:
            message = _("This would take the fund below zero on {date}, when later spending leaves {available} available.")
        raise ValidationFailed({field: message.format(date=lowest_on.isoformat(), available=available)})


# --------------------------------------------------------------------------- contributions


def record_contribution(actor: Actor, values: dict | ContributionCreate) -> Contribution:
    """Record a contribution after the permission check (fund's group, contributor's company)."""
    form = validated(ContributionCreate, values)
    amount = form.exact_amount
    with session_scope() as s:
        fund = s.get(Fund, form.fund_id)
        if fund is None:
            raise ValidationFailed({"fund_id": _("Choose a fund.")})
        if s.get(Organisation, form.contributor_org_id) is None:
            raise ValidationFailed({"contributor_org_id": _("Choose the contributing organisation.")})
        authorize(actor, Action.edit_contribution, group_id=fund.group_id, company_id=form.contributor_org_id)
        if form.currency != fund.currency:
            _in_fund_currency(s, amount, form.currency, form.received_on, fund, "currency")
        # A rate to the reporting currency is needed for every figure; refuse without one.
        if form.currency != REPORTING_CURRENCY:
            gap = RateBook.load(s, {form.currency}).try_convert(amount, form.currency, form.received_on)[1]
            if gap:
                raise ValidationFailed({"currency": gap.message() + " " + _("Add the rate under Exchange rates first.")})
        record = Contribution(fund_id=fund.id, contributor_org_id=form.contributor_org_id, kind=form.kind.value,
                              amount_minor=to_minor(amount, form.currency), currency=form.currency,
                              description=form.description, received_on=form.received_on,
                              earmarked=form.earmarked, earmark_purpose=form.earmark_purpose,
                              published=form.published, recorded_by_user_id=actor.id)
        return create_record(actor, Action.edit_contribution, record, group_id=fund.group_id,
                             company_id=form.contributor_org_id, session=s)


def retire_contribution(actor: Actor, contribution_id: int, version: int) -> Contribution:
    """Retire (never delete) a contribution; refused if the fund would then be overdrawn."""
    with session_scope() as s:
        stored = s.get(Contribution, contribution_id)
        if stored is None:
            raise NotFound(_("That record no longer exists."))
        fund_id = stored.fund_id
        s.expunge(stored)
        fund = _lock_fund(s, fund_id)
        stored = s.get(Contribution, contribution_id)
        authorize(actor, Action.edit_contribution, group_id=fund.group_id, company_id=stored.contributor_org_id)
        if stored.kind == ContributionKind.financial and not stored.retired:
            from db.money import from_minor

            amount = _in_fund_currency(s, from_minor(stored.amount_minor, stored.currency), stored.currency,
                                       stored.received_on, fund, "form")
            _refuse_overdraft(s, fund, amount, stored.received_on, "form")
        return update_record(actor, Action.edit_contribution, Contribution, contribution_id, version,
                             ContributionUpdate(retired=True), company_of=lambda c: c.contributor_org_id, session=s)


# --------------------------------------------------------------------------- disbursements


def record_disbursement(actor: Actor, values: dict | DisbursementCreate) -> Disbursement:
    """Record a disbursement; refused if it would overdraw the fund then or later."""
    form = validated(DisbursementCreate, values)
    with session_scope() as s:
        exists = s.execute(select(Fund.group_id).where(Fund.id == form.fund_id)).first()
        if exists is None:
            raise ValidationFailed({"fund_id": _("Choose a fund.")})
        authorize(actor, Action.edit_disbursement, group_id=exists.group_id)
        s.rollback()  # end the read so the lock below is the transaction's first statement
        fund = _lock_fund(s, form.fund_id)
        currency = form.currency or fund.currency
        try:
            amount = parse_amount(form.amount, currency)
        except ValueError as error:
            raise ValidationFailed({"amount": str(error)}) from None
        _check_links(s, form, fund)
        if s.get(Organisation, form.approved_by_org_id) is None:
            raise ValidationFailed({"approved_by_org_id": _("Choose the organisation that approved it.")})
        outflow = _in_fund_currency(s, amount, currency, form.spent_on, fund, "currency")
        if currency != REPORTING_CURRENCY:
            gap = RateBook.load(s, {currency}).try_convert(amount, currency, form.spent_on)[1]
            if gap:
                raise ValidationFailed({"currency": gap.message() + " " + _("Add the rate under Exchange rates first.")})
        _refuse_overdraft(s, fund, outflow, form.spent_on, "amount")
        record = Disbursement(fund_id=fund.id, amount_minor=to_minor(amount, currency), currency=currency,
                              spent_on=form.spent_on, purpose=form.purpose.value, description=form.description,
                              activity_id=form.activity_id, work_plan_item_id=form.work_plan_item_id,
                              approved_by_org_id=form.approved_by_org_id, approved_by_name=form.approved_by_name,
                              published=form.published)
        return create_record(actor, Action.edit_disbursement, record, group_id=fund.group_id, session=s)


def _check_links(s: Session, form: DisbursementCreate, fund: Fund) -> None:
    if form.activity_id is not None:
        activity = s.get(Activity, form.activity_id)
        if activity is None or activity.group_id != fund.group_id:
            raise ValidationFailed({"activity_id": _("Choose an activity of the fund's working group.")})
    if form.work_plan_item_id is not None:
        group = s.execute(select(WorkPlan.group_id).join(WorkPlanItem, WorkPlanItem.work_plan_id == WorkPlan.id)
                          .where(WorkPlanItem.id == form.work_plan_item_id)).scalar_one_or_none()
        if group != fund.group_id:
            raise ValidationFailed({"work_plan_item_id": _("Choose a work plan item of the fund's working group.")})


def retire_disbursement(actor: Actor, disbursement_id: int, version: int) -> Disbursement:
    """Retire (never delete) a disbursement: it stays in the audit trail, out of every figure."""
    return update_record(actor, Action.edit_disbursement, Disbursement, disbursement_id, version,
                         DisbursementUpdate(retired=True))


# --------------------------------------------------------------------------- exchange rates


def save_exchange_rate(actor: Actor, values: dict | RateCreate) -> ExchangeRate:
    """Add the rate for a currency and date, or replace the stored one (both audited).
    Admins only: every group's figures use the same rates (db/permissions.py)."""
    form = validated(RateCreate, values)
    rate = Decimal(form.rate)
    with session_scope() as s:
        authorize(actor, Action.edit_exchange_rate)
        stored = s.execute(select(ExchangeRate).where(ExchangeRate.currency == form.currency,
                                                      ExchangeRate.rate_date == form.rate_date)).scalar_one_or_none()
        if stored is None:
            return create_record(actor, Action.edit_exchange_rate,
                                 ExchangeRate(currency=form.currency, rate_date=form.rate_date, rate=rate), session=s)
        before = audit.snapshot(stored)
        stored.rate = rate
        s.add(stored)
        s.flush()
        audit.record(s, actor, AuditAction.update, ExchangeRate.__tablename__, stored.id,
                     before=before, after=audit.snapshot(stored))
        return stored
