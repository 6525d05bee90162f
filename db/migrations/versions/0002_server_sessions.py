"""server-side sessions and login throttling

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 21:10:00

Login cookies become opaque tokens checked against `user_session` (revocable); failed logins
are counted per account and per client in `login_throttle`; every password change bumps
`app_user.password_version`. Existing users keep their data and start at version 1; the old
per-user failure counter and lock (`failed_logins`, `locked_until`) go, replaced by the
throttle table (a lock in force at the upgrade is lifted: the throttle starts counting anew).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): a batch copy of app_user would
    # drop the table that audit entries and sessions point at.
    op.add_column('app_user', sa.Column('password_version', sa.Integer(), server_default='1', nullable=False))
    op.drop_column('app_user', 'failed_logins')
    op.drop_column('app_user', 'locked_until')
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('password_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_session_user_id_app_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash')),
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
    op.drop_column('app_user', 'password_version')
    op.add_column('app_user', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('app_user', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
