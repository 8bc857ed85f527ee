"""Sign-in back-off per account and client address (sign_in_failures) instead of on the account.

The account-wide counters (users.failed_logins, users.locked_until) let anyone keep a staff
member out; they are dropped (open counts are simply forgotten). Plain ALTER TABLE ... DROP
COLUMN, not batch mode: rebuilding ``users`` on SQLite with foreign keys on would cascade.

Revision ID: b7c41d9e2a06
Revises: a1f9def68994
Create Date: 2026-12-02 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41d9e2a06'
down_revision = 'a1f9def68994'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_failures_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    sa.UniqueConstraint('user_id', 'address', name=op.f('uq_sign_in_failures_user_id_address'))
    )
    op.drop_column('users', 'failed_logins')
    op.drop_column('users', 'locked_until')


def downgrade():
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.drop_table('sign_in_failures')
