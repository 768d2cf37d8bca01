"""Older names for the disclosure owner's consent and confidential-section questions.

``record.disclosure`` owns who may see what; this module only keeps the names that
earlier code imports. New code calls ``record.disclosure`` directly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from voice_app.record.disclosure import (
    Audience,
    confidential_scope,
    consent_history,
    contribution_ids_shared_with,
    current_consent,
    has_live_grant,
    shared_with,
)
from voice_app.record.models import RecordEntry

__all__ = [
    "Audience",
    "confidential_contribution_ids",
    "confidential_entry_ids",
    "consent_history",
    "contribution_ids_shared_with",
    "current_consent",
    "entry_is_open",
    "has_live_grant",
    "shared_with",
]


def confidential_entry_ids(child_id: int) -> Select[Any]:
    """Ids of the child's entries in the confidential section or following it."""
    ids = sorted(confidential_scope(child_id).entry_ids)
    return select(RecordEntry.id).where(RecordEntry.id.in_(ids))


def confidential_contribution_ids(child_id: int) -> Select[Any]:
    """Ids of the child's contributions in the confidential section or following it."""
    from voice_app.contributions.models import Contribution

    ids = sorted(confidential_scope(child_id).contribution_ids)
    return select(Contribution.id).where(Contribution.id.in_(ids))


def entry_is_open(child_id: int) -> ColumnElement[bool]:
    """SQL condition: the entry is outside the confidential section and all that follows it."""
    scope = confidential_scope(child_id)
    return and_(
        RecordEntry.id.not_in(sorted(scope.entry_ids)),
        or_(
            RecordEntry.contribution_id.is_(None),
            RecordEntry.contribution_id.not_in(sorted(scope.contribution_ids)),
        ),
    )
