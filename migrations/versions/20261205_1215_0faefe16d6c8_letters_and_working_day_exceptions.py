"""Letters to the mayor and the Sakrebulo chair (letters, letter_events) and the
municipalities' own working-day exceptions (working_day_exceptions).

Revision ID: 0faefe16d6c8
Revises: 493d135caf8d
Create Date: 2026-12-05 11:15:50.219026

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0faefe16d6c8'
down_revision = '493d135caf8d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=10), nullable=False),
    sa.Column('tracking_hash', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('forwarded_to', sa.String(length=300), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('wants_publication', sa.Boolean(), nullable=False),
    sa.Column('is_withheld', sa.Boolean(), nullable=False),
    sa.Column('feedback_asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('feedback', sa.String(length=20), nullable=True),
    sa.Column('feedback_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_letters_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_letters_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_letters_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('tenant_id', 'tracking_hash', name=op.f('uq_letters_tenant_id_tracking_hash'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_letters_tenant_id_recipient_status', ['tenant_id', 'recipient', 'status'], unique=False)

    op.create_table('working_day_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_working_day_exceptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_day_exceptions')),
    sa.UniqueConstraint('tenant_id', 'day', name=op.f('uq_working_day_exceptions_tenant_id_day'))
    )
    with op.batch_alter_table('working_day_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_day_exceptions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('letter_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_letter_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_events_letter_id_letters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_letter_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_events'))
    )
    with op.batch_alter_table('letter_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_events_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_events_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('letter_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_events_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_letter_events_letter_id'))

    op.drop_table('letter_events')
    with op.batch_alter_table('working_day_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_day_exceptions_tenant_id'))

    op.drop_table('working_day_exceptions')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_tenant_id_recipient_status')
        batch_op.drop_index(batch_op.f('ix_letters_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_letters_author_id'))
        batch_op.drop_index(batch_op.f('ix_letters_assignee_id'))

    op.drop_table('letters')
