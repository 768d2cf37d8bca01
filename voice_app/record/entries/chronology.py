"""Reading a child's chronology: the entries a reader may see, with what belongs beside them.

What the reader may see, and the number they know each entry by, come from
``record.disclosure``: without a grant for the child's confidential section, everything
in it or following it is left out entirely (not shown, not counted, not linked to) and
the rest is numbered 1, 2, 3 ... with no gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.record.disclosure import Disclosure, consent_history
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
    #: The number this reader knows the entry by (the true sequence only with a grant).
    number: int
    #: The entry this one corrects, and the one that corrects it, when the reader may see them.
    corrects: RecordEntry | None = None
    corrected_by: RecordEntry | None = None
    corrects_number: int | None = None
    corrected_by_number: int | None = None
    #: Set when the entry is in the confidential section (only grant holders see those).
    placement: ConfidentialPlacement | None = None
    #: Every consent decision about the contribution, oldest first; the last is in force.
    consent: list[ConsentDecision] = field(default_factory=list)

    @property
    def consent_in_force(self) -> ConsentDecision | None:
        return self.consent[-1] if self.consent else None


def _matches(entry: RecordEntry, filters: Filters) -> bool:
    return (
        (filters.kind is None or entry.kind is filters.kind)
        and (filters.classification is None or entry.classification is filters.classification)
        and (filters.source is None or entry.source is filters.source)
    )


def shown_entries(seen: Disclosure, filters: Filters) -> list[ShownEntry]:
    """The chronology for the reader of ``seen``, filtered, without any audit."""
    everything = seen.entries()
    by_id = {entry.id: entry for entry in everything}
    correction_of = {e.corrects_id: e for e in everything if e.corrects_id is not None}
    numbers = seen.numbers
    shown = []
    for entry in everything:
        if not _matches(entry, filters):
            continue
        corrects = by_id.get(entry.corrects_id) if entry.corrects_id else None
        corrected_by = correction_of.get(entry.id)
        item = ShownEntry(
            entry,
            numbers[entry.id],
            corrects=corrects,
            corrected_by=corrected_by,
            corrects_number=numbers[corrects.id] if corrects else None,
            corrected_by_number=numbers[corrected_by.id] if corrected_by else None,
            placement=seen.entry_placement(entry),
        )
        if entry.contribution_id is not None:
            item.consent = consent_history(entry.contribution_id)
        shown.append(item)
    return shown


def chronology(seen: Disclosure, filters: Filters) -> list[ShownEntry]:
    """The chronology for the reader of ``seen``; audited as a read (by true sequence),
    and as a confidential read when it shows anything from the confidential section."""
    shown = shown_entries(seen, filters)
    audit.record(
        AuditAction.RECORD_VIEWED,
        child_id=seen.child_id,
        details={**filters.as_details(), "shown": [item.entry.sequence for item in shown]},
    )
    seen.record_confidential_read(
        "chronology", sum(1 for item in shown if item.placement is not None)
    )
    return shown
