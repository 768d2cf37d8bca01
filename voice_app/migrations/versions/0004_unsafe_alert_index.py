"""index for "I don't feel safe" alerts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:05:00

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_contributions_flagged_unsafe_created_at',
        'contributions',
        ['flagged_unsafe', 'created_at'],
    )


def downgrade():
    op.drop_index('ix_contributions_flagged_unsafe_created_at', table_name='contributions')
