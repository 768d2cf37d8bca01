"""the child's sharing choice can name one grown-up in the family

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 12:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('shared_with_member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contributions_shared_with_member_id_family_members'), 'family_members', ['shared_with_member_id'], ['id'])


def downgrade():
    with op.batch_alter_table('contributions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_shared_with_member_id_family_members'), type_='foreignkey')
        batch_op.drop_column('shared_with_member_id')
