"""family accounts, family invitations, family authors of contributions

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('family_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('family_member_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('sign_in_name', sa.String(length=60), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('reason_for_access', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_family_accounts_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_family_accounts_created_by_id_users')),
    sa.ForeignKeyConstraint(['family_member_id'], ['family_members.id'], name=op.f('fk_family_accounts_family_member_id_family_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_accounts')),
    sa.UniqueConstraint('family_member_id', name=op.f('uq_family_accounts_family_member_id')),
    sa.UniqueConstraint('sign_in_name', name=op.f('uq_family_accounts_sign_in_name')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('family_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_accounts_child_id'), ['child_id'], unique=False)

    op.create_table('family_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['family_accounts.id'], name=op.f('fk_family_invitations_account_id_family_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_family_invitations_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_invitations')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_family_invitations_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_family_invitations_token_hash')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('family_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_invitations_account_id'), ['account_id'], unique=False)

    # The foreign key makes SQLite rebuild the table: keep it AUTOINCREMENT (migration 0007).
    with op.batch_alter_table('contributions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('family_member_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contributions_family_member_id'), ['family_member_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contributions_family_member_id_family_members'), 'family_members', ['family_member_id'], ['id'])


def downgrade():
    with op.batch_alter_table('contributions', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_family_member_id_family_members'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contributions_family_member_id'))
        batch_op.drop_column('family_member_id')

    with op.batch_alter_table('family_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_invitations_account_id'))

    op.drop_table('family_invitations')
    with op.batch_alter_table('family_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_accounts_child_id'))

    op.drop_table('family_accounts')
