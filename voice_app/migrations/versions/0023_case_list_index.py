"""case list index: a practitioner's children by lead, live, in name order

Replaces ix_children_lead_practitioner_id, which is its first column: the case list
counts the children a practitioner leads from this index alone, and pages them in its
order (name, then id) without sorting them all.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27 19:20:00

"""
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_children_lead_practitioner_id_purged_at_full_name',
        'children',
        ['lead_practitioner_id', 'purged_at', 'full_name', 'id'],
    )
    op.drop_index('ix_children_lead_practitioner_id', table_name='children')


def downgrade():
    op.create_index('ix_children_lead_practitioner_id', 'children', ['lead_practitioner_id'])
    op.drop_index('ix_children_lead_practitioner_id_purged_at_full_name', table_name='children')
