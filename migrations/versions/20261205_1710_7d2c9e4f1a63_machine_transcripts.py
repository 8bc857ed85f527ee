"""Machine transcripts (council_transcriptions): one speech-to-text run per recording without
captions, its claim, cost and time; transcript lines keep "machine" in their origin until the
clerk corrects or confirms them.

Revision ID: 7d2c9e4f1a63
Revises: 6a2fd8fc20fc
Create Date: 2026-12-05 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2c9e4f1a63'
down_revision = '6a2fd8fc20fc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('council_transcriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('backend', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('audio_seconds', sa.Float(), nullable=False),
    sa.Column('billed_seconds', sa.Float(), nullable=False),
    sa.Column('cost', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('elapsed_seconds', sa.Float(), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('failure', sa.String(length=20), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recording_id'], ['council_recordings.id'], name=op.f('fk_council_transcriptions_recording_id_council_recordings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_council_transcriptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_transcriptions')),
    sa.UniqueConstraint('tenant_id', 'recording_id', name=op.f('uq_council_transcriptions_tenant_id_recording_id'))
    )
    with op.batch_alter_table('council_transcriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_transcriptions_recording_id'), ['recording_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_transcriptions_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('council_transcriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_transcriptions_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_council_transcriptions_recording_id'))

    op.drop_table('council_transcriptions')
