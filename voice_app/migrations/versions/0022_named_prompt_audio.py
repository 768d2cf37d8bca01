"""named prompt audio: read-aloud of prompts holding a child's name, kept as case data

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27 13:10:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('named_prompt_audio',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('fmt', sa.String(length=4), nullable=False),
    sa.Column('media_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_named_prompt_audio_child_id_children')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_named_prompt_audio')),
    sa.UniqueConstraint('child_id', 'key', 'fmt', name=op.f('uq_named_prompt_audio_child_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('named_prompt_audio', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_named_prompt_audio_child_id'), ['child_id'], unique=False)


def downgrade():
    with op.batch_alter_table('named_prompt_audio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_named_prompt_audio_child_id'))

    op.drop_table('named_prompt_audio')
