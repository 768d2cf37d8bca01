"""Who may see a reply: exactly who may see the contribution it answers.

A reply follows its contribution: into the confidential section, out of the child's
space. This module holds the replies area's only calls into the record's single owner
of those rules (``voice_app.record.disclosure``), so when that owner changes, this is the
one place to follow it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution
from voice_app.record.disclosure import Reader, disclosure_for, hidden_contribution_ids
from voice_app.record.lookup import contribution_or_404


def contribution_for_reader(child: Child, contribution_id: int) -> Contribution:
    """The contribution if the signed-in reader may see it (a confidential one only with a
    grant); a 404 otherwise."""
    return contribution_or_404(child, contribution_id)


def hidden_across_cases(user: User, child_ids: Select[Any]) -> frozenset[int]:
    """Contributions of these children that ``user`` may not see, for lists across cases."""
    return hidden_contribution_ids(user, child_ids)


def seen_by_child(child_id: int) -> ColumnElement[bool]:
    """SQL condition: the contributions still the child's to see in their space."""
    return disclosure_for(Reader.child(), child_id).contribution_filter()


def is_confidential(user: User, contribution: Contribution) -> bool:
    """The contribution is in the confidential section (the reader holds a grant to see it)."""
    return (
        disclosure_for(user, contribution.child_id).contribution_placement(contribution.id)
        is not None
    )


def note_confidential_read(user: User, child_id: int, shown: int) -> None:
    """Audit that replies to confidential contributions were shown to a reader."""
    disclosure_for(user, child_id).record_confidential_read("replies", shown)
