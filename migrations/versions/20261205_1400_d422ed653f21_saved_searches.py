"""Saved searches of the archive (issue 13): a query per municipality whose subscribers hear of
new sessions, agenda items, documents and transcript lines that match it, with its watermark,
and the things each was sent about (once: a unique key).

Revision ID: d422ed653f21
Revises: 3b3ef84caad0
Create Date: 2026-12-05 14:00:33.540124

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd422ed653f21'
down_revision = '3b3ef84caad0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('council_saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('terms', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_session_id', sa.Integer(), nullable=False),
    sa.Column('seen_agenda_id', sa.Integer(), nullable=False),
    sa.Column('seen_document_id', sa.Integer(), nullable=False),
    sa.Column('seen_segment_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_council_saved_searches_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_saved_searches')),
    sa.UniqueConstraint('tenant_id', 'terms', name=op.f('uq_council_saved_searches_tenant_id_terms'))
    )
    with op.batch_alter_table('council_saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_saved_searches_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('council_search_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('thing', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['saved_search_id'], ['council_saved_searches.id'], name=op.f('fk_council_search_sent_saved_search_id_council_saved_searches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_council_search_sent_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_search_sent')),
    sa.UniqueConstraint('tenant_id', 'saved_search_id', 'thing', name=op.f('uq_council_search_sent_tenant_id_saved_search_id_thing'))
    )
    with op.batch_alter_table('council_search_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_search_sent_saved_search_id'), ['saved_search_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_search_sent_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('council_search_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_search_sent_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_council_search_sent_saved_search_id'))

    op.drop_table('council_search_sent')
    with op.batch_alter_table('council_saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_saved_searches_tenant_id'))

    op.drop_table('council_saved_searches')
