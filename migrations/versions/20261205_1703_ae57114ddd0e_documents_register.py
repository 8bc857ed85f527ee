"""The register of public documents (issue 15): documents (category, number, date, issuing
body, words in Georgian and English) and their file versions with the text read from each.
Their search entries live in the archive's search tables (no change to them).

Revision ID: ae57114ddd0e
Revises: 8533f773097f
Create Date: 2026-12-05 17:03:24.483611

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae57114ddd0e'
down_revision = '8533f773097f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('issuer', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=60), server_default='', nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('is_published', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_public_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_documents'))
    )
    with op.batch_alter_table('public_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_documents_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_public_documents_tenant_id_listed', ['tenant_id', 'is_published', 'adopted_on'], unique=False)

    op.create_table('public_document_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('note', sa.String(length=300), server_default='', nullable=False),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('text_status', sa.String(length=10), server_default='pending', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['public_documents.id'], name=op.f('fk_public_document_versions_document_id_public_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_public_document_versions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_document_versions')),
    sa.UniqueConstraint('tenant_id', 'document_id', 'number', name=op.f('uq_public_document_versions_tenant_id_document_id_number'))
    )
    with op.batch_alter_table('public_document_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_document_versions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_document_versions_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('public_document_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_document_versions_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_public_document_versions_document_id'))

    op.drop_table('public_document_versions')
    with op.batch_alter_table('public_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_public_documents_tenant_id_listed')
        batch_op.drop_index(batch_op.f('ix_public_documents_tenant_id'))

    op.drop_table('public_documents')
