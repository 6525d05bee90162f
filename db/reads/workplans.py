"""Reads for work plans and their items. Plans and adopted items are part of the working-group
page every role sees (view_groups); pending proposals only for whoever decides them."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import Organisation, WorkPlan, WorkPlanItem
from db.periods import today
from db.permissions import Action, Actor, authorize, can, group_scope
from db.vocab import Proposal, WorkItemStatus
from i18n import _

PLAN_COLUMNS = ["id", "group_id", "title", "period_start", "period_end", "version"]
ITEM_COLUMNS = ["id", "version", "work_plan_id", "title", "kind", "owner_org_id", "owner", "due_on",
                "status", "progress", "proposal", "overdue"]


def plans(actor: Actor, group_ids: list[int] | tuple[int, ...] | None = None) -> pd.DataFrame:
    """Work plans, newest period first."""
    authorize(actor, Action.view_groups)
    query = select(WorkPlan.id, WorkPlan.group_id, WorkPlan.title, WorkPlan.period_start,
                   WorkPlan.period_end, WorkPlan.version).order_by(WorkPlan.period_start.desc())
    if group_ids is not None:
        query = query.where(WorkPlan.group_id.in_(list(group_ids) or [-1]))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)], columns=PLAN_COLUMNS)


def current_plan(actor: Actor, group_id: int, as_of: date | None = None) -> dict | None:
    """The plan whose period holds the as-of date, else the most recent one started."""
    as_of = as_of or today()
    frame = plans(actor, [group_id])
    if frame.empty:
        return None
    holding = frame[(frame["period_start"] <= as_of) & (frame["period_end"] >= as_of)]
    started = frame[frame["period_start"] <= as_of]
    chosen = holding if not holding.empty else (started if not started.empty else frame)
    return chosen.iloc[0].to_dict()


def items(actor: Actor, plan_id: int, *, proposals: tuple[str, ...] = (Proposal.adopted.value,),
          as_of: date | None = None) -> pd.DataFrame:
    """A plan's items with owner and whether each is overdue (due before the as-of date and
    neither done nor cancelled)."""
    authorize(actor, Action.view_groups)
    as_of = as_of or today()
    overdue = sa.case((sa.and_(WorkPlanItem.due_on.is_not(None), WorkPlanItem.due_on < as_of,
                               WorkPlanItem.status.not_in([WorkItemStatus.done.value, WorkItemStatus.cancelled.value])),
                       True), else_=False)
    query = (select(WorkPlanItem.id, WorkPlanItem.version, WorkPlanItem.work_plan_id, WorkPlanItem.title,
                    WorkPlanItem.kind, WorkPlanItem.owner_org_id, Organisation.name, WorkPlanItem.due_on,
                    WorkPlanItem.status, WorkPlanItem.progress, WorkPlanItem.proposal, overdue)
             .outerjoin(Organisation, Organisation.id == WorkPlanItem.owner_org_id)
             .where(WorkPlanItem.work_plan_id == plan_id, WorkPlanItem.proposal.in_(list(proposals)))
             .order_by(WorkPlanItem.due_on.is_(None), WorkPlanItem.due_on, WorkPlanItem.id))
    with session_scope() as s:
        frame = pd.DataFrame([tuple(r) for r in s.execute(query)], columns=ITEM_COLUMNS)
    frame["overdue"] = frame["overdue"].astype(bool)
    return frame


def pending_proposals(actor: Actor, group_ids: list[int] | tuple[int, ...]) -> pd.DataFrame:
    """Items HQ users proposed that wait for a decision, in the given groups' plans (for a
    coordinator, those of the given groups that are theirs)."""
    if not can(actor, Action.decide_proposal):
        raise PermissionDenied(_("Your role may not decide on proposed work plan items."))
    scope = group_scope(actor, Action.decide_proposal)
    group_ids = [g for g in group_ids if scope.allows(g)]
    query = (select(WorkPlanItem.id, WorkPlanItem.version, WorkPlanItem.work_plan_id, WorkPlan.title.label("plan"),
                    WorkPlan.group_id, WorkPlanItem.title, WorkPlanItem.kind, Organisation.name.label("owner"),
                    WorkPlanItem.due_on)
             .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
             .outerjoin(Organisation, Organisation.id == WorkPlanItem.owner_org_id)
             .where(WorkPlanItem.proposal == Proposal.proposed.value, WorkPlan.group_id.in_(list(group_ids) or [-1]))
             .order_by(WorkPlanItem.id))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["id", "version", "work_plan_id", "plan", "group_id", "title", "kind", "owner", "due_on"])
