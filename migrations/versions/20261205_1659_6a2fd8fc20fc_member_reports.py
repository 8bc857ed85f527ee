"""Members' yearly activity reports (council_member_reports): a text and/or a file per
member and year, written and published by the clerk.

Revision ID: 6a2fd8fc20fc
Revises: 0e7581246114
Create Date: 2026-12-05 16:59:28.260207

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a2fd8fc20fc'
down_revision = '0e7581246114'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('council_member_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('file_path', sa.String(length=400), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_type', sa.String(length=100), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['council_members.id'], name=op.f('fk_council_member_reports_member_id_council_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_council_member_reports_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_member_reports')),
    sa.UniqueConstraint('tenant_id', 'member_id', 'year', name=op.f('uq_council_member_reports_tenant_id_member_id_year'))
    )
    with op.batch_alter_table('council_member_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_member_reports_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_member_reports_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('council_member_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_member_reports_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_council_member_reports_member_id'))

    op.drop_table('council_member_reports')
