"""plans: versions, columns, actions, placed words, reviews, scales, sign-offs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 06:20:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('child_protection', 'looked_after', 'child_in_need', name='plankind', native_enum=False, length=20), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_plans_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('child_id', name=op.f('uq_plans_child_id')),
    sqlite_autoincrement=True,
    )

    op.create_table('plan_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('review_conference', 'core_group', 'looked_after_review', 'child_in_need_review', name='reviewkind', native_enum=False, length=30), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('what_changed', sa.Text(), nullable=False),
    sa.Column('recorded_by_label', sa.String(length=400), nullable=False),
    sa.Column('recorded_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_reviews_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_reviews')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_reviews_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('agreed_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('agreed_by_label', sa.String(length=400), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_versions_plan_id_plans')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_reviews.id'], name=op.f('fk_plan_versions_review_id_plan_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_versions_plan_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('section', sa.Enum('harm', 'danger_statement', 'complicating_factor', 'strength', 'existing_safety', 'safety_goal', 'network', name='section', native_enum=False, length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=True),
    sa.Column('voice', sa.Enum('child', 'family', 'professional', name='voice', native_enum=False, length=20), nullable=False),
    sa.Column('child_text', sa.Text(), nullable=True),
    sa.Column('show_to_child', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_items_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_items_version_id'), ['version_id'], unique=False)

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('owner_kind', sa.Enum('staff', 'family', 'child', 'agency', name='ownerkind', native_enum=False, length=10), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'under_way', 'done', 'not_done', name='actionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('not_done_reason', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Enum('be_healthy', 'stay_safe', 'enjoy_and_achieve', 'positive_contribution', 'economic_wellbeing', name='outcome', native_enum=False, length=30), nullable=False),
    sa.Column('planned_outcome', sa.Text(), nullable=True),
    sa.Column('actual_outcome', sa.Text(), nullable=True),
    sa.Column('child_text', sa.Text(), nullable=True),
    sa.Column('show_to_child', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_actions_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_version_id'), ['version_id'], unique=False)

    op.create_table('plan_placed_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('harm', 'danger_statement', 'complicating_factor', 'strength', 'existing_safety', 'safety_goal', 'network', name='section', native_enum=False, length=30), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('placed_by_label', sa.String(length=400), nullable=False),
    sa.Column('placed_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('child_text', sa.Text(), nullable=True),
    sa.Column('show_to_child', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_plan_placed_words_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_placed_words_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_placed_words')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_placed_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_placed_words_version_id'), ['version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_placed_words_contribution_id'), ['contribution_id'], unique=False)

    op.create_table('plan_words_taken_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('harm', 'danger_statement', 'complicating_factor', 'strength', 'existing_safety', 'safety_goal', 'network', name='section', native_enum=False, length=30), nullable=False),
    sa.Column('consent_withdrawn', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_plan_words_taken_out_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_words_taken_out_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_words_taken_out')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_words_taken_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_words_taken_out_version_id'), ['version_id'], unique=False)

    op.create_table('plan_review_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['plan_reviews.id'], name=op.f('fk_plan_review_participants_review_id_plan_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review_participants')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_review_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_review_participants_review_id'), ['review_id'], unique=False)

    op.create_table('plan_review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=400), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('record_entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['record_entry_id'], ['record_entries.id'], name=op.f('fk_plan_review_decisions_record_entry_id_record_entries')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_reviews.id'], name=op.f('fk_plan_review_decisions_review_id_plan_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review_decisions')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_review_decisions_review_id'), ['review_id'], unique=False)

    op.create_table('plan_scale_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('participant_kind', sa.Enum('child', 'parent', 'family', 'practitioner', 'agency', name='participantkind', native_enum=False, length=20), nullable=False),
    sa.Column('participant_name', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('show_to_child', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['plan_reviews.id'], name=op.f('fk_plan_scale_ratings_review_id_plan_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_scale_ratings')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_scale_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_scale_ratings_review_id'), ['review_id'], unique=False)

    op.create_table('plan_sign_offs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=False),
    sa.Column('signed_off_by_label', sa.String(length=400), nullable=False),
    sa.Column('signed_off_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['users.id'], name=op.f('fk_plan_sign_offs_signed_off_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_sign_offs_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_sign_offs')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('plan_sign_offs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_sign_offs_version_id'), ['version_id'], unique=False)


def downgrade():
    op.drop_table('plan_sign_offs')
    op.drop_table('plan_scale_ratings')
    op.drop_table('plan_review_decisions')
    op.drop_table('plan_review_participants')
    op.drop_table('plan_words_taken_out')
    op.drop_table('plan_placed_words')
    op.drop_table('plan_actions')
    op.drop_table('plan_items')
    op.drop_table('plan_versions')
    op.drop_table('plan_reviews')
    op.drop_table('plans')
