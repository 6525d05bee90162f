"""What the app does once per process before the first page: reach the database, migrate it,
and on a first start in demo mode fill it with the demo data and demo users."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from db import config
from db.engine import get_engine, session_scope
from db.migrate import migration_lock, upgrade
from db.models import Organisation, User


def is_empty(engine: sa.Engine) -> bool:
    with session_scope(engine) as s:
        return s.exec(select(User.id).limit(1)).first() is None and \
            s.exec(select(Organisation.id).limit(1)).first() is None


def prepare_database(engine: sa.Engine | None = None, *, load_demo: bool | None = None) -> bool:
    """Migrate; load demo data into an empty database when asked (default: demo mode with
    DEMO_DATA on). Returns whether demo data was loaded. Safe to run from several processes
    at once: both steps run under the migration lock."""
    engine = engine or get_engine()
    upgrade(engine)
    if load_demo is None:
        load_demo = config.demo_data_enabled()
    if not load_demo:
        return False
    with migration_lock(engine):
        if not is_empty(engine):
            return False
        from seed.generator import load_demo_data

        load_demo_data(engine)
        return True
