"""Municipal services and electronic registration (issue 14): departments with their
calendars, the catalogue of services and their application forms, the places taken per slot
(never more than the capacity: a CHECK), applications and appointments with their history
and files.

Revision ID: da860e6add0d
Revises: 8931ffcca065
Create Date: 2026-12-05 14:02:24.955889

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'da860e6add0d'
down_revision = "8931ffcca065"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_ka', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('place_ka', sa.String(length=300), server_default='', nullable=False),
    sa.Column('place_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), server_default='30', nullable=False),
    sa.Column('slot_capacity', sa.Integer(), server_default='1', nullable=False),
    sa.Column('days_ahead', sa.Integer(), server_default='21', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_departments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_departments'))
    )
    with op.batch_alter_table('service_departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_departments_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('service_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('taken >= 0 AND taken <= capacity', name=op.f('ck_service_slots_taken_within_capacity')),
    sa.ForeignKeyConstraint(['department_id'], ['service_departments.id'], name=op.f('fk_service_slots_department_id_service_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_slots_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_slots')),
    sa.UniqueConstraint('tenant_id', 'department_id', 'day', 'start_minute', name=op.f('uq_service_slots_tenant_id_department_id_day_start_minute'))
    )
    with op.batch_alter_table('service_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_slots_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_slots_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('title_ka', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('summary_ka', sa.Text(), server_default='', nullable=False),
    sa.Column('summary_en', sa.Text(), server_default='', nullable=False),
    sa.Column('eligibility_ka', sa.Text(), server_default='', nullable=False),
    sa.Column('eligibility_en', sa.Text(), server_default='', nullable=False),
    sa.Column('documents_ka', sa.Text(), server_default='', nullable=False),
    sa.Column('documents_en', sa.Text(), server_default='', nullable=False),
    sa.Column('fee_tetri', sa.Integer(), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='GEL', nullable=False),
    sa.Column('delivery_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('legal_basis_ka', sa.Text(), server_default='', nullable=False),
    sa.Column('legal_basis_en', sa.Text(), server_default='', nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['service_departments.id'], name=op.f('fk_services_department_id_service_departments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_services_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('service_fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label_ka', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), server_default='', nullable=False),
    sa.Column('choices', sa.Text(), server_default='', nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_fields_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_fields_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_fields'))
    )
    with op.batch_alter_table('service_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_fields_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_fields_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('service_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('link_nonce', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('start_minute', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), server_default='', nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_requests_service_id_services'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['slot_id'], ['service_slots.id'], name=op.f('fk_service_requests_slot_id_service_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_requests_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_requests_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_requests')),
    sa.UniqueConstraint('tenant_id', 'code_hash', name=op.f('uq_service_requests_tenant_id_code_hash'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_requests_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_service_requests_tenant_id_day', ['tenant_id', 'day'], unique=False)
        batch_op.create_index('ix_service_requests_tenant_id_status', ['tenant_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_user_id'), ['user_id'], unique=False)

    op.create_table('service_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_service_request_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'], name=op.f('fk_service_request_events_request_id_service_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_request_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_events'))
    )
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_events_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_events_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('service_request_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=True),
    sa.Column('storage_path', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['field_id'], ['service_fields.id'], name=op.f('fk_service_request_files_field_id_service_fields'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'], name=op.f('fk_service_request_files_request_id_service_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_request_files_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_files')),
    sa.UniqueConstraint('tenant_id', 'storage_path', name=op.f('uq_service_request_files_tenant_id_storage_path'))
    )
    with op.batch_alter_table('service_request_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_files_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_files_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('service_request_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_files_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_service_request_files_request_id'))

    op.drop_table('service_request_files')
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_events_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_service_request_events_request_id'))

    op.drop_table('service_request_events')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_requests_user_id'))
        batch_op.drop_index('ix_service_requests_tenant_id_status')
        batch_op.drop_index('ix_service_requests_tenant_id_day')
        batch_op.drop_index(batch_op.f('ix_service_requests_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_service_requests_slot_id'))
        batch_op.drop_index(batch_op.f('ix_service_requests_service_id'))

    op.drop_table('service_requests')
    with op.batch_alter_table('service_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_fields_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_service_fields_service_id'))

    op.drop_table('service_fields')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_services_department_id'))

    op.drop_table('services')
    with op.batch_alter_table('service_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_slots_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_service_slots_department_id'))

    op.drop_table('service_slots')
    with op.batch_alter_table('service_departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_departments_tenant_id'))

    op.drop_table('service_departments')
