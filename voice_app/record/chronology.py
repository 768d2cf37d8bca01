"""Reading a child's chronology: the entries a reader may see, with what belongs beside them.

Without a grant for the child's confidential section, confidential entries and entries
that carry a confidential contribution are left out entirely: not shown, not counted,
not linked to from the entries they correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.record import confidential, visibility
from voice_app.record.models import (
    Classification,
    ConfidentialPlacement,
    ConsentDecision,
    EntryKind,
    RecordEntry,
    Source,
)


@dataclass(frozen=True)
class Filters:
    kind: EntryKind | None = None
    classification: Classification | None = None
    source: Source | None = None

    def as_details(self) -> dict[str, str | None]:
        return {
            "kind": str(self.kind) if self.kind else None,
            "classification": str(self.classification) if self.classification else None,
            "source": str(self.source) if self.source else None,
        }


@dataclass
class ShownEntry:
    """An entry as the chronology shows it."""

    entry: RecordEntry
    #: The entry this one corrects, and the one that corrects it, when the reader may see them.
    corrects: RecordEntry | None = None
    corrected_by: RecordEntry | None = None
    #: Set when the entry is in the confidential section (only grant holders see those).
    placement: ConfidentialPlacement | None = None
    #: Every consent decision about the contribution, oldest first; the last is in force.
    consent: list[ConsentDecision] = field(default_factory=list)

    @property
    def consent_in_force(self) -> ConsentDecision | None:
        return self.consent[-1] if self.consent else None


def visible_entries(child_id: int, reader: User) -> list[RecordEntry]:
    """All the child's entries ``reader`` may see, in sequence."""
    stmt = select(RecordEntry).where(RecordEntry.child_id == child_id)
    if not confidential.may_read_confidential(reader, child_id):
        stmt = stmt.where(visibility.entry_is_open(child_id))
    return list(db.session.scalars(stmt.order_by(RecordEntry.sequence)))


def _placements(child_id: int) -> list[ConfidentialPlacement]:
    return list(
        db.session.scalars(
            select(ConfidentialPlacement).where(ConfidentialPlacement.child_id == child_id)
        )
    )


def _matches(entry: RecordEntry, filters: Filters) -> bool:
    return (
        (filters.kind is None or entry.kind is filters.kind)
        and (filters.classification is None or entry.classification is filters.classification)
        and (filters.source is None or entry.source is filters.source)
    )


def shown_entries(child_id: int, reader: User, filters: Filters) -> list[ShownEntry]:
    """The chronology for ``reader``, filtered, without any audit."""
    everything = visible_entries(child_id, reader)
    by_id = {entry.id: entry for entry in everything}
    correction_of = {e.corrects_id: e for e in everything if e.corrects_id is not None}
    placed_entries: dict[int, ConfidentialPlacement] = {}
    placed_contributions: dict[int, ConfidentialPlacement] = {}
    if confidential.may_read_confidential(reader, child_id):
        for placement in _placements(child_id):
            if placement.entry_id is not None:
                placed_entries[placement.entry_id] = placement
            if placement.contribution_id is not None:
                placed_contributions[placement.contribution_id] = placement
    shown = []
    for entry in everything:
        if not _matches(entry, filters):
            continue
        item = ShownEntry(
            entry,
            corrects=by_id.get(entry.corrects_id) if entry.corrects_id else None,
            corrected_by=correction_of.get(entry.id),
            placement=placed_entries.get(entry.id)
            or (placed_contributions.get(entry.contribution_id) if entry.contribution_id else None),
        )
        if entry.contribution_id is not None:
            item.consent = visibility.consent_history(entry.contribution_id)
        shown.append(item)
    return shown


def chronology(child_id: int, reader: User, filters: Filters) -> list[ShownEntry]:
    """The chronology for ``reader``; audited as a read, and as a confidential read when it
    shows anything from the confidential section."""
    shown = shown_entries(child_id, reader, filters)
    audit.record(
        AuditAction.RECORD_VIEWED,
        child_id=child_id,
        details={**filters.as_details(), "shown": [item.entry.sequence for item in shown]},
    )
    confidential_shown = sum(1 for item in shown if item.placement is not None)
    if confidential_shown:
        confidential.record_read(child_id, "chronology", confidential_shown)
    return shown
