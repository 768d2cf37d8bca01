"""the child's Words and Pictures copy of a report; consent shared with one family member

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 09:40:00

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

SECTIONS = (
    'reason', 'worried', 'working_well', 'needs_to_happen', 'child_views', 'family_views',
    'analysis', 'recommendations', 'progress', 'care_plan', 'development', 'parenting',
    'family_environment',
)


def upgrade():
    op.create_table('report_child_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum(*SECTIONS, name='reportsection', native_enum=False, length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('removes_id', sa.Integer(), nullable=True),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_by_label', sa.String(length=400), nullable=False),
    sa.Column('written_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_report_child_lines_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['removes_id'], ['report_child_lines.id'], name=op.f('fk_report_child_lines_removes_id_report_child_lines')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_child_lines_report_id_reports')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_report_child_lines_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_child_lines')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_child_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_child_lines_report_id'), ['report_id'], unique=False)

    op.create_table('report_child_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('up_to_line_id', sa.Integer(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=False),
    sa.Column('given_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['given_by_id'], ['users.id'], name=op.f('fk_report_child_copies_given_by_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_child_copies_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_child_copies')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('report_child_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_child_copies_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('consent_decisions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('shared_with_member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_decisions_shared_with_member_id_family_members'), 'family_members', ['shared_with_member_id'], ['id'])


def downgrade():
    with op.batch_alter_table('consent_decisions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_decisions_shared_with_member_id_family_members'), type_='foreignkey')
        batch_op.drop_column('shared_with_member_id')

    with op.batch_alter_table('report_child_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_child_copies_report_id'))
    op.drop_table('report_child_copies')

    with op.batch_alter_table('report_child_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_child_lines_report_id'))
    op.drop_table('report_child_lines')
