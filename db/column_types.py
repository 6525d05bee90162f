"""Column types of our own. Migrations import them from here, not from db/models.py, so an old
revision keeps running whatever today's models look like: change a type here only together
with a migration."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa


class DecimalText(sa.types.TypeDecorator):
    """An exact decimal stored as text (SQLite has no exact decimal type)."""
    impl = sa.String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)
