"""Files writers send with their letters (letter_attachments): checked by content, deleted
with the writer's contacts when the letter is anonymised.

Revision ID: 3f4547360334
Revises: 0faefe16d6c8
Create Date: 2026-12-05 12:40:59.208325

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f4547360334'
down_revision = '0faefe16d6c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('storage_path', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_attachments_letter_id_letters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_letter_attachments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_attachments')),
    sa.UniqueConstraint('tenant_id', 'storage_path', name=op.f('uq_letter_attachments_tenant_id_storage_path'))
    )
    with op.batch_alter_table('letter_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_attachments_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_attachments_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('letter_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_attachments_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_letter_attachments_letter_id'))

    op.drop_table('letter_attachments')
