"""a reply to the child names the plan action it is about

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_action_key', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.drop_column('plan_action_key')
