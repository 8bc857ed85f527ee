"""Create the tenants table: one row per municipality.

Revision ID: 208051d356c3
Revises: 
Create Date: 2026-11-25 03:52:51.146221

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '208051d356c3'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('tenants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name_ka', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug'))
    )



def downgrade():
    
    op.drop_table('tenants')

