"""The confidential section of one child, as facts every reader's answer is built from.

What is placed (an entry or a contribution) is only where the rule starts. Everything
that carries the words of a placed item follows it:

- an entry that carries a confidential contribution, and the contribution carried by a
  placed entry;
- every entry of a correction chain that holds a confidential entry, whichever came
  first: a correction written before the entry was placed repeats its words as much as
  one written after it, and a placed correction repeats the entry it corrects;
- a contribution's media, thumbnail and transcript, which are the contribution.

Nothing here knows who is reading; ``record.disclosure.readers`` answers that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from voice_app.extensions import db
from voice_app.record.models import ConfidentialPlacement, RecordEntry


@dataclass
class ConfidentialScope:
    """One child's confidential section, with everything that follows it."""

    child_id: int
    #: Entry id -> the placement that keeps it in the section (its own or the one it follows).
    entries: dict[int, ConfidentialPlacement] = field(default_factory=dict)
    #: Contribution id -> the placement that keeps it in the section.
    contributions: dict[int, ConfidentialPlacement] = field(default_factory=dict)

    def entry_is_confidential(self, entry_id: int) -> bool:
        return entry_id in self.entries

    def contribution_is_confidential(self, contribution_id: int) -> bool:
        return contribution_id in self.contributions

    @property
    def entry_ids(self) -> frozenset[int]:
        return frozenset(self.entries)

    @property
    def contribution_ids(self) -> frozenset[int]:
        return frozenset(self.contributions)


def _chains(links: list[tuple[int, int | None, int | None]]) -> dict[int, int]:
    """Entry id -> the first entry of its correction chain (corrections point backwards)."""
    corrects = {entry_id: corrected for entry_id, corrected, _ in links}
    root: dict[int, int] = {}
    for entry_id in corrects:
        seen = [entry_id]
        current = entry_id
        while corrects.get(current) is not None and current not in root:
            current = corrects[current]  # type: ignore[assignment]
            seen.append(current)
        top = root.get(current, current)
        for member in seen:
            root[member] = top
    return root


def confidential_scope(child_id: int) -> ConfidentialScope:
    """Build the child's scope from its placements and entries (two queries)."""
    scope = ConfidentialScope(child_id)
    placements = db.session.scalars(
        select(ConfidentialPlacement)
        .where(ConfidentialPlacement.child_id == child_id)
        .order_by(ConfidentialPlacement.id)
    ).all()
    if not placements:
        return scope
    links = [
        (row.id, row.corrects_id, row.contribution_id)
        for row in db.session.execute(
            select(RecordEntry.id, RecordEntry.corrects_id, RecordEntry.contribution_id).where(
                RecordEntry.child_id == child_id
            )
        )
    ]
    carried = {entry_id: contribution for entry_id, _, contribution in links if contribution}
    root = _chains(links)
    for placement in placements:
        if placement.contribution_id is not None:
            scope.contributions.setdefault(placement.contribution_id, placement)
    for placement in placements:
        if placement.entry_id is not None:
            scope.entries.setdefault(placement.entry_id, placement)
            contribution = carried.get(placement.entry_id)
            if contribution is not None:
                scope.contributions.setdefault(contribution, placement)
    for entry_id, contribution in carried.items():
        if contribution in scope.contributions:
            scope.entries.setdefault(entry_id, scope.contributions[contribution])
    # A whole correction chain follows any confidential entry in it.
    chain_placement: dict[int, ConfidentialPlacement] = {}
    for entry_id, placement in scope.entries.items():
        chain_placement.setdefault(root.get(entry_id, entry_id), placement)
    for entry_id, _, _ in links:
        followed = chain_placement.get(root.get(entry_id, entry_id))
        if followed is not None:
            scope.entries.setdefault(entry_id, followed)
            contribution = carried.get(entry_id)
            if contribution is not None:
                scope.contributions.setdefault(contribution, followed)
    return scope
