"""An id names one row forever: a purged record's ids are never given to new rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from tests.factories import ChildFactory, UserFactory
from tests.record.test_retention import full_record
from voice_app.accounts.models import Invitation
from voice_app.children.models import CaseAssignment, FamilyMember
from voice_app.contributions.models import Contribution, SafetyResponse, Transcript
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConsentDecision,
    RecordEntry,
    SubjectAccessRequest,
)

#: Every table a purge empties for the child, each named by audit entries and links.
PURGED_TABLES = (
    Contribution,
    Transcript,
    SafetyResponse,
    RecordEntry,
    ConsentDecision,
    ConfidentialPlacement,
    ConfidentialAccessGrant,
    SubjectAccessRequest,
    FamilyMember,
    CaseAssignment,
    Invitation,
)


def highest_ids() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.max(model.id))) or 0
        for model in PURGED_TABLES
    }


def test_ids_of_a_purged_record_are_never_reused(app, runner):
    worker = UserFactory()
    manager = UserFactory(team=worker.team, role=Role.MANAGER)
    kept = ChildFactory(team=worker.team)
    full_record(kept, worker, "MkKept")
    # The purged record is the newest, so its rows hold the highest ids of every table:
    # exactly the ids SQLite without AUTOINCREMENT hands out again.
    doomed = ChildFactory(team=worker.team)
    full_record(doomed, worker, "MkGone")
    doomed.closed_at, doomed.closed_by_id = utcnow() - timedelta(days=3000), manager.id
    doomed.closing_summary = "Closed."
    doomed.destroy_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    before = highest_ids()
    assert all(before.values()), before
    doomed_contributions = set(
        db.session.scalars(select(Contribution.id).where(Contribution.child_id == doomed.id))
    )
    assert max(doomed_contributions) == before["contributions"]

    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0 and f"Purged {doomed.reference}" in result.output
    db.session.expire_all()
    assert not set(
        db.session.scalars(select(Contribution.id).where(Contribution.child_id == doomed.id))
    )

    newcomer = ChildFactory(team=worker.team)
    full_record(newcomer, worker, "MkNew")
    assert newcomer.id > doomed.id
    after = highest_ids()
    # Each table's newest row (the newcomer's) has an id no purged row ever had.
    assert [table for table in after if after[table] <= before[table]] == []
    newest = set(
        db.session.scalars(select(Contribution.id).where(Contribution.child_id == newcomer.id))
    )
    assert min(newest) > max(doomed_contributions)


def test_every_sqlite_table_is_autoincrement(app):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's sequences never hand an id out twice
    tables = db.session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
        )
    ).all()
    assert {name for name, _sql in tables} == set(db.metadata.tables)
    assert [name for name, sql in tables if "AUTOINCREMENT" not in sql] == []
