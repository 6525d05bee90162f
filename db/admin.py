"""Administrative actions that are neither reads nor ordinary record writes."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from db import config
from db.engine import get_engine
from db.errors import PermissionDenied
from db.permissions import Action, Actor, authorize
from i18n import _


def reset_demo_data(actor: Actor, reset: Callable[[sa.Engine], object], engine: sa.Engine | None = None) -> None:
    """Throw away every change and load the demo data afresh with `reset` (the demo generator's,
    handed in by the page: the data layer does not depend on it); admins, demo mode only. The
    generator writes one bulk-load audit entry with its counts."""
    authorize(actor, Action.reset_demo)
    if not config.is_demo():
        raise PermissionDenied(_("Resetting the data is only possible in demo mode."))
    reset(engine or get_engine())
