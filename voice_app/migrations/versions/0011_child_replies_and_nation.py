"""replies to the child ("you said, we did") and the child's UK nation

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nation', sa.Enum('england_wales', 'scotland', 'northern_ireland', name='nation', native_enum=False, length=20), server_default='england_wales', nullable=False))

    op.create_table('child_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('what_we_did', sa.Text(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_by_label', sa.String(length=400), nullable=False),
    sa.Column('written_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_replies_child_id_children')),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_child_replies_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['child_replies.id'], name=op.f('fk_child_replies_supersedes_id_child_replies')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_child_replies_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_replies')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_replies_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_child_replies_contribution_id_id', ['contribution_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.drop_index('ix_child_replies_contribution_id_id')
        batch_op.drop_index(batch_op.f('ix_child_replies_child_id'))

    op.drop_table('child_replies')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('nation')
