"""Writing to and checking the audit log: hash chains in lanes, tied by signed checkpoints.

Why lanes. One hash chain makes every audited request take turns: each append must read
the newest entry and link to it, under one lock, until its transaction commits. With
hundreds of staff and dozens of tablets that single lock was the ceiling of the whole app.
Entries therefore go into ``AUDIT_LANES`` chains. A transaction picks one lane at random
the first time it audits and appends all its entries there, under that lane's lock only,
so two requests wait for each other only when they drew the same lane (and one
transaction never holds two lane locks, so lanes cannot deadlock). On SQLite, where a
write transaction locks the whole database anyway, lanes change nothing.

What it proves. Within a lane, each entry carries the hash of the one before it, so
editing, removing or reordering an entry breaks that lane's chain at that point; an entry
moved to another lane breaks both. Lanes start from distinct genesis values, so they cannot
be spliced. What a chain alone cannot show is its newest entries cut off. A checkpoint,
written by the worker every minute (``flask audit checkpoint`` on demand), records each
lane's newest entry, its hash and the lane's length, chained to the checkpoint before and
signed with an HMAC key derived from the secret key: entries removed from before any
checkpoint show, and someone who can write to the database but lacks the key cannot sign a
new checkpoint to cover them. Entries after the newest checkpoint are protected by their
chains only (at most a minute's worth). ``flask audit verify`` checks all of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask import current_app, has_request_context, request
from sqlalchemy import CursorResult, Select, Table, bindparam, func, insert, select, text
from sqlalchemy.orm import SessionTransaction

from voice_app.accounts.models import User
from voice_app.audit.models import AuditAction, AuditCheckpoint, AuditEntry, lane_genesis
from voice_app.core.actor import ActorKind, current_actor
from voice_app.core.db import end_reading, utcnow
from voice_app.extensions import db

#: Who acted, for what a child does in their own space.
CHILD_LABEL = "the child, in their own space"
#: First key of the PostgreSQL advisory locks; lane ``n`` is locked with (key, n).
_CHAIN_LOCK_KEY = 0x766F6963
#: The lane each open transaction appends to: one lane, so one lock, per transaction.
_lanes: weakref.WeakKeyDictionary[SessionTransaction, int] = weakref.WeakKeyDictionary()
_CHECKPOINT_GENESIS = hashlib.sha256(b"voice_app audit checkpoints").hexdigest()


def _lane_for_this_transaction() -> int:
    session = db.session()
    session.connection()  # begins the transaction if none has started yet
    transaction = session.get_transaction()
    assert transaction is not None
    lane = _lanes.get(transaction)
    if lane is None:
        lane = secrets.randbelow(max(1, int(current_app.config.get("AUDIT_LANES", 64))))
        _lanes[transaction] = lane
    return lane


def _lock_lane(lane: int) -> None:
    """Serialise appends to one lane so two transactions never link to the same entry.

    SQLite transactions already take the write lock when they begin (see core.db).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :lane)"),
            {"key": _CHAIN_LOCK_KEY, "lane": lane},
        )


#: The newest hash of a lane, built once: every audited request asks it.
_LANE_HEAD = (
    select(AuditEntry.hash)
    .where(AuditEntry.lane == bindparam("lane"))
    .order_by(AuditEntry.id.desc())
    .limit(1)
)
#: Every audited request appends one row: written by the table's own statement, not by the
#: ORM's unit of work, which cost a third of the append (the entry is never changed after).
_APPEND = insert(cast(Table, AuditEntry.__table__))


def _lane_head(lane: int) -> str | None:
    return db.session.scalar(_LANE_HEAD, {"lane": lane})


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
    lane = _lane_for_this_transaction()
    _lock_lane(lane)
    entry = AuditEntry(
        lane=lane,
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
        prev_hash=_lane_head(lane) or lane_genesis(lane),
    )
    entry.hash = entry.compute_hash()
    # What the caller added before it goes in first, as when the entry was flushed with it.
    db.session.flush()
    appended = cast(
        CursorResult[Any],
        db.session.execute(
            _APPEND, {column: getattr(entry, column) for column in _COLUMNS_WRITTEN}
        ),
    )
    key = appended.inserted_primary_key
    assert key is not None  # one row, inserted by this statement
    entry.id = key[0]
    return entry


