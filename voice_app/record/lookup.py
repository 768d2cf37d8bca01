"""Finding what a request names, or a 404: never a hint that something hidden exists.

What the reader may see is answered by ``record.disclosure``; an entry is named in URLs
by the reader's own number (``Disclosure.entry_by_number``).
"""

from __future__ import annotations

from flask import abort, request

from voice_app.children.lookup import child_or_404 as child_or_404
from voice_app.children.lookup import reader as reader
from voice_app.children.models import Child
from voice_app.contributions import services as contributions
from voice_app.contributions.models import Contribution
from voice_app.record.disclosure import Disclosure, disclosure_for
from voice_app.record.models import RecordEntry


def seen_by_reader(child: Child) -> Disclosure:
    """What the signed-in reader may see of this child."""
    return disclosure_for(reader(), child.id)


def entry_or_404(child: Child, number: int) -> RecordEntry:
    """The entry the reader knows by ``number``: a confidential one only with a grant, and
    then audited as a confidential read (the view commits it)."""
    seen = seen_by_reader(child)
    entry = seen.entry_by_number(number)
    if entry is None:
        abort(404)
    if seen.entry_placement(entry) is not None:
        seen.record_confidential_read(request.endpoint or "entry", 1, sequence=entry.sequence)
    return entry


def contribution_or_404(child: Child, contribution_id: int) -> Contribution:
    """A contribution the reader may see: a confidential one only with a grant, and then
    audited as a confidential read (the view commits it)."""
    seen = seen_by_reader(child)
    contribution = contributions.get_for_child(child.id, contribution_id)
    if contribution is None or not seen.may_see_contribution(contribution):
        abort(404)
    if seen.contribution_placement(contribution.id) is not None:
        seen.record_confidential_read(
            request.endpoint or "contribution", 1, contribution=contribution.id
        )
    return contribution
