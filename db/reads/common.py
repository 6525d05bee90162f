"""Small shared reads: the data version caches key on, and the option lists forms and
filters offer (groups, organisations, sites, countries)."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pycountry
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import DataVersion, Organisation, Site, WorkingGroup
from db.permissions import Action, Actor, group_scope
from db.vocab import PILLAR_OF_KIND, Pillar
from i18n import DEFAULT_LANGUAGE, current_language


def data_version() -> int:
    """A number every write bumps (db/audit.py): cached reads key on it, so a write in one
    app process is seen by every other process on its next run."""
    with session_scope() as s:
        return s.exec(select(DataVersion.version).where(DataVersion.id == 1)).first() or 0


def pillar_of(kind_column) -> sa.Case:
    """SQL expression giving an organisation's pillar from its kind (db/vocab.PILLAR_OF_KIND)."""
    return sa.case({kind.value: pillar.value for kind, pillar in PILLAR_OF_KIND.items()},
                   value=kind_column, else_=Pillar.observer.value)


def country_name(code: str | None) -> str:
    """The country's name in the current run's language (CLDR via Babel; pycountry for English)."""
    return _country_name(code, current_language())


@lru_cache(maxsize=None)
def _country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    if language != DEFAULT_LANGUAGE:
        from babel import Locale

        translated = Locale.parse(language).territories.get(code)
        if translated:
            return translated
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def country_options() -> list[str]:
    """ISO 3166 alpha-2 codes, sorted by name, for forms."""
    return sorted((c.alpha_2 for c in pycountry.countries), key=country_name)


def groups(actor: Actor, *, editable_for: Action | None = None) -> pd.DataFrame:
    """Working groups (id, name, country, level, focus, status) the actor may pick from: all of
    them, or those in which the actor may do `editable_for` (db/permissions.group_scope)."""
    query = select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.country, WorkingGroup.level,
                   WorkingGroup.focus, WorkingGroup.status).order_by(WorkingGroup.name)
    if editable_for is not None:
        query = query.where(group_scope(actor, editable_for).sql(WorkingGroup.id))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["id", "name", "country", "level", "focus", "status"])


def organisations(kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Organisations (id, name, kind, pillar, country, parent_id), by name."""
    query = select(Organisation.id, Organisation.name, Organisation.kind,
                   pillar_of(Organisation.kind).label("pillar"), Organisation.country,
                   Organisation.parent_id).order_by(Organisation.name)
    if kinds:
        query = query.where(Organisation.kind.in_(kinds))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["id", "name", "kind", "pillar", "country", "parent_id"])


def sites() -> pd.DataFrame:
    query = select(Site.id, Site.name, Site.country, Site.region, Site.latitude, Site.longitude,
                   Site.company_id).order_by(Site.name)
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["id", "name", "country", "region", "latitude", "longitude", "company_id"])
