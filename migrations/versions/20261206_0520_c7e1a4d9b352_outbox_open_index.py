"""The outbox's claim reads a partial index of open messages (``pending``/``sending``) per
municipality and channel in id order: before, every claim walked all the channel's sent
messages, a cost that grew with the outbox.

Revision ID: c7e1a4d9b352
Revises: b41e6c2a9d07
Create Date: 2026-12-06 05:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7e1a4d9b352'
down_revision = 'b41e6c2a9d07'
branch_labels = None
depends_on = None

OPEN_SQL = "status IN ('pending', 'sending')"


def upgrade():
    op.create_index("ix_outbox_messages_open", "outbox_messages", ["tenant_id", "channel", "id"],
                    postgresql_where=sa.text(OPEN_SQL), sqlite_where=sa.text(OPEN_SQL))


def downgrade():
    op.drop_index("ix_outbox_messages_open", table_name="outbox_messages")
