"""The tour's sights (tour_sights): a cultural, historical or natural place of the
municipality, its point on the map, one photo in its widths, published or a draft.

Revision ID: 0e7581246114
Revises: 7e2c4a9b1d35
Create Date: 2026-12-05 17:01:21.739849

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e7581246114'
down_revision = '7e2c4a9b1d35'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tour_sights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=500), server_default='', nullable=False),
    sa.Column('address_en', sa.String(length=500), server_default='', nullable=False),
    sa.Column('image_paths', sa.JSON(), nullable=True),
    sa.Column('width', sa.Integer(), server_default='0', nullable=False),
    sa.Column('height', sa.Integer(), server_default='0', nullable=False),
    sa.Column('photo_alt', sa.String(length=300), server_default='', nullable=False),
    sa.Column('photo_alt_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('is_published', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tour_sights_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tour_sights'))
    )
    with op.batch_alter_table('tour_sights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tour_sights_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_tour_sights_tenant_id_is_published', ['tenant_id', 'is_published'], unique=False)



def downgrade():
    with op.batch_alter_table('tour_sights', schema=None) as batch_op:
        batch_op.drop_index('ix_tour_sights_tenant_id_is_published')
        batch_op.drop_index(batch_op.f('ix_tour_sights_tenant_id'))

    op.drop_table('tour_sights')
