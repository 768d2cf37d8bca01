"""reports for meetings: versions, sections, the child's words, sharing, family comments

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 07:30:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('cp_initial_conference', 'cp_review_conference', 'child_in_need_review', 'looked_after_review', 'assessment', name='reportkind', native_enum=False, length=30), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_reports_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_child_id'), ['child_id'], unique=False)

    op.create_table('report_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('no_child_words_reason', sa.Text(), nullable=True),
    sa.Column('signed_off_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_by_label', sa.String(length=400), nullable=True),
    sa.Column('record_entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['record_entry_id'], ['record_entries.id'], name=op.f('fk_report_versions_record_entry_id_record_entries')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_versions_report_id_reports')),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['users.id'], name=op.f('fk_report_versions_signed_off_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_versions')),
    sa.UniqueConstraint('report_id', 'number', name=op.f('uq_report_versions_report_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_versions_report_id'), ['report_id'], unique=False)

    op.create_table('report_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('reason', 'worried', 'working_well', 'needs_to_happen', 'child_views', 'family_views', 'analysis', 'recommendations', 'progress', 'care_plan', 'development', 'parenting', 'family_environment', name='reportsection', native_enum=False, length=30), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('author_label', sa.String(length=400), nullable=False),
    sa.Column('stance', sa.Enum('agree', 'partly_agree', 'disagree', name='stance', native_enum=False, length=20), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_members.id'], name=op.f('fk_report_comments_family_member_id_family_members')),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_comments_version_id_report_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_comments')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_comments_version_id'), ['version_id'], unique=False)

    op.create_table('report_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('reason', 'worried', 'working_well', 'needs_to_happen', 'child_views', 'family_views', 'analysis', 'recommendations', 'progress', 'care_plan', 'development', 'parenting', 'family_environment', name='reportsection', native_enum=False, length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answers_comment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answers_comment_id'], ['report_comments.id'], name=op.f('fk_report_texts_answers_comment_id_report_comments')),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_texts_version_id_report_versions')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_report_texts_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_texts')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_texts_version_id'), ['version_id'], unique=False)

    op.create_table('report_analysis_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('fact', 'opinion', 'judgement', name='pointkind', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('entry_ids', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_analysis_points_version_id_report_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_analysis_points')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_analysis_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_analysis_points_version_id'), ['version_id'], unique=False)

    op.create_table('report_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=400), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_decisions_version_id_report_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_decisions')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_decisions_version_id'), ['version_id'], unique=False)

    op.create_table('report_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=400), nullable=True),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_report_words_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_words_version_id_report_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_words')),
    sa.UniqueConstraint('version_id', 'contribution_id', name=op.f('uq_report_words_version_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_words_version_id'), ['version_id'], unique=False)

    op.create_table('report_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('family_account_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('shared_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_account_id'], ['family_accounts.id'], name=op.f('fk_report_shares_family_account_id_family_accounts')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_shares_report_id_reports')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_report_shares_shared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_shares')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_shares_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_shares_family_account_id'), ['family_account_id'], unique=False)

    op.create_table('report_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('changed', 'kept', name='answeroutcome', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=False),
    sa.Column('answered_by_label', sa.String(length=400), nullable=False),
    sa.Column('answered_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_report_answers_answered_by_id_users')),
    sa.ForeignKeyConstraint(['comment_id'], ['report_comments.id'], name=op.f('fk_report_answers_comment_id_report_comments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_answers')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_answers_comment_id'), ['comment_id'], unique=False)

    op.create_table('report_final_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('author_label', sa.String(length=400), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_members.id'], name=op.f('fk_report_final_views_family_member_id_family_members')),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], name=op.f('fk_report_final_views_version_id_report_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_final_views')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_final_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_final_views_version_id'), ['version_id'], unique=False)


def downgrade():
    op.drop_table('report_final_views')
    op.drop_table('report_answers')
    op.drop_table('report_shares')
    op.drop_table('report_words')
    op.drop_table('report_decisions')
    op.drop_table('report_analysis_points')
    op.drop_table('report_texts')
    op.drop_table('report_comments')
    op.drop_table('report_versions')
    op.drop_table('reports')
