"""Documents: text_status, whether the job worker has read a PDF or Word file's text yet.

Existing documents had their text read at upload, so they are "ready".

Revision ID: b7c3e91d4a20
Revises: d5a9e3c7f812
Create Date: 2026-12-02 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c3e91d4a20'
down_revision = 'd5a9e3c7f812'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_status', sa.String(length=10), server_default='ready',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('council_documents', schema=None) as batch_op:
        batch_op.drop_column('text_status')
