"""pegawai status: aktif, pensiun, pindah, berhenti, meninggal, and since when (only aktif pegawai get evaluations)

Revision ID: 0007_pegawai_status
Revises: 0006_accounts
Create Date: 2026-12-03 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_pegawai_status'
down_revision = '0006_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pegawai', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='aktif', nullable=False))
        batch_op.add_column(sa.Column('status_since', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('pegawai', schema=None) as batch_op:
        batch_op.drop_column('status_since')
        batch_op.drop_column('status')
