"""Petition authors' profiles (identity confirmed by e-mail and SMS code) and co-sponsors;
a petition's attachment name and type, its co-sponsor link key, the archive session and
moment it was discussed at, and the decision text; the shared SMS confirmation codes.

Revision ID: 356a525a6f5f
Revises: a9d3f5b1c724
Create Date: 2026-12-05 11:08:36.677098

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '356a525a6f5f'
down_revision = 'a9d3f5b1c724'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('petition_author_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('personal_number_hash', sa.String(length=64), nullable=True),
    sa.Column('personal_number_sealed', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('phone_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petition_author_profiles_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_petition_author_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_author_profiles')),
    sa.UniqueConstraint('tenant_id', 'user_id', name=op.f('uq_petition_author_profiles_tenant_id_user_id'))
    )
    with op.batch_alter_table('petition_author_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_author_profiles_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_author_profiles_user_id'), ['user_id'], unique=False)

    op.create_table('phone_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.String(length=60), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_phone_codes_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_codes'))
    )
    with op.batch_alter_table('phone_codes', schema=None) as batch_op:
        batch_op.create_index('ix_phone_codes_purpose_phone', ['purpose', 'phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_codes_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('petition_cosponsors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_cosponsors_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_petition_cosponsors_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_petition_cosponsors_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_cosponsors')),
    sa.UniqueConstraint('tenant_id', 'petition_id', 'user_id', name=op.f('uq_petition_cosponsors_tenant_id_petition_id_user_id'))
    )
    with op.batch_alter_table('petition_cosponsors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_cosponsors_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_cosponsors_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('cosponsor_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_segment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_text', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_petitions_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_petitions_session_segment_id_council_transcript_segments'), 'council_transcript_segments', ['session_segment_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_petitions_session_id_council_sessions'), 'council_sessions', ['session_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_petitions_session_id_council_sessions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_petitions_session_segment_id_council_transcript_segments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_petitions_session_id'))
        batch_op.drop_column('decision_text')
        batch_op.drop_column('session_seconds')
        batch_op.drop_column('session_segment_id')
        batch_op.drop_column('session_id')
        batch_op.drop_column('cosponsor_key')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')

    with op.batch_alter_table('petition_cosponsors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_cosponsors_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_petition_cosponsors_petition_id'))

    op.drop_table('petition_cosponsors')
    with op.batch_alter_table('phone_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_codes_tenant_id'))
        batch_op.drop_index('ix_phone_codes_purpose_phone')

    op.drop_table('phone_codes')
    with op.batch_alter_table('petition_author_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_author_profiles_user_id'))
        batch_op.drop_index(batch_op.f('ix_petition_author_profiles_tenant_id'))

    op.drop_table('petition_author_profiles')
