"""Reads for the Organisations page: the register and where each organisation is a member."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import Membership, Organisation, WorkingGroup
from db.periods import today
from db.permissions import Actor
from db.reads.common import pillar_of
from db.reads.scope import first_rows

COLUMNS = ["id", "version", "name", "kind", "pillar", "country", "parent_id", "parent", "vpshr_participant",
           "icoca_member", "eiti_supporter", "groups"]


def register(actor: Actor, *, countries=(), kinds=(), pillars=(), search: str = "", limit: int = 200,
             as_of: date | None = None) -> tuple[pd.DataFrame, int]:
    """Organisations matching the filters with their parent and the number of groups they are
    a current member of; at most `limit` by name, with the total that match."""
    as_of = as_of or today()
    parent = sa.orm.aliased(Organisation)
    current = sa.and_(Membership.since <= as_of, sa.or_(Membership.until.is_(None), Membership.until >= as_of))
    seats = (select(Membership.org_id, sa.func.count(sa.distinct(Membership.group_id)).label("n"))
             .where(current).group_by(Membership.org_id).subquery())
    pillar = pillar_of(Organisation.kind)
    query = (select(Organisation.id, Organisation.version, Organisation.name, Organisation.kind, pillar,
                    Organisation.country, Organisation.parent_id, parent.name, Organisation.vpshr_participant,
                    Organisation.icoca_member, Organisation.eiti_supporter, sa.func.coalesce(seats.c.n, 0))
             .outerjoin(parent, parent.id == Organisation.parent_id)
             .outerjoin(seats, seats.c.org_id == Organisation.id))
    if countries:
        query = query.where(Organisation.country.in_(list(countries)))
    if kinds:
        query = query.where(Organisation.kind.in_(list(kinds)))
    if pillars:
        query = query.where(pillar.in_(list(pillars)))
    if search.strip():
        query = query.where(Organisation.name.icontains(search.strip(), autoescape=True))  # % and _ literal
    with session_scope() as s:
        rows, total = first_rows(s, query.order_by(Organisation.name), limit, as_dicts=False)
        frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame, total


def organisation(actor: Actor, org_id: int) -> dict | None:
    """One organisation's fields with its pillar and parent name."""
    parent = sa.orm.aliased(Organisation)
    with session_scope() as s:
        row = s.execute(select(Organisation, parent.name).outerjoin(parent, parent.id == Organisation.parent_id)
                        .where(Organisation.id == org_id)).first()
        if row is None:
            return None
        record, parent_name = row
        subsidiaries = s.exec(select(Organisation.name).where(Organisation.parent_id == org_id)
                              .order_by(Organisation.name)).all()
        return {**record.model_dump(), "pillar": s.execute(select(pillar_of(sa.literal(record.kind)))).scalar(),
                "parent": parent_name, "subsidiaries": list(subsidiaries)}


def memberships_of(actor: Actor, org_id: int) -> pd.DataFrame:
    """The groups an organisation is or was a member of, with role and dates (current first)."""
    query = (select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.country, Membership.role, Membership.since,
                    Membership.until)
             .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
             .where(Membership.org_id == org_id)
             .order_by(Membership.until.is_not(None), WorkingGroup.name))
    with session_scope() as s:
        return pd.DataFrame([tuple(r) for r in s.execute(query)],
                            columns=["group_id", "group", "country", "role", "since", "until"])
