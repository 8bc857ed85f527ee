"""Letters keep the key of the form that sent them (``submission_key``), unique per
municipality: a form sent again (a retry after the answer was cut off) stores no second letter.

Revision ID: b41e6c2a9d07
Revises: 3f9b2d7c5e18
Create Date: 2026-12-06 01:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b41e6c2a9d07'
down_revision = '3f9b2d7c5e18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(
            "uq_letters_tenant_id_submission_key", ["tenant_id", "submission_key"])


def downgrade():
    with op.batch_alter_table("letters") as batch:
        batch.drop_constraint("uq_letters_tenant_id_submission_key", type_="unique")
        batch.drop_column("submission_key")
