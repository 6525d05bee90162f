"""Records in Ghana that the hand-made test worlds are built from, each created through db/writes."""
from __future__ import annotations

from db.models import Organisation, Site, WorkingGroup
from db.permissions import SYSTEM, Action
from db.writes.base import create_record


def group(name: str) -> int:
    """An active national working group on security and human rights."""
    return create_record(SYSTEM, Action.create_group, WorkingGroup(
        name=name, country="GH", level="national", focus="security_human_rights", lead="joint",
        status="active")).id


def org(name: str, kind: str, parent_id: int | None = None) -> int:
    return create_record(SYSTEM, Action.edit_organisation,
                         Organisation(name=name, kind=kind, country="GH", parent_id=parent_id)).id


def site(name: str, latitude: float, longitude: float, company_id: int) -> int:
    return create_record(SYSTEM, Action.edit_site, Site(name=name, country="GH", latitude=latitude,
                                                        longitude=longitude, company_id=company_id)).id
