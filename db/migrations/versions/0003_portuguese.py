"""users may choose Portuguese

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:45:00

`app_user.language` allows 'pt'. On SQLite the CHECK constraint is widened in the stored table
definition (SQLite's documented procedure for changes that leave the stored rows valid): a batch
copy of app_user would drop the table that sessions and audit entries point at.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAME = 'ck_app_user_language_allowed'
BEFORE = "language IN ('en', 'fr', 'es')"
AFTER = "language IN ('en', 'fr', 'es', 'pt')"


def _replace_check(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        version = bind.exec_driver_sql('PRAGMA schema_version').scalar_one()
        bind.exec_driver_sql('PRAGMA writable_schema=ON')
        bind.execute(sa.text("UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
                             "WHERE type = 'table' AND name = 'app_user'"), {'old': old, 'new': new})
        bind.exec_driver_sql(f'PRAGMA schema_version={version + 1}')
        bind.exec_driver_sql('PRAGMA writable_schema=OFF')
    else:
        op.drop_constraint(op.f(NAME), 'app_user', type_='check')
        op.create_check_constraint(op.f(NAME), 'app_user', sa.text(new))


def upgrade() -> None:
    _replace_check(BEFORE, AFTER)


def downgrade() -> None:
    op.execute("UPDATE app_user SET language = 'en' WHERE language = 'pt'")
    _replace_check(AFTER, BEFORE)
