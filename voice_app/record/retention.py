"""Destroying a record at the end of its retention period, leaving a tombstone.

This is the one place that removes the append-only rows (entries, consent decisions,
placements) and reaches across areas: the whole record goes, so every table holding part
of it is emptied for the child with bulk statements. The child's row stays with only its
reference, team and dates, and the audit log gets a ``record_purged`` entry with counts,
never content. The audit trail itself is never touched, so ``flask audit verify`` holds.

Files go first: if the database work then fails, a rerun finds the rows and finishes,
whereas rows removed before their files would leave files nobody can find to destroy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Delete, delete, select

from voice_app.accounts.models import Invitation
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.closure import retention_policy
from voice_app.children.models import CaseAssignment, Child, FamilyMember
from voice_app.contributions.models import Contribution, SafetyResponse, Transcript
from voice_app.core.db import utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConsentDecision,
    RecordEntry,
    SubjectAccessRequest,
)
from voice_app.replies.models import ChildReply
from voice_app.subject_access.services import export_media_ids

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
    folder = Path(current_app.config["UPLOAD_ROOT"]) / str(int(child_id))
    if not folder.is_dir():
        return 0
    items = sum(1 for path in folder.iterdir() if path.is_dir())
    shutil.rmtree(folder)
    return items


def media_ids_of(child_id: int) -> list[str]:
    """Every stored file belonging to the child's record."""
    rows = db.session.execute(
        select(Contribution.media_id, Contribution.thumbnail_media_id).where(
            Contribution.child_id == child_id
        )
    )
    return [media_id for row in rows for media_id in row if media_id] + export_media_ids(child_id)


def _statements(child_id: int) -> list[tuple[str, Delete]]:
    """Bulk deletes in an order the foreign keys allow."""
    contribution_ids = select(Contribution.id).where(Contribution.child_id == child_id)
    return [
        (
            "confidential_placements",
            delete(ConfidentialPlacement).where(ConfidentialPlacement.child_id == child_id),
        ),
        (
            "confidential_access_grants",
            delete(ConfidentialAccessGrant).where(ConfidentialAccessGrant.child_id == child_id),
        ),
        (
            "subject_access_requests",
            delete(SubjectAccessRequest).where(SubjectAccessRequest.child_id == child_id),
        ),
        ("record_entries", delete(RecordEntry).where(RecordEntry.child_id == child_id)),
        ("consent_decisions", delete(ConsentDecision).where(ConsentDecision.child_id == child_id)),
        ("transcripts", delete(Transcript).where(Transcript.contribution_id.in_(contribution_ids))),
        (
            "safety_responses",
            delete(SafetyResponse).where(SafetyResponse.contribution_id.in_(contribution_ids)),
        ),
        ("child_replies", delete(ChildReply).where(ChildReply.child_id == child_id)),
        ("contributions", delete(Contribution).where(Contribution.child_id == child_id)),
        ("invitations", delete(Invitation).where(Invitation.child_id == child_id)),
        ("family_members", delete(FamilyMember).where(FamilyMember.child_id == child_id)),
        ("case_assignments", delete(CaseAssignment).where(CaseAssignment.child_id == child_id)),
    ]


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
    for name, statement in _statements(child.id):
        result: Any = db.session.execute(statement.execution_options(synchronize_session=False))
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
