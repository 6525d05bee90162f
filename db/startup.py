"""What the app does once per process before the first page: reach the database, migrate it,
and on a first start in demo mode fill it with the demo data and demo users. The demo data's
loader is handed in by the caller (components/shell.py, serve.py): the data layer does not
depend on the demo generator."""
from __future__ import annotations

from collections.abc import Callable

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


def prepare_database(engine: sa.Engine | None = None, *,
                     demo_loader: Callable[[sa.Engine], object] | None = None) -> bool:
    """Migrate; then, in demo mode with DEMO_DATA on, fill an empty database with
    `demo_loader`. Returns whether demo data was loaded. Safe to run from several processes
    at once: both steps run under the migration lock."""
    engine = engine or get_engine()
    upgrade(engine)
    if demo_loader is None or not config.demo_data_enabled():
        return False
    with migration_lock(engine):
        if not is_empty(engine):
            return False
        demo_loader(engine)
        return True
