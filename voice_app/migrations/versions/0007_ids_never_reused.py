"""ids never reused: every table AUTOINCREMENT on SQLite

An audit entry names a row forever (``contribution:14``). SQLite without AUTOINCREMENT
gives a new row the highest id plus one, so after a purge removed the newest rows their
ids went to the next ones. Each table is rebuilt with AUTOINCREMENT (Alembic batch mode
copies the rows, indexes and constraints); ``sqlite_sequence`` then starts from the
highest id in use, so no id handed out before is given again. env.py switches foreign
keys off around migrations, as rebuilding a table others refer to needs.

PostgreSQL's sequences never hand an id out twice: nothing to do there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 06:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: Every table at revision 0006. Tables made later are created with AUTOINCREMENT.
TABLES = (
    'teams',
    'users',
    'children',
    'audit_entries',
    'family_members',
    'case_assignments',
    'invitations',
    'contributions',
    'transcripts',
    'record_entries',
    'consent_decisions',
    'confidential_placements',
    'confidential_access_grants',
    'subject_access_requests',
    'safety_responses',
)


def upgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass


def downgrade():
    # Ids that are never reused harm nothing older code does: the tables stay as they are.
    pass
