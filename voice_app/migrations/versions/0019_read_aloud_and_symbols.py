"""prompts recorded by a person, per language; a child's symbols-mode setting

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 09:40:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uses_symbols', sa.Boolean(), nullable=True))

    op.create_table('prompt_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('prompt_key', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('media_id', sa.String(length=32), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_prompt_recordings_published_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_prompt_recordings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_recordings')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('prompt_recordings', schema=None) as batch_op:
        batch_op.create_index('ix_prompt_recordings_language_prompt_key', ['language', 'prompt_key'], unique=False)


def downgrade():
    with op.batch_alter_table('prompt_recordings', schema=None) as batch_op:
        batch_op.drop_index('ix_prompt_recordings_language_prompt_key')

    op.drop_table('prompt_recordings')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('uses_symbols')
