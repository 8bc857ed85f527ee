"""Petitions (issue 12): petitions, their timeline, signatures (personal numbers as a keyed hash
plus an encrypted copy, never readable) and the dated voter counts behind the threshold.

Revision ID: f2a6d4c8e913
Revises: e4b8c2d6f1a3
Create Date: 2026-12-05 08:46:26.861680

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a6d4c8e913'
down_revision = 'e4b8c2d6f1a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('petition_voter_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.Column('counted_on', sa.Date(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_petition_voter_counts_set_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petition_voter_counts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_voter_counts')),
    sa.UniqueConstraint('tenant_id', 'counted_on', name=op.f('uq_petition_voter_counts_tenant_id_counted_on'))
    )
    with op.batch_alter_table('petition_voter_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_voter_counts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('requested_action', sa.Text(), nullable=False),
    sa.Column('form', sa.String(length=30), nullable=False),
    sa.Column('attachment_path', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('rejection_reason', sa.String(length=30), nullable=True),
    sa.Column('rejection_note', sa.Text(), nullable=False),
    sa.Column('collection_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('collection_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('threshold', sa.Integer(), nullable=True),
    sa.Column('signature_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sample_seed', sa.Integer(), nullable=True),
    sa.Column('sample_size', sa.Integer(), nullable=True),
    sa.Column('sample_population', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_petitions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petitions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_petitions_tenant_id_status', ['tenant_id', 'status'], unique=False)

    op.create_table('petition_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_petition_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_events_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petition_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_events'))
    )
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_events_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_events_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('petition_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('personal_number_hash', sa.String(length=64), nullable=True),
    sa.Column('personal_number_sealed', sa.String(length=255), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_normalised', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('is_paper', sa.Boolean(), nullable=False),
    sa.Column('has_consent', sa.Boolean(), nullable=False),
    sa.Column('wants_outcome', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_sampled', sa.Boolean(), nullable=False),
    sa.Column('validity', sa.String(length=10), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_signatures_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petition_signatures_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_signatures')),
    sa.UniqueConstraint('tenant_id', 'petition_id', 'personal_number_hash', name=op.f('uq_petition_signatures_tenant_id_petition_id_personal_number_hash'))
    )
    with op.batch_alter_table('petition_signatures', schema=None) as batch_op:
        batch_op.create_index('ix_petition_signatures_counted_at_confirmed_at', ['counted_at', 'confirmed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_signatures_email_normalised'), ['email_normalised'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_signatures_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_signatures_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('petition_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_signatures_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_petition_signatures_petition_id'))
        batch_op.drop_index(batch_op.f('ix_petition_signatures_email_normalised'))
        batch_op.drop_index('ix_petition_signatures_counted_at_confirmed_at')

    op.drop_table('petition_signatures')
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_events_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_petition_events_petition_id'))

    op.drop_table('petition_events')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index('ix_petitions_tenant_id_status')
        batch_op.drop_index(batch_op.f('ix_petitions_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_author_id'))

    op.drop_table('petitions')
    with op.batch_alter_table('petition_voter_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_voter_counts_tenant_id'))

    op.drop_table('petition_voter_counts')
