"""Writing the chronology: numbered, attributed entries that are never changed, and corrections.

A correction is a new entry pointing at the one it corrects; the corrected entry stays
readable. Sequence numbers are allocated inside the writing transaction: SQLite
transactions hold the write lock from their start (core.db), PostgreSQL ones take a
per-child advisory lock, and the unique constraint backs both up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.extensions import db
from voice_app.record.models import (
    Classification,
    ConfidentialPlacement,
    EntryKind,
    RecordEntry,
    Source,
)

#: First key of the PostgreSQL advisory lock that makes one child's entries take turns.
_SEQUENCE_LOCK_NAMESPACE = 0x7265


class EntryRefused(Refused):
    """The entry cannot be stored as written; ``problems`` maps form fields to messages
    in the reader's language."""


@dataclass(frozen=True)
class EntryDraft:
    """What the practitioner wrote, before it becomes an entry."""

    kind: EntryKind
    body: str
    occurred_at: datetime
    classification: Classification
    source: Source
    source_detail: str | None = None
    source_consents_to_disclosure: bool = False
    decision_maker: str | None = None
    decision_reasons: str | None = None
    late_reason: str | None = None


def late_threshold() -> timedelta:
    return timedelta(hours=current_app.config["LATE_ENTRY_HOURS"])


def is_late(occurred_at: datetime, recorded_at: datetime) -> bool:
    """Whether an entry written at ``recorded_at`` about ``occurred_at`` is a late entry."""
    return recorded_at - occurred_at > late_threshold()


def blank(value: str | None) -> bool:
    """Nothing written, or only spaces: a required reason left empty."""
    return not (value and value.strip())


def check_draft(draft: EntryDraft, now: datetime) -> dict[str, str]:
    """The rules every written entry keeps, as ``{field: message}``; empty when it may be stored."""
    problems: dict[str, str] = {}
    if draft.kind is EntryKind.CONTRIBUTION:
        problems["kind"] = _("Contributions come into the record by attaching them.")
    if blank(draft.body):
        problems["body"] = _("Please write the entry.")
    if draft.occurred_at > now:
        problems["occurred_at"] = _("The time of the event cannot be in the future.")
    elif is_late(draft.occurred_at, now) and blank(draft.late_reason):
        problems["late_reason"] = _(
            "This is a late entry (written more than %(hours)d hours after the event): "
            "please say why it is being recorded late.",
            hours=current_app.config["LATE_ENTRY_HOURS"],
        )
    if draft.source is Source.THIRD_PARTY and blank(draft.source_detail):
        problems["source_detail"] = _(
            "Third-party information must say who gave it: please say who told you."
        )
    if draft.kind is EntryKind.DECISION or draft.classification is Classification.DECISION:
        if blank(draft.decision_maker):
            problems["decision_maker"] = _("A decision must say who made it.")
        if blank(draft.decision_reasons):
            problems["decision_reasons"] = _("A decision must give its reasons.")
    return problems


def _next_sequence(child_id: int) -> int:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :child_id)"),
            {"namespace": _SEQUENCE_LOCK_NAMESPACE, "child_id": child_id},
        )
    latest = db.session.scalar(
        select(func.max(RecordEntry.sequence)).where(RecordEntry.child_id == child_id)
    )
    return (latest or 0) + 1


def store(entry: RecordEntry, author: User) -> RecordEntry:
    """Number an entry, attribute it to ``author`` as they are now, and add it."""
    entry.author_id = author.id
    entry.author_name = author.name
    entry.author_post_title = author.post_title
    entry.recorded_at = entry.recorded_at or utcnow()
    entry.sequence = _next_sequence(entry.child_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def cleaned(value: str | None) -> str | None:
    """Free text as stored: trimmed, and None when nothing was written."""
    return value.strip() if value and value.strip() else None


def add_entry(
    child_id: int,
    draft: EntryDraft,
    author: User,
    *,
    corrects: RecordEntry | None = None,
    correction_reason: str | None = None,
) -> RecordEntry:
    """Write an entry to the child's chronology, or refuse it whole (``EntryRefused``)."""
    now = utcnow()
    problems = check_draft(draft, now)
    if corrects is not None:
        if blank(correction_reason):
            problems["correction_reason"] = _("Please say what was wrong and why it is corrected.")
        if corrects.kind is EntryKind.CONTRIBUTION:
            problems["body"] = _("The child's own words are not corrected in the record.")
        elif corrected_by(corrects) is not None:
            problems["body"] = _("This entry has already been corrected: correct the newer one.")
    if problems:
        raise EntryRefused(problems)
    late = is_late(draft.occurred_at, now)
    is_decision = (
        draft.kind is EntryKind.DECISION or draft.classification is Classification.DECISION
    )
    third_party = draft.source is Source.THIRD_PARTY
    entry = store(
        RecordEntry(
            child_id=child_id,
            kind=draft.kind,
            body=draft.body.strip(),
            occurred_at=draft.occurred_at,
            recorded_at=now,
            classification=draft.classification,
            source=draft.source,
            source_detail=cleaned(draft.source_detail) if third_party else None,
            source_consents_to_disclosure=third_party and draft.source_consents_to_disclosure,
            decision_maker=cleaned(draft.decision_maker) if is_decision else None,
            decision_reasons=cleaned(draft.decision_reasons) if is_decision else None,
            is_late=late,
            late_reason=cleaned(draft.late_reason) if late else None,
            corrects_id=corrects.id if corrects else None,
            correction_reason=cleaned(correction_reason) if corrects else None,
        ),
        author,
    )
    if corrects is not None:
        _carry_placement(corrects, entry, author)
    audit.record(
        AuditAction.RECORD_ENTRY_ADDED,
        child_id=child_id,
        target=f"record_entry:{entry.id}",
        details={
            "sequence": entry.sequence,
            "kind": str(entry.kind),
            "late": late,
            "corrects": corrects.sequence if corrects else None,
        },
    )
    return entry


def _carry_placement(corrected: RecordEntry, correction: RecordEntry, author: User) -> None:
    """A correction of a confidential entry goes into the confidential section with it."""
    placement = db.session.scalar(
        select(ConfidentialPlacement).where(ConfidentialPlacement.entry_id == corrected.id)
    )
    if placement is None:
        return
    db.session.add(
        ConfidentialPlacement(
            child_id=correction.child_id,
            entry_id=correction.id,
            reason=placement.reason,
            note=placement.note,
            placed_by_id=author.id,
            placed_by_label=author.display,
            review_on=placement.review_on,
        )
    )
    audit.record(
        AuditAction.CONFIDENTIAL_PLACED,
        child_id=correction.child_id,
        target=f"record_entry:{correction.id}",
        details={"reason": str(placement.reason), "with_corrected_entry": corrected.sequence},
    )


def corrected_by(entry: RecordEntry) -> RecordEntry | None:
    """The entry that corrects ``entry``, if there is one."""
    return db.session.scalar(
        select(RecordEntry).where(RecordEntry.corrects_id == entry.id).order_by(RecordEntry.id)
    )


def find_entry(child_id: int, sequence: int) -> RecordEntry | None:
    return db.session.scalar(
        select(RecordEntry).where(
            RecordEntry.child_id == child_id, RecordEntry.sequence == sequence
        )
    )
