"""Petition settings move from the profile overrides to the petitions feature's settings.

Staff-saved ``petitions.registered_voters`` / ``petitions.threshold`` (feature ``profile``)
become ``registered_voters`` / ``threshold`` of feature ``petitions`` (its FeatureSettings in
portal/blueprints/petitions/settings.py). Data only; no schema change.

Revision ID: e4b8c2d6f1a3
Revises: b7c3e91d4a20
Create Date: 2026-12-05 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b8c2d6f1a3'
down_revision = 'b7c3e91d4a20'
branch_labels = None
depends_on = None

NAMES = ('registered_voters', 'threshold')
settings = sa.table('tenant_settings', sa.column('feature', sa.String), sa.column('name', sa.String))


def upgrade():
    for name in NAMES:
        op.execute(settings.update()
                   .where(settings.c.feature == 'profile', settings.c.name == f'petitions.{name}')
                   .values(feature='petitions', name=name))


def downgrade():
    for name in NAMES:
        op.execute(settings.update()
                   .where(settings.c.feature == 'petitions', settings.c.name == name)
                   .values(feature='profile', name=f'petitions.{name}'))
