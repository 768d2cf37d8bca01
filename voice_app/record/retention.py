"""Destroying a record at the end of its retention period, leaving a tombstone.

This is the one place that removes the append-only rows (entries, consent decisions,
placements) and reaches across areas: the whole record goes, so every table holding part
of it is emptied for the child with bulk statements. Which tables those are is read from
the models, not listed by hand: every table with a ``child_id`` column, and every table
whose foreign key points at a row that is the child's (a report's versions, a plan's
actions, a family member's account), however deep. A new area's tables are therefore
destroyed with the record the day they are written. The child's row stays with only its
reference, team and dates, and the audit log gets a ``record_purged`` entry with counts,
never content. The audit trail itself is never touched, so ``flask audit verify`` holds.

Files go first: if the database work then fails, a rerun finds the rows and finishes,
whereas rows removed before their files would leave files nobody can find to destroy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.closure import retention_policy
from voice_app.children.models import Child
from voice_app.contributions import upload_sessions
from voice_app.core.db import Base, utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db

#: Tables a purge leaves alone: the audit trail must outlive the record it describes
#: (its ``child_id`` is deliberately not a foreign key), and the child's own row stays as
#: the tombstone, emptied of everything personal.
KEPT_AFTER_PURGE = frozenset({"audit_entries", "audit_checkpoints", "children"})

#: What a purged child's NOT NULL personal columns hold instead.
PURGED_NAME = "—"
PURGED_DATE_OF_BIRTH = date(1900, 1, 1)
#: Personal columns that are emptied.
BLANKED_FIELDS = (
    "preferred_name",
    "gender",
    "ethnicity",
    "religion",
    "address",
    "communication_needs",
    "uses_symbols",
    "band_override",
    "band_override_reason",
    "closing_summary",
    "lead_practitioner_id",
)


@dataclass(frozen=True)
class Purged:
    child_id: int
    reference: str
    counts: dict[str, int]


def _discard_uploads(child_id: int) -> int:
    """Remove the child's chunked uploads still arriving (``contributions.upload_sessions``)."""
    return upload_sessions.discard_child(child_id)


def owned_tables(child_id: int) -> dict[str, ColumnElement[bool]]:
    """Every table holding part of the child's record, with the condition that picks the
    child's rows, in an order the foreign keys allow deleting them (dependents first)."""
    children = Base.metadata.tables["children"]
    owned: dict[str, ColumnElement[bool]] = {"children": children.c.id == child_id}
    for table in Base.metadata.sorted_tables:  # parents before the tables that point at them
        if table.name in KEPT_AFTER_PURGE:
            continue
        links: list[ColumnElement[bool]] = []
        if "child_id" in table.c:
            links.append(table.c.child_id == child_id)
        for key in table.foreign_keys:
            parent = key.column.table
            if parent.name in owned and parent is not table:
                links.append(key.parent.in_(select(key.column).where(owned[parent.name])))
        if links:
            owned[table.name] = or_(*links)
    del owned["children"]
    return dict(reversed(owned.items()))


def media_ids_of(child_id: int) -> list[str]:
    """Every stored file belonging to the child's record: whatever any of its rows names in
    a column ending ``media_id`` (as the orphan sweep reads owners)."""
    found: set[str] = set()
    for name, condition in owned_tables(child_id).items():
        table: Table = Base.metadata.tables[name]
        for column in table.c:
            if column.key.endswith("media_id"):
                found.update(
                    value for value in db.session.scalars(select(column).where(condition)) if value
                )
    return sorted(found)


def _policy_at_closure(child_id: int) -> dict[str, object]:
    """The retention policy that set this record's date: kept with its closure."""
    closed = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.child_id == child_id, AuditEntry.action == AuditAction.CASE_CLOSED)
        .order_by(AuditEntry.id.desc())
    )
    policy = closed.details_dict.get("policy") if closed is not None else None
    return dict(policy) if isinstance(policy, dict) else dict(retention_policy())


def wipe_traces() -> str | None:
    """After a purge is committed, leave no copy of the destroyed rows in SQLite's files.

    Every connection runs with ``secure_delete`` (``core.db``), so deleted rows are zeroed
    in the database file; the write-ahead log still holds the pages as they were until a
    checkpoint copies the new pages back and truncates it. Returns a warning when another
    connection's open read kept the log from being emptied; nothing on PostgreSQL.
    """
    if db.engine.dialect.name != "sqlite":
        return None
    raw = db.engine.raw_connection()
    try:
        busy, _log, _done = raw.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
    finally:
        raw.close()
    if busy:
        return (
            "The SQLite write-ahead log could not be emptied yet (a reader was open); "
            "run the purge again to finish."
        )
    return None


def purge_child(child: Child) -> Purged:
    """Destroy one child's record, files first, and leave the tombstone. The caller commits."""
    policy = {
        **_policy_at_closure(child.id),
        "destroy_on": child.destroy_on.isoformat() if child.destroy_on else None,
    }
    store = media_store()
    media_ids = media_ids_of(child.id)
    for media_id in media_ids:
        store.delete(media_id)
    counts: dict[str, int] = {
        "media_files": len(media_ids),
        "uploads_in_progress": _discard_uploads(child.id),
    }
    for name, condition in owned_tables(child.id).items():
        statement = delete(Base.metadata.tables[name]).where(condition)
        result: Any = db.session.execute(statement.execution_options(synchronize_session=False))
        if result.rowcount:
            counts[name] = result.rowcount
    db.session.expire(child, ["family_members", "assignments"])
    for name in BLANKED_FIELDS:
        setattr(child, name, None)
    child.full_name = PURGED_NAME
    child.date_of_birth = PURGED_DATE_OF_BIRTH
    child.preferred_language = "en"
    child.purged_at = utcnow()
    audit.record(
        AuditAction.RECORD_PURGED,
        child_id=child.id,
        target=f"child:{child.id}",
        details={"reference": child.reference, "counts": counts, "policy": policy},
    )
    return Purged(child.id, child.reference, counts)
