"""Reads for the Commitments page: every commitment with owner, due date, status and
verification, overdue ones first.

A commitment made on a confidential issue the reader may not see (db/reads/issues.details_visible)
says only that it belongs to a confidential case: its description, owner and owner's pillar
come back as "Confidential", and filtering by owner never finds it.

The register and its owner list are for view_commitments (not viewers); the status counts are
an aggregate the working-group page shows every role (view_groups)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import Activity, Commitment, Issue, Organisation, WorkingGroup
from db.periods import today
from db.permissions import Action, Actor, authorize, can
from db.reads.common import pillar_of
from db.reads.issues import CONFIDENTIAL, details_visible
from db.reads.scope import first_rows, in_groups
from db.vocab import CommitmentStatus
from i18n import _

COLUMNS = ["id", "version", "group_id", "group", "activity_id", "activity", "owner_org_id", "owner",
           "owner_pillar", "description", "due_on", "status", "done_on", "verified_by", "verified_on",
           "overdue"]
OPEN = (CommitmentStatus.open.value, CommitmentStatus.in_progress.value)


def _overdue(as_of: date):
    return sa.and_(Commitment.status.in_(OPEN), Commitment.due_on.is_not(None), Commitment.due_on < as_of)


def _visible(actor: Actor):
    """SQL truth value: may the actor see this commitment's details? (needs Issue outer-joined)"""
    return sa.or_(Commitment.issue_id.is_(None), details_visible(actor))


def _shown(actor: Actor, column):
    return sa.case((_visible(actor), column), else_=sa.literal(_(CONFIDENTIAL)))


def register(actor: Actor, *, group_ids=(), countries=(), statuses=(), owner_ids=(), activity_id: int | None = None,
             overdue_only: bool = False, limit: int = 200, as_of: date | None = None) -> tuple[pd.DataFrame, int]:
    """Commitments matching the filters, overdue ones first (oldest due first), then open by
    due date, then the rest; at most `limit`, with the total that match."""
    authorize(actor, Action.view_commitments)
    as_of = as_of or today()
    owner, verifier = sa.orm.aliased(Organisation), sa.orm.aliased(Organisation)
    overdue = sa.case((_overdue(as_of), True), else_=False)
    query = (select(Commitment.id, Commitment.version, Commitment.group_id, WorkingGroup.name, Commitment.activity_id,
                    Activity.title, sa.case((_visible(actor), Commitment.owner_org_id), else_=sa.null()),
                    _shown(actor, owner.name), _shown(actor, pillar_of(owner.kind)), _shown(actor, Commitment.description),
                    Commitment.due_on, Commitment.status, Commitment.done_on, verifier.name, Commitment.verified_on,
                    overdue)
             .join(WorkingGroup, WorkingGroup.id == Commitment.group_id)
             .join(owner, owner.id == Commitment.owner_org_id)
             .outerjoin(verifier, verifier.id == Commitment.verified_by_org_id)
             .outerjoin(Activity, Activity.id == Commitment.activity_id)
             .outerjoin(Issue, Issue.id == Commitment.issue_id))
    query = query.where(*in_groups(Commitment.group_id, group_ids, countries))
    if statuses:
        query = query.where(Commitment.status.in_(list(statuses)))
    if owner_ids:  # a hidden owner must not be found by filtering on it
        query = query.where(Commitment.owner_org_id.in_(list(owner_ids)), _visible(actor))
    if activity_id is not None:
        query = query.where(Commitment.activity_id == activity_id)
    if overdue_only:
        query = query.where(_overdue(as_of))
    rank = sa.case((_overdue(as_of), 0), (Commitment.status.in_(OPEN), 1), else_=2)
    ordered = query.order_by(rank, Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
    with session_scope() as s:
        rows, total = first_rows(s, ordered, limit, as_dicts=False)
        frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["overdue"] = frame["overdue"].astype(bool)
    frame["days_overdue"] = [(as_of - d).days if o else None for d, o in zip(frame["due_on"], frame["overdue"])]
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    return frame, total


def status_counts(actor: Actor, *, group_ids=(), countries=(), owner_ids=(), as_of: date | None = None) -> dict:
    """Counts for the headline: open (open or in progress), overdue, done, verified, dropped.
    Counts only, so the group dashboard shows them to viewers too."""
    if not (can(actor, Action.view_commitments) or can(actor, Action.view_groups)):
        raise PermissionDenied(_("Your role may not see commitments."))
    as_of = as_of or today()
    count_if = lambda c: sa.func.sum(sa.case((c, 1), else_=0))  # noqa: E731
    query = select(count_if(Commitment.status.in_(OPEN)), count_if(_overdue(as_of)),
                   count_if(Commitment.status == CommitmentStatus.done.value),
                   count_if(Commitment.verified_by_org_id.is_not(None)),
                   count_if(Commitment.status == CommitmentStatus.dropped.value), sa.func.count(Commitment.id))
    query = query.where(*in_groups(Commitment.group_id, group_ids, countries))
    if owner_ids:
        query = query.where(Commitment.owner_org_id.in_(list(owner_ids)))
    with session_scope() as s:
        row = s.execute(query).one()
    return dict(zip(["open", "overdue", "done", "verified", "dropped", "total"], [int(v or 0) for v in row]))


def owners(actor: Actor) -> pd.DataFrame:
    """Organisations that own at least one commitment (id, name), for the owner filter."""
    authorize(actor, Action.view_commitments)
    visible_owners = (select(Commitment.owner_org_id).outerjoin(Issue, Issue.id == Commitment.issue_id)
                      .where(_visible(actor)).distinct())
    query = (select(Organisation.id, Organisation.name).where(Organisation.id.in_(visible_owners))
             .order_by(Organisation.name))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)], columns=["id", "name"])
