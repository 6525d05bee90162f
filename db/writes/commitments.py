"""Writes for commitments (action points): add, change status, record verification by an
organisation of another pillar (a promise counts as kept only when someone else says so)."""
from __future__ import annotations

from datetime import date
from typing import Any

from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import Activity, Commitment, CommitmentCreate, CommitmentUpdate, Issue, Organisation
from db.periods import today
from db.permissions import Action, Actor
from db.vocab import PILLAR_OF_KIND, CommitmentStatus, label, values
from db.writes.base import create_record, linked_in_group, update_record, validated
from i18n import _


def add_commitment(actor: Actor, values_: dict[str, Any]) -> int:
    """A commitment agreed at an activity (or in an issue) with its owner and due date."""
    data = validated(CommitmentCreate, values_)
    with session_scope() as s:
        if not linked_in_group(s, Activity, data.activity_id, data.group_id):
            raise ValidationFailed({"activity_id": _("Pick an activity of this working group.")})
        if not linked_in_group(s, Issue, data.issue_id, data.group_id, live=True):
            raise ValidationFailed({"issue_id": _(
                "Pick an issue of this working group: a commitment can only be made on an issue "
                "of the group that agreed it.")})
        if s.get(Organisation, data.owner_org_id) is None:
            raise ValidationFailed({"owner_org_id": _("Pick the organisation that made the commitment.")})
        return create_record(actor, Action.edit_commitment, Commitment(**data.model_dump()), session=s).id


def update_status(actor: Actor, commitment_id: int, version: int | None, status: str,
                  done_on: date | None = None) -> None:
    """Change the status; done needs the date it was done (not in the future)."""
    if status not in values(CommitmentStatus):
        raise ValidationFailed({"status": _("Choose a status from the list.")})
    if status == CommitmentStatus.done.value:
        if done_on is None:
            raise ValidationFailed({"done_on": _("Give the date the commitment was done.")})
        if done_on > today():
            raise ValidationFailed({"done_on": _("The date it was done cannot be in the future.")})
        changes = CommitmentUpdate(status=status, done_on=done_on)
    else:  # leaving done: the completion and its verification no longer hold
        changes = CommitmentUpdate(status=status, done_on=None, verified_by_org_id=None, verified_on=None)
    update_record(actor, Action.edit_commitment, Commitment, commitment_id, version, changes)


def verify(actor: Actor, commitment_id: int, version: int | None, verifier_org_id: int | None,
           verified_on: date | None) -> None:
    """Record that an organisation of another pillar than the owner confirms the commitment
    was kept. Refused for the same pillar, for an open commitment, or a future date."""
    if verifier_org_id is None:
        raise ValidationFailed({"verified_by_org_id": _("Pick the organisation that confirms the commitment was kept.")})
    if verified_on is None:
        raise ValidationFailed({"verified_on": _("Give the date of the confirmation.")})
    if verified_on > today():
        raise ValidationFailed({"verified_on": _("The confirmation date cannot be in the future.")})
    with session_scope() as s:
        stored = s.get(Commitment, commitment_id)
        if stored is None:
            raise NotFound(_("That record no longer exists."))
        owner, verifier = s.get(Organisation, stored.owner_org_id), s.get(Organisation, verifier_org_id)
        if verifier is None:
            raise ValidationFailed({"verified_by_org_id": _("Pick the organisation that confirms the commitment was kept.")})
        if stored.status != CommitmentStatus.done.value:
            raise ValidationFailed({"verified_by_org_id": _("Mark the commitment done before recording who verified it.")})
        owner_pillar, verifier_pillar = PILLAR_OF_KIND[owner.kind], PILLAR_OF_KIND[verifier.kind]
        if owner_pillar == verifier_pillar:
            raise ValidationFailed({"verified_by_org_id": _(
                "The verifier must sit in another pillar than the owner ({pillar}): a promise counts as kept only when someone else says so.")
                .format(pillar=label(owner_pillar))})
        if stored.done_on is not None and verified_on < stored.done_on:
            raise ValidationFailed({"verified_on": _("The confirmation cannot come before the commitment was done.")})
        update_record(actor, Action.edit_commitment, Commitment, commitment_id, version,
                      CommitmentUpdate(verified_by_org_id=verifier_org_id, verified_on=verified_on), session=s)
