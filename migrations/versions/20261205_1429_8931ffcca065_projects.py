"""Infrastructure projects (issue 15): projects with their place as GeoJSON, money in minor
units, status and progress; their dated updates and the updates' photos.

Revision ID: 8931ffcca065
Revises: 8c5b68e3f38c
Create Date: 2026-12-05 14:29:41.981643

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8931ffcca065'
down_revision = "8c5b68e3f38c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=300), server_default='', nullable=False),
    sa.Column('place_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('unit', sa.String(length=120), server_default='', nullable=False),
    sa.Column('contractor', sa.String(length=300), server_default='', nullable=False),
    sa.Column('budget_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('spent_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='GEL', nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='planned', nullable=False),
    sa.Column('percent_complete', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_published', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_projects_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_projects_tenant_id_is_published', ['tenant_id', 'is_published'], unique=False)

    op.create_table('project_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_updates_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_project_updates_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_updates'))
    )
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_updates_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_updates_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('project_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('image_paths', sa.JSON(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=300), nullable=False),
    sa.Column('alt_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_project_photos_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['project_updates.id'], name=op.f('fk_project_photos_update_id_project_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_photos'))
    )
    with op.batch_alter_table('project_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_photos_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_photos_update_id'), ['update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_photos_update_id'))
        batch_op.drop_index(batch_op.f('ix_project_photos_tenant_id'))

    op.drop_table('project_photos')
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_updates_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_project_updates_project_id'))

    op.drop_table('project_updates')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_tenant_id_is_published')
        batch_op.drop_index(batch_op.f('ix_projects_tenant_id'))

    op.drop_table('projects')
