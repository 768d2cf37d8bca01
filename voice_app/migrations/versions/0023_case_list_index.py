"""case list index: the live children a practitioner leads, in name order

Partial (live records only), so that PostgreSQL as well as SQLite can page a
practitioner's case list in the index's order (name, then id); purged_at comes last, for
SQLite to count the list from the index alone.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27 19:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_children_lead_practitioner_id_full_name_live',
        'children',
        ['lead_practitioner_id', 'full_name', 'id', 'purged_at'],
        sqlite_where=sa.text('purged_at IS NULL'),
        postgresql_where=sa.text('purged_at IS NULL'),
    )


def downgrade():
    op.drop_index('ix_children_lead_practitioner_id_full_name_live', table_name='children')
