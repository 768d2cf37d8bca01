"""case revision: a token per child, new whenever anything in the case is written

Pages built from a case are kept in memory until it changes (``core.case_revisions``).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27 21:50:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_revision', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('case_revision')
