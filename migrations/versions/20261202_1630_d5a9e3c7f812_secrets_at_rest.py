"""Secrets at rest: TOTP secrets encrypted (users.totp_secret_sealed), link tokens of queued
e-mails sealed (outbox_messages.secret_sealed).

Existing secrets are encrypted with the first key of PORTAL_ENCRYPTION_KEY (the app's config);
the downgrade decrypts them. A new column rather than a wider one: changing a column's type on
SQLite means rebuilding ``users``, which with foreign keys on would cascade to its dependants.
Messages already in the outbox keep their bodies as they are (the retention job deletes them).

Revision ID: d5a9e3c7f812
Revises: c3e8f1a27b54
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'd5a9e3c7f812'
down_revision = 'c3e8f1a27b54'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String),
                 sa.column('totp_secret_sealed', sa.String))


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in current_app.config["PORTAL_ENCRYPTION_KEYS"]])


def _copy(source: str, target: str, convert) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c[source])
                        .where(users.c[source].is_not(None))).all()
    for user_id, value in rows:
        bind.execute(users.update().where(users.c.id == user_id)
                     .values({target: convert(value)}))


def upgrade():
    op.add_column('outbox_messages', sa.Column('secret_sealed', sa.Text(), nullable=True))
    op.add_column('users', sa.Column('totp_secret_sealed', sa.String(length=255), nullable=True))
    fernet = _fernet()
    _copy('totp_secret', 'totp_secret_sealed', lambda v: fernet.encrypt(v.encode()).decode())
    op.drop_column('users', 'totp_secret')


def downgrade():
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    fernet = _fernet()
    _copy('totp_secret_sealed', 'totp_secret', lambda v: fernet.decrypt(v.encode()).decode())
    op.drop_column('users', 'totp_secret_sealed')
    op.drop_column('outbox_messages', 'secret_sealed')
