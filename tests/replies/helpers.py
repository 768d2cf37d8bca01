"""Contributions made at a chosen moment, for tests of replies and their deadlines."""

from __future__ import annotations

from datetime import datetime

from tests.record.helpers import add_contribution
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind
from voice_app.extensions import db


def said(
    child: Child,
    words: str,
    at: datetime,
    *,
    unsafe: bool = False,
    author_kind: AuthorKind = AuthorKind.CHILD,
) -> Contribution:
    """A typed contribution by ``child``, made at ``at`` (an aware datetime)."""
    contribution = add_contribution(
        child, words, author_kind=author_kind, kind=ContributionKind.TEXT
    )
    contribution.created_at = at
    contribution.flagged_unsafe = unsafe
    db.session.commit()
    return contribution
