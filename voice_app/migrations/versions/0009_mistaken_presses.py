"""mistaken presses: the child says "I pressed it by mistake"

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mistaken_presses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('said_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_mistaken_presses_contribution_id_contributions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mistaken_presses')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('mistaken_presses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mistaken_presses_contribution_id'), ['contribution_id'], unique=True)


def downgrade():
    with op.batch_alter_table('mistaken_presses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mistaken_presses_contribution_id'))

    op.drop_table('mistaken_presses')
