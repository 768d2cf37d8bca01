"""Finding what a request names, or a 404: never a hint that something hidden exists."""

from __future__ import annotations

from flask import abort

from voice_app.children.lookup import child_or_404 as child_or_404
from voice_app.children.lookup import reader as reader
from voice_app.children.models import Child
from voice_app.contributions import services as contributions
from voice_app.contributions.models import Contribution
from voice_app.record import confidential, entries
from voice_app.record.models import RecordEntry


def entry_or_404(child: Child, sequence: int) -> RecordEntry:
    """An entry the reader may see: a confidential one only with a grant."""
    entry = entries.find_entry(child.id, sequence)
    if entry is None:
        abort(404)
    if not confidential.may_read_confidential(reader(), child.id) and (
        confidential.placement_for_entry(entry) is not None
    ):
        abort(404)
    return entry


def contribution_or_404(child: Child, contribution_id: int) -> Contribution:
    """A contribution the reader may see: a confidential one only with a grant."""
    contribution = contributions.get_for_child(child.id, contribution_id)
    if contribution is None:
        abort(404)
    if not confidential.may_read_confidential(
        reader(), child.id
    ) and confidential.contribution_is_confidential(contribution):
        abort(404)
    return contribution
