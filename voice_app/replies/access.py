"""Who may see a reply: exactly who may see the contribution it answers.

A reply follows its contribution: into the confidential section, out of the child's
space. This module holds the replies area's only calls into the record's single owner
of those rules (``voice_app.record.visibility`` and ``record.confidential``), so when
that owner changes, this is the one place to follow it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution
from voice_app.record import confidential, visibility
from voice_app.record.lookup import contribution_or_404


def contribution_for_reader(child: Child, contribution_id: int) -> Contribution:
    """The contribution if the signed-in reader may see it (a confidential one only with a
    grant); a 404 otherwise."""
    return contribution_or_404(child, contribution_id)


def hidden_across_cases(user: User) -> Select[Any]:
    """Contributions of every child that ``user`` may not see, for lists across cases."""
    return confidential.hidden_contribution_ids(user)


def hidden_from_child(child_id: int) -> Select[Any]:
    """Contributions no longer the child's to see (the same rule as their own list)."""
    return visibility.confidential_contribution_ids(child_id)


def is_confidential(contribution: Contribution) -> bool:
    """The contribution, or an entry carrying it, is in the confidential section."""
    return confidential.contribution_is_confidential(contribution)


def note_confidential_read(child_id: int, shown: int) -> None:
    """Audit that replies to confidential contributions were shown to a reader."""
    if shown:
        confidential.record_read(child_id, "replies", shown)
