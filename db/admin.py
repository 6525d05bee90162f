"""Administrative actions that are neither reads nor ordinary record writes."""
from __future__ import annotations

import sqlalchemy as sa

from db import config
from db.engine import get_engine
from db.errors import PermissionDenied
from db.permissions import Action, Actor, authorize
from i18n import _


def reset_demo_data(actor: Actor, engine: sa.Engine | None = None) -> None:
    """Throw away every change and load the demo data afresh (admins, demo mode only).
    The seed helper writes one bulk-load audit entry with its counts."""
    authorize(actor, Action.reset_demo)
    if not config.is_demo():
        raise PermissionDenied(_("Resetting the data is only possible in demo mode."))
    from seed.generator import reset_demo

    reset_demo(engine or get_engine())
