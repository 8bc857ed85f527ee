"""News (issue 13): items of the City Hall and the Sakrebulo (Georgian and English words,
sanitised HTML bodies, status and publication time, one pinned item per municipality, a main
image in generated widths) and the municipality's categories.

Revision ID: 493d135caf8d
Revises: 356a525a6f5f
Create Date: 2026-12-05 11:41:41.652374

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '493d135caf8d'
down_revision = '356a525a6f5f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name_ka', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_news_categories_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_categories')),
    sa.UniqueConstraint('tenant_id', 'slug', name=op.f('uq_news_categories_tenant_id_slug'))
    )
    with op.batch_alter_table('news_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_categories_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('news_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_kind', sa.String(length=20), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('summary_en', sa.Text(), server_default='', nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('body_en', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('publish_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_pinned', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('image_paths', sa.JSON(), nullable=True),
    sa.Column('image_width', sa.Integer(), nullable=True),
    sa.Column('image_height', sa.Integer(), nullable=True),
    sa.Column('image_alt', sa.String(length=300), server_default='', nullable=False),
    sa.Column('image_alt_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['news_categories.id'], name=op.f('fk_news_items_category_id_news_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_news_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_items'))
    )
    with op.batch_alter_table('news_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_items_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_items_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_news_items_tenant_id_status_publish_at', ['tenant_id', 'status', 'publish_at'], unique=False)
        batch_op.create_index('uq_news_items_pinned', ['tenant_id'], unique=True, sqlite_where=sa.text('is_pinned'), postgresql_where=sa.text('is_pinned'))



def downgrade():
    # Dropping a table drops its indexes.
    op.drop_table('news_items')
    op.drop_table('news_categories')
