"""A new deployment's setup checklist, answered from the data: which of the steps that make the
dashboard useful are done. Admins only (SETUP_ACTION)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col, select

from db.engine import session_scope
from db.models import (
    ExchangeRate,
    Fund,
    Membership,
    Organisation,
    Site,
    User,
    UserGroup,
    WorkingGroup,
)
from db.permissions import Action, Actor, authorize
from db.reads.funding import currencies_in_use
from db.vocab import REPORTING_CURRENCY

# Setting up a deployment is the system owner's job, like managing its accounts.
SETUP_ACTION = Action.manage_users


class Step(StrEnum):
    organisations = "organisations"
    sites = "sites"
    groups = "groups"
    members = "members"
    users = "users"    # a coordinator assigned to a group: someone besides the admin enters data
    fund = "fund"
    rates = "rates"    # a rate for every currency in use other than the reporting currency


@dataclass(frozen=True)
class StepState:
    step: Step
    done: bool
    missing_rates: tuple[str, ...] = ()  # currencies in use that have no exchange rate yet


def checklist(actor: Actor) -> list[StepState]:
    """Each step in order, done or not."""
    authorize(actor, SETUP_ACTION)
    assigned = (select(UserGroup.user_id).join(User, col(User.id) == col(UserGroup.user_id))
                .where(col(User.active).is_(True)))
    flags = select(sa.exists(select(Organisation.id)), sa.exists(select(Site.id)), sa.exists(select(WorkingGroup.id)),
                   sa.exists(select(Membership.id)), sa.exists(assigned), sa.exists(select(Fund.id)))
    in_use = currencies_in_use()
    missing = (select(in_use.c.currency)
               .where(in_use.c.currency != REPORTING_CURRENCY,
                      in_use.c.currency.not_in(select(ExchangeRate.currency).distinct()))
               .order_by(in_use.c.currency))
    with session_scope() as s:
        organisations, sites, groups, members, users, fund = (bool(flag) for flag in s.execute(flags).one())
        missing_rates = tuple(s.execute(missing).scalars())
    return [StepState(Step.organisations, organisations), StepState(Step.sites, sites),
            StepState(Step.groups, groups), StepState(Step.members, members), StepState(Step.users, users),
            StepState(Step.fund, fund),
            # Rates are for the funds' money: nothing to convert before there is a fund.
            StepState(Step.rates, fund and not missing_rates, missing_rates)]
