"""Citizen satisfaction (satisfaction_invitations): one row per thing a citizen is invited to
rate, then their rating and comment; the contact is blanked once the invitation is sent.

Revision ID: 5a7f3c2e9b41
Revises: da860e6add0d
Create Date: 2026-12-05 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7f3c2e9b41'
down_revision = 'da860e6add0d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('satisfaction_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('contact_hash', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('comment_state', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('rating IS NULL OR (rating >= 1 AND rating <= 5)', name=op.f('ck_satisfaction_invitations_rating_range')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_satisfaction_invitations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_invitations')),
    sa.UniqueConstraint('tenant_id', 'kind', 'subject_id', name=op.f('uq_satisfaction_invitations_tenant_id_kind_subject_id'))
    )
    with op.batch_alter_table('satisfaction_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_satisfaction_invitations_tenant_id_contact_hash', ['tenant_id', 'contact_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_invitations_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('satisfaction_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_invitations_tenant_id'))
        batch_op.drop_index('ix_satisfaction_invitations_tenant_id_contact_hash')

    op.drop_table('satisfaction_invitations')