#: The entry's columns as ``record`` fills them (its id comes from the database).
_COLUMNS_WRITTEN = tuple(
    column.key for column in AuditEntry.__table__.columns if column.key != "id"
)


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold."""

    entry_id: int
    reason: str


def verify_chain(batch_size: int = 1000) -> tuple[int, ChainBreak | None]:
    """Walk every lane in order, then every checkpoint; return how many entries were
    checked and the first break found."""
    checked = 0
    # Where each lane is up to: its newest hash, its length, and the hash at each id seen.
    expected_prev: dict[int, str] = {}
    lengths: dict[int, int] = {}
    hash_at: dict[int, tuple[int, str, int]] = {}
    wanted_ids = _checkpointed_ids()
    # populate_existing: check what is stored now, not rows this session already holds.
    stmt = (
        select(AuditEntry)
        .order_by(AuditEntry.lane, AuditEntry.id)
        .execution_options(yield_per=batch_size, populate_existing=True)
    )
    # Closed explicitly: on PostgreSQL, yield_per reads through a server-side cursor.
    with db.session.scalars(stmt) as entries:
        for entry in entries:
            lane = entry.lane
            if entry.prev_hash != expected_prev.get(lane, lane_genesis(lane)):
                return checked, ChainBreak(entry.id, "does not link to the entry before it")
            if entry.compute_hash() != entry.hash:
                return checked, ChainBreak(entry.id, "its contents no longer match its hash")
            expected_prev[lane] = entry.hash
            lengths[lane] = lengths.get(lane, 0) + 1
            if entry.id in wanted_ids:
                hash_at[entry.id] = (lane, entry.hash, lengths[lane])
            checked += 1
    broken = _verify_checkpoints(hash_at)
    return checked, broken


def _checkpointed_ids() -> set[int]:
    ids: set[int] = set()
    for heads in db.session.scalars(select(AuditCheckpoint.heads)):
        ids.update(int(head[0]) for head in json.loads(heads).values())
    return ids


def _verify_checkpoints(hash_at: dict[int, tuple[int, str, int]]) -> ChainBreak | None:
    """Each checkpoint links to the one before, carries a valid signature, and every lane
    head it recorded is still there, with the same hash and as many entries before it."""
    expected_prev = _CHECKPOINT_GENESIS
    for checkpoint in db.session.scalars(
        select(AuditCheckpoint)
        .order_by(AuditCheckpoint.id)
        .execution_options(populate_existing=True)
    ):
        if checkpoint.prev_hash != expected_prev or checkpoint.compute_hash() != checkpoint.hash:
            return ChainBreak(0, f"checkpoint {checkpoint.id} was changed or removed")
        if not hmac.compare_digest(checkpoint.signature, _sign(checkpoint.hash)):
            return ChainBreak(0, f"checkpoint {checkpoint.id} is not signed with this key")
        for lane, (entry_id, entry_hash, length) in checkpoint.heads_by_lane.items():
            if hash_at.get(entry_id) != (lane, entry_hash, length):
                return ChainBreak(
                    entry_id,
                    f"lane {lane} no longer matches checkpoint {checkpoint.id}: "
                    "an entry up to here was removed or changed",
                )
        expected_prev = checkpoint.hash
    return None


def make_checkpoint() -> AuditCheckpoint | None:
    """Sign the head of every lane as it stands now (committed entries); None when nothing
    was appended since the last checkpoint. The caller commits."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Checkpoints take turns (their own chain); appends to the lanes go on meanwhile.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key, -1)"), {"key": _CHAIN_LOCK_KEY})
    rows = db.session.execute(
        select(AuditEntry.lane, func.max(AuditEntry.id), func.count()).group_by(AuditEntry.lane)
    ).all()
    heads: dict[str, list[Any]] = {}
    for lane, last_id, length in rows:
        last_hash = db.session.scalar(select(AuditEntry.hash).where(AuditEntry.id == last_id))
        heads[str(lane)] = [last_id, last_hash, length]
    previous = db.session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
    canonical = json.dumps(heads, sort_keys=True, separators=(",", ":"))
    if not heads or (previous is not None and previous.heads == canonical):
        return None
    checkpoint = AuditCheckpoint(
        made_at=utcnow(),
        heads=canonical,
        prev_hash=previous.hash if previous is not None else _CHECKPOINT_GENESIS,
    )
    checkpoint.hash = checkpoint.compute_hash()
    checkpoint.signature = _sign(checkpoint.hash)
    db.session.add(checkpoint)
    db.session.flush()
    return checkpoint


def _sign(checkpoint_hash: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(b"voice_app audit checkpoints" + secret).digest()
    return hmac.new(key, checkpoint_hash.encode(), hashlib.sha256).hexdigest()


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
