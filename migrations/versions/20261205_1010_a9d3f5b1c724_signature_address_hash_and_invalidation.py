"""Signatures keep a keyed hash of the signer's network address (bursts per address) and when
a moderator invalidated them (an invalidated signature leaves the public count).

Revision ID: a9d3f5b1c724
Revises: f2a6d4c8e913
Create Date: 2026-12-05 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9d3f5b1c724'
down_revision = 'f2a6d4c8e913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('petition_signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('petition_signatures', schema=None) as batch_op:
        batch_op.drop_column('invalidated_at')
        batch_op.drop_column('address_hash')
