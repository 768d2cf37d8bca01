"""Writing to and checking the audit chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, select, text

from voice_app.accounts.models import User
from voice_app.audit.models import GENESIS_HASH, AuditAction, AuditEntry
from voice_app.core.actor import ActorKind, current_actor
from voice_app.core.db import end_reading, utcnow
from voice_app.extensions import db

#: Who acted, for what a child does in their own space.
CHILD_LABEL = "the child, in their own space"
#: Key of the PostgreSQL advisory lock that makes appends to the chain take turns.
_CHAIN_LOCK_KEY = 0x766F696365


def _lock_chain() -> None:
    """Serialise appends so two transactions never link to the same previous entry.

    SQLite transactions already take the write lock when they begin (see core.db).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})


def record(
    action: AuditAction,
    *,
    child_id: int | None = None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    actor: User | None = None,
) -> AuditEntry:
    """Append an entry in the current transaction; the caller's commit makes it stick."""
    acting = current_actor()
    if actor is None:
        # During a handover (or an assisted family sign-in) the practitioner is still
        # signed in, but the child (or the family member) is acting.
        actor = acting.user
    end_reading(db.session)
    _lock_chain()
    prev_hash = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        occurred_at=utcnow(),
        action=action,
        actor_id=actor.id if actor else None,
        actor_label=actor.display
        if actor
        else (CHILD_LABEL if acting.kind is ActorKind.CHILD else acting.label),
        child_id=child_id,
        target=target,
        details=json.dumps(
            details or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ),
        ip_address=request.remote_addr if has_request_context() else None,
        prev_hash=prev_hash or GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold."""

    entry_id: int
    reason: str


def verify_chain(batch_size: int = 1000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order; return how many entries were checked and the first break."""
    expected_prev = GENESIS_HASH
    checked = 0
    # populate_existing: check what is stored now, not rows this session already holds.
    stmt = (
        select(AuditEntry)
        .order_by(AuditEntry.id)
        .execution_options(yield_per=batch_size, populate_existing=True)
    )
    # Closed explicitly: on PostgreSQL, yield_per reads through a server-side cursor.
    with db.session.scalars(stmt) as entries:
        for entry in entries:
            if entry.prev_hash != expected_prev:
                return checked, ChainBreak(entry.id, "does not link to the entry before it")
            if entry.compute_hash() != entry.hash:
                return checked, ChainBreak(entry.id, "its contents no longer match its hash")
            expected_prev = entry.hash
            checked += 1
    return checked, None


@dataclass(frozen=True)
class AuditFilter:
    child_id: int | None = None
    actor_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def filtered_entries(
    scope_child_ids: Select[Any],
    scope_user_ids: Select[Any],
    wanted: AuditFilter,
    tombstone_child_ids: Select[Any] | None = None,
) -> Select[AuditEntry]:
    """Entries about the given children or by the given people, newest first, then filtered.

    ``tombstone_child_ids`` adds the entries saying those (destroyed) records were purged:
    a purged child is outside everyone's case scope, and its purge has no actor.
    """
    in_scope = AuditEntry.child_id.in_(scope_child_ids) | AuditEntry.actor_id.in_(scope_user_ids)
    if tombstone_child_ids is not None:
        in_scope = in_scope | (
            (AuditEntry.action == AuditAction.RECORD_PURGED)
            & AuditEntry.child_id.in_(tombstone_child_ids)
        )
    stmt = select(AuditEntry).where(in_scope)
    if wanted.child_id is not None:
        stmt = stmt.where(AuditEntry.child_id == wanted.child_id)
    if wanted.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.since is not None:
        stmt = stmt.where(AuditEntry.occurred_at >= wanted.since)
    if wanted.until is not None:
        stmt = stmt.where(AuditEntry.occurred_at < wanted.until)
    return stmt.order_by(AuditEntry.id.desc())
