"""The language each person uses: a signature's (the one it was signed in) and a signed-in
person's (the last they used), so e-mails sent later on their behalf speak it.

Revision ID: b5d1e7a3c942
Revises: d422ed653f21
Create Date: 2026-12-05 15:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b5d1e7a3c942"
down_revision = "d422ed653f21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("petition_signatures") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=5), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
    with op.batch_alter_table("petition_signatures") as batch:
        batch.drop_column("locale")
