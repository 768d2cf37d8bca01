"""ended sign-ins: a sign-out ends the sign-in on the server too

See ``accounts.sign_ins``.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-28 08:10:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sign_in', sa.String(length=32), nullable=False),
    sa.Column('ended_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ended_sign_ins')),
    sa.UniqueConstraint('sign_in', name=op.f('uq_ended_sign_ins_sign_in')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('ended_sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_sign_ins_ended_at'), ['ended_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ended_sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_sign_ins_ended_at'))

    op.drop_table('ended_sign_ins')
