"""transcription lease

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import voice_app.core.db


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_expires_at', voice_app.core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.drop_column('lease_expires_at')
