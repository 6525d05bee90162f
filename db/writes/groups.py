"""Writes for working groups (with their initiatives and sites) and memberships.
Memberships are ended (until), never deleted: attendance history refers to them."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from db import audit
from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import (
    GroupInitiative,
    GroupSite,
    Membership,
    MembershipCreate,
    MembershipUpdate,
    Organisation,
    Site,
    WorkingGroup,
    WorkingGroupCreate,
    WorkingGroupUpdate,
)
from db.permissions import Action, Actor, authorize
from db.vocab import AuditAction
from db.writes.base import create_record, update_record, validated
from i18n import _

LINKS = ("initiatives", "site_ids")


def _set_links(s: Session, group_id: int, initiatives: list[str], site_ids: list[int]) -> None:
    """Replace a group's linked initiatives and sites."""
    known = set(s.exec(select(Site.id).where(Site.id.in_(site_ids or [-1]))).all())
    missing = [i for i in site_ids if i not in known]
    if missing:
        raise ValidationFailed({"site_ids": _("Some chosen sites no longer exist.")})
    s.execute(sa.delete(GroupInitiative).where(GroupInitiative.group_id == group_id))
    s.execute(sa.delete(GroupSite).where(GroupSite.group_id == group_id))
    for initiative in dict.fromkeys(str(i) for i in initiatives):
        s.add(GroupInitiative(group_id=group_id, initiative=initiative))
    for site_id in dict.fromkeys(site_ids):
        s.add(GroupSite(group_id=group_id, site_id=site_id))
    s.flush()


def _links_of(s: Session, group_id: int) -> dict[str, list]:
    return {"initiatives": sorted(s.exec(select(GroupInitiative.initiative).where(GroupInitiative.group_id == group_id)).all()),
            "site_ids": sorted(s.exec(select(GroupSite.site_id).where(GroupSite.group_id == group_id)).all())}


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed({"timezone": _("Unknown time zone; pick one from the list, such as Africa/Accra.")}) from None


def create_group(actor: Actor, values: dict[str, Any]) -> int:
    """Create a working group with its initiatives and sites (admins); returns its id."""
    data = validated(WorkingGroupCreate, values)
    _check_timezone(data.timezone)
    record = WorkingGroup(**data.model_dump(exclude=set(LINKS)))

    def links(s: Session, group: WorkingGroup) -> None:
        _set_links(s, group.id, list(data.initiatives), list(data.site_ids))

    return create_record(actor, Action.create_group, record, group_id=None, after_insert=links).id


def update_group(actor: Actor, group_id: int, version: int | None, changes: WorkingGroupUpdate) -> None:
    """Change a group's fields, initiatives and sites (its coordinators and admins)."""
    if changes.timezone is not None:
        _check_timezone(changes.timezone)
    fields = WorkingGroupUpdate.model_validate(changes.model_dump(exclude_unset=True, exclude=set(LINKS)))
    with session_scope() as s:
        before_links = _links_of(s, group_id)
        update_record(actor, Action.edit_group, WorkingGroup, group_id, version, fields, session=s)
        links = {**before_links, **changes.model_dump(exclude_unset=True, include=set(LINKS))}
        _set_links(s, group_id, list(links["initiatives"]), list(links["site_ids"]))
        after_links = _links_of(s, group_id)
        if after_links != before_links:
            audit.record(s, actor, AuditAction.update, "group_links", group_id, before=before_links, after=after_links)


def add_membership(actor: Actor, values: dict[str, Any]) -> int:
    """Add an organisation to a group with a role from a date; refused if it is already a
    current member."""
    data = validated(MembershipCreate, values)
    with session_scope() as s:
        authorize(actor, Action.edit_membership, group_id=data.group_id)
        if s.get(Organisation, data.org_id) is None:
            raise ValidationFailed({"org_id": _("Pick an organisation from the list.")})
        current = s.exec(select(Membership.id).where(
            Membership.group_id == data.group_id, Membership.org_id == data.org_id,
            sa.or_(Membership.until.is_(None), Membership.until >= data.since))).first()
        if current is not None:
            raise ValidationFailed({"org_id": _("This organisation is already a member of the group; change or end that membership instead.")})
        return create_record(actor, Action.edit_membership, Membership(**data.model_dump()), session=s).id


def change_membership(actor: Actor, membership_id: int, version: int | None, changes: MembershipUpdate) -> None:
    """Change a membership's role or dates; ending it is setting `until` (on or after since),
    and it stays in the history."""
    update_record(actor, Action.edit_membership, Membership, membership_id, version, changes)
