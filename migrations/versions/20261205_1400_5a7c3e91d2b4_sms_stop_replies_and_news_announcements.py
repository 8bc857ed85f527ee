"""SMS replies (STOP) kept by their provider id, and news items' announced_at (items scheduled
for later are announced once their time comes; items already public count as announced).

Revision ID: 5a7c3e91d2b4
Revises: b5d1e7a3c942
Create Date: 2026-12-05 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c3e91d2b4'
down_revision = 'b5d1e7a3c942'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscription_sms_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_message_id', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_subscription_sms_replies_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_sms_replies')),
    sa.UniqueConstraint('tenant_id', 'provider_message_id', name=op.f('uq_subscription_sms_replies_tenant_id_provider_message_id'))
    )
    with op.batch_alter_table('subscription_sms_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_sms_replies_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_sms_replies_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('news_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True))
    # What is public already was published before announcing existed: nobody is told now.
    op.execute("UPDATE news_items SET announced_at = publish_at "
               "WHERE status = 'published' AND publish_at <= CURRENT_TIMESTAMP")


def downgrade():
    with op.batch_alter_table('news_items', schema=None) as batch_op:
        batch_op.drop_column('announced_at')

    with op.batch_alter_table('subscription_sms_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_sms_replies_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_sms_replies_received_at'))

    op.drop_table('subscription_sms_replies')
