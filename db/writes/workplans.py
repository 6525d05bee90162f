"""Writes for work plans and their items: coordinators edit their groups' plans, HQ users
propose items to groups their company belongs to, and a coordinator adopts or declines them."""
from __future__ import annotations

from typing import Any

import pandas as pd

from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import WorkPlan, WorkPlanCreate, WorkPlanItem, WorkPlanItemCreate, WorkPlanItemUpdate
from db.permissions import Action, Actor, authorize
from db.versioning import check_version
from db.vocab import Proposal, WorkItemStatus, label, values
from db.writes.base import create_record, group_of, update_record, validated
from i18n import _


def create_work_plan(actor: Actor, values_: dict[str, Any]) -> int:
    """A work plan for a period (end after start); returns its id."""
    data = validated(WorkPlanCreate, values_)
    return create_record(actor, Action.edit_work_plan, WorkPlan(**data.model_dump()), group_id=data.group_id).id


def _plan_group(plan_id: int) -> int:
    with session_scope() as s:
        plan = s.get(WorkPlan, plan_id)
        if plan is None:
            raise ValidationFailed({"work_plan_id": _("Pick a work plan from the list.")})
        return plan.group_id


def add_item(actor: Actor, values_: dict[str, Any]) -> int:
    """Add an adopted item to a work plan (the group's coordinators and admins)."""
    data = validated(WorkPlanItemCreate, {**values_, "proposal": Proposal.adopted.value})
    group_id = _plan_group(data.work_plan_id)
    return create_record(actor, Action.edit_work_plan, WorkPlanItem(**data.model_dump()), group_id=group_id).id


def propose_item(actor: Actor, values_: dict[str, Any]) -> int:
    """An HQ user's proposed item: it waits, status planned, until a coordinator decides."""
    data = validated(WorkPlanItemCreate, {**values_, "proposal": Proposal.proposed.value,
                                         "status": WorkItemStatus.planned.value, "progress": 0})
    group_id = _plan_group(data.work_plan_id)
    record = WorkPlanItem(**data.model_dump(), proposed_by_user_id=actor.id)
    return create_record(actor, Action.propose_work_item, record, group_id=group_id).id


def decide_proposal(actor: Actor, item_id: int, version: int | None, adopt: bool) -> None:
    """Adopt a proposed item into the plan, or decline it (it stays on record)."""
    with session_scope() as s:
        item = s.get(WorkPlanItem, item_id)
        if item is None:
            raise NotFound(_("That record no longer exists."))
        if item.proposal != Proposal.proposed.value:
            raise ValidationFailed({"proposal": _("This proposal has already been decided.")})
        update_record(actor, Action.decide_proposal, WorkPlanItem, item_id, version,
                      WorkPlanItemUpdate(proposal=Proposal.adopted if adopt else Proposal.declined), session=s)


EDITABLE = ("status", "progress")


def save_items(actor: Actor, edited: pd.DataFrame) -> int:
    """Save status and progress edited in the work plan table (columns id, version, status,
    progress, title). Every row is checked first; nothing is written if one is wrong, or if
    any row, changed here or not, was saved by someone else since the table was shown (the
    table is saved as a whole). Returns how many items changed."""
    errors: list[str] = []
    rows = []
    for row in edited.to_dict("records"):
        title = str(row.get("title") or row["id"])
        status, progress = row.get("status"), row.get("progress")
        if status not in values(WorkItemStatus):
            errors.append(_("{item}: choose a status from the list.").format(item=title))
            continue
        if progress is None or pd.isna(progress) or not 0 <= float(progress) <= 100 or float(progress) != int(progress):
            errors.append(_("{item}: progress must be a whole number from 0 to 100.").format(item=title))
            continue
        if status == WorkItemStatus.done.value and int(progress) != 100:
            errors.append(_("{item}: an item marked {done} must be at 100% progress.").format(item=title, done=label("done")))
            continue
        rows.append((int(row["id"]), int(row["version"]) if row.get("version") is not None else None,
                     WorkPlanItemUpdate(status=status, progress=int(progress))))
    if errors:
        raise ValidationFailed({"items": " ".join(errors)})
    changed = 0
    with session_scope() as s:
        for item_id, version, changes in rows:
            stored = s.get(WorkPlanItem, item_id)
            if stored is None:
                raise NotFound(_("That record no longer exists."))
            authorize(actor, Action.edit_work_plan, group_id=group_of(s, stored))  # before showing stored values
            check_version(stored, version)
            if stored.status == changes.status and stored.progress == changes.progress:
                continue
            update_record(actor, Action.edit_work_plan, WorkPlanItem, item_id, version, changes, session=s)
            changed += 1
    return changed
