"""accounts: one-time activation codes (sha256) with which a pegawai sets their own first password

Revision ID: 0006_accounts
Revises: 0005_public
Create Date: 2026-12-03 14:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_accounts'
down_revision = '0005_public'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activation_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('activation_expires_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_activation_hash'), ['activation_hash'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_activation_hash'), type_='unique')
        batch_op.drop_column('activation_expires_at')
        batch_op.drop_column('activation_hash')
