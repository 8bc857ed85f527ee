"""Public consultations (issue 15): consultations with their comment period, sections and
draft documents; citizens' comments (confirmed by e-mail, moderated, answered) and the summary.

Revision ID: 8533f773097f
Revises: 7d2c9e4f1a63
Create Date: 2026-12-05 17:02:11.953716

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8533f773097f'
down_revision = '7d2c9e4f1a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='other', nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('summary_en', sa.Text(), server_default='', nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_published', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), server_default='', nullable=False),
    sa.Column('outcome_en', sa.Text(), server_default='', nullable=False),
    sa.Column('outcome_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_consultations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_consultations_tenant_id_is_published', ['tenant_id', 'is_published'], unique=False)

    op.create_table('consultation_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('storage_path', sa.String(length=500), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), server_default='0', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_documents_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_consultation_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_documents'))
    )
    with op.batch_alter_table('consultation_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_documents_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_documents_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('consultation_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_sections_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_consultation_sections_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_sections'))
    )
    with op.batch_alter_table('consultation_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_sections_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_sections_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('consultation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), server_default='', nullable=False),
    sa.Column('show_name', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=5), server_default='ka', nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='unconfirmed', nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('staff_note', sa.Text(), server_default='', nullable=False),
    sa.Column('answer', sa.Text(), server_default='', nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_comments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['consultation_sections.id'], name=op.f('fk_consultation_comments_section_id_consultation_sections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_consultation_comments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comments_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comments_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_consultation_comments_tenant_id_status', ['tenant_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_comments_tenant_id_status')
        batch_op.drop_index(batch_op.f('ix_consultation_comments_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_comments_section_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_comments_consultation_id'))

    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultation_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_sections_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_sections_consultation_id'))

    op.drop_table('consultation_sections')
    with op.batch_alter_table('consultation_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_documents_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_documents_consultation_id'))

    op.drop_table('consultation_documents')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_tenant_id_is_published')
        batch_op.drop_index(batch_op.f('ix_consultations_tenant_id'))

    op.drop_table('consultations')
