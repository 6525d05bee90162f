"""Writes for organisations and sites (any coordinator or admin may keep the register)."""
from __future__ import annotations

from typing import Any

from sqlmodel import Session

from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import Organisation, OrganisationCreate, Site, SiteCreate
from db.permissions import Action, Actor
from db.writes.base import create_record, update_record, validated
from i18n import _


def _check_parent(s: Session, org_id: int | None, parent_id: int | None) -> None:
    """A parent must exist and must not be the organisation itself or one of its subsidiaries."""
    if parent_id is None:
        return
    seen = set()
    current = parent_id
    while current is not None:
        if current == org_id or current in seen:
            raise ValidationFailed({"parent_id": _("An organisation cannot be its own parent or its subsidiary's subsidiary.")})
        seen.add(current)
        parent = s.get(Organisation, current)
        if parent is None:
            raise ValidationFailed({"parent_id": _("The parent organisation does not exist.")})
        current = parent.parent_id


def create_organisation(actor: Actor, values: dict[str, Any]) -> int:
    """Add an organisation to the register; returns its id."""
    data = validated(OrganisationCreate, values)
    with session_scope() as s:
        _check_parent(s, None, data.parent_id)
        return create_record(actor, Action.edit_organisation, Organisation(**data.model_dump()), session=s).id


def update_organisation(actor: Actor, org_id: int, version: int | None, changes: dict[str, Any]) -> None:
    """Change an organisation (optimistic: refused if someone saved it since `version`)."""
    with session_scope() as s:
        _check_parent(s, org_id, changes.get("parent_id"))
        update_record(actor, Action.edit_organisation, Organisation, org_id, version, changes,
                      validate_with=OrganisationCreate, session=s)


def create_site(actor: Actor, values: dict[str, Any]) -> int:
    """Add a site (a company operation or community area); returns its id."""
    data = validated(SiteCreate, values)
    return create_record(actor, Action.edit_site, Site(**data.model_dump())).id


def update_site(actor: Actor, site_id: int, version: int | None, changes: dict[str, Any]) -> None:
    update_record(actor, Action.edit_site, Site, site_id, version, changes, validate_with=SiteCreate)
