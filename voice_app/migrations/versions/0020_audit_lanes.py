"""audit lanes and signed checkpoints: audited requests no longer wait on one lock

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 09:45:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # Every entry so far is lane 0: the single chain simply continues as one lane.
    with op.batch_alter_table('audit_entries', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('lane', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_audit_entries_lane_id', ['lane', 'id'], unique=False)

    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('made_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('heads', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_checkpoints_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_checkpoints_prev_hash')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('audit_checkpoints')
    with op.batch_alter_table('audit_entries', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index('ix_audit_entries_lane_id')
        batch_op.drop_column('lane')
