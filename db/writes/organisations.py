"""Writes for organisations and sites, the register every working group shares.

Who may change what (db/permissions.py holds the rule, db/writes/base.py applies it):
- admins: everything;
- coordinators: add organisations (without a parent) and sites; edit an organisation whose
  memberships, past and current, are all in their own groups (at least one), and a site
  covered only by their own groups (at least one group). An organisation or site no group
  uses yet, or that another group also uses, stays with the admins;
- an organisation's parent (its company family, which decides what an HQ user's company
  covers) changes only by an admin, at creation too."""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import (
    GroupSite,
    Membership,
    Organisation,
    OrganisationCreate,
    OrganisationUpdate,
    Site,
    SiteCreate,
    SiteUpdate,
)
from db.permissions import Action, Actor, Scope, group_scope
from db.writes.base import create_record, update_record, validated
from i18n import _

# Two decimal numbers as map sites copy them: "5.6037, -0.1870", "5.6037,-0.1870", "5.6037 -0.1870".
_NUMBER = r"([+-]?\d+(?:\.\d+)?)"
_COORDINATES = re.compile(rf"^\s*{_NUMBER}\s*(?:[,;]|\s)\s*{_NUMBER}\s*$")


def parse_coordinates(text: str) -> tuple[float, float]:
    """(latitude, longitude) from coordinates pasted as one text; refused on the coordinates field."""
    found = _COORDINATES.match(text or "")
    if found is None:
        raise ValidationFailed({"coordinates": _("Paste the latitude and longitude as two numbers with a dot for "
                                                 "decimals, for example 5.6037, -0.1870.")})
    latitude, longitude = float(found.group(1)), float(found.group(2))
    if not -90 <= latitude <= 90:
        raise ValidationFailed({"coordinates": _("The latitude must be between -90 and 90.")})
    if not -180 <= longitude <= 180:
        raise ValidationFailed({"coordinates": _("The longitude must be between -180 and 180.")})
    return latitude, longitude


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
    """Add an organisation to the register; returns its id. A parent needs an admin."""
    data = validated(OrganisationCreate, values)
    with session_scope() as s:
        _check_parent(s, None, data.parent_id)
        return create_record(actor, Action.create_organisation, Organisation(**data.model_dump()), session=s).id


def update_organisation(actor: Actor, org_id: int, version: int | None, changes: OrganisationUpdate) -> None:
    """Change an organisation (optimistic: refused if someone saved it since `version`)."""
    with session_scope() as s:
        _check_parent(s, org_id, changes.parent_id)
        update_record(actor, Action.edit_organisation, Organisation, org_id, version, changes, session=s)


def create_site(actor: Actor, values: dict[str, Any]) -> int:
    """Add a site (a company operation or community area); returns its id."""
    data = validated(SiteCreate, values)
    return create_record(actor, Action.create_site, Site(**data.model_dump())).id


def update_site(actor: Actor, site_id: int, version: int | None, changes: SiteUpdate) -> None:
    """Change a site (optimistic: refused if someone saved it since `version`)."""
    update_record(actor, Action.edit_site, Site, site_id, version, changes)


# --------------------------------------------------------------------------- what an actor may edit


def _only_in(scope: Scope, column_id, column_group) -> set[int]:
    """Ids with at least one row, all of whose groups are in scope (the SHARED_SCOPED rule)."""
    outside = sa.case((scope.sql(column_group), 0), else_=1)
    query = sa.select(column_id).group_by(column_id).having(sa.func.sum(outside) == 0)
    with session_scope() as s:
        return set(s.execute(query).scalars().all())


def editable_organisation_ids(actor: Actor) -> set[int] | None:
    """The organisations this actor may edit (None: all of them), for the form's picker."""
    scope = group_scope(actor, Action.edit_organisation)
    if scope.everything:
        return None
    return _only_in(scope, Membership.org_id, Membership.group_id) if not scope.nothing else set()


def editable_site_ids(actor: Actor) -> set[int] | None:
    """The sites this actor may edit (None: all of them), for the form's picker."""
    scope = group_scope(actor, Action.edit_site)
    if scope.everything:
        return None
    return _only_in(scope, GroupSite.site_id, GroupSite.group_id) if not scope.nothing else set()


def site_for_edit(site_id: int) -> dict:
    """A site's stored fields with its version, as an edit form opens it."""
    with session_scope() as s:
        site = s.get(Site, site_id)
        if site is None:
            raise NotFound(_("That record no longer exists."))
        return site.model_dump()
