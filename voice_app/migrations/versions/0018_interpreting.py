"""interpreting: interpreters' languages, requests, translations beside originals

Revision ID: 0018
Revises: 0015
Create Date: 2026-11-27 09:40:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interpreter_languages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('added_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_interpreter_languages_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpreter_languages')),
    sa.UniqueConstraint('user_id', 'language', name=op.f('uq_interpreter_languages_user_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('interpreter_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpreter_languages_user_id'), ['user_id'], unique=False)

    op.create_table('interpreting_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('contribution', 'report_section', 'report_draft', 'plan', 'live_session', name='requestkind', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('interpreter_id', sa.Integer(), nullable=False),
    sa.Column('interpreter_label', sa.String(length=400), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', name='requeststatus', native_enum=False, length=10), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('report_section', sa.String(length=30), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('session_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('session_place', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confidential_included_by_id', sa.Integer(), nullable=True),
    sa.Column('confidential_included_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_interpreting_requests_child_id_children')),
    sa.ForeignKeyConstraint(['confidential_included_by_id'], ['users.id'], name=op.f('fk_interpreting_requests_confidential_included_by_id_users')),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_interpreting_requests_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['interpreter_id'], ['users.id'], name=op.f('fk_interpreting_requests_interpreter_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_interpreting_requests_plan_id_plans')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_interpreting_requests_report_id_reports')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_interpreting_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpreting_requests')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('interpreting_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpreting_requests_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_interpreting_requests_interpreter_id_status', ['interpreter_id', 'status'], unique=False)

    op.create_table('translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('source_kind', sa.Enum('contribution', 'report_text', 'plan_version', 'report_comment', name='sourcekind', native_enum=False, length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('language_from', sa.String(length=10), nullable=False),
    sa.Column('language_to', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('machine_draft', 'draft', 'confirmed', name='translationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_by_label', sa.String(length=400), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_translations_child_id_children')),
    sa.ForeignKeyConstraint(['request_id'], ['interpreting_requests.id'], name=op.f('fk_translations_request_id_interpreting_requests')),
    sa.ForeignKeyConstraint(['translated_by_id'], ['users.id'], name=op.f('fk_translations_translated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translations')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translations_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_translations_source_kind_source_id', ['source_kind', 'source_id'], unique=False)


def downgrade():
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.drop_index('ix_translations_source_kind_source_id')
        batch_op.drop_index(batch_op.f('ix_translations_child_id'))
    op.drop_table('translations')
    with op.batch_alter_table('interpreting_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_interpreting_requests_interpreter_id_status')
        batch_op.drop_index(batch_op.f('ix_interpreting_requests_child_id'))
    op.drop_table('interpreting_requests')
    with op.batch_alter_table('interpreter_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interpreter_languages_user_id'))
    op.drop_table('interpreter_languages')
