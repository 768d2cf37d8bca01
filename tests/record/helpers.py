"""Record rows made directly with the models, for tests of what reads the record."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.children.models import Child, FamilyMember
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.core.db import utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import (
    Classification,
    ConfidentialPlacement,
    ConfidentialReason,
    ConsentAnswer,
    ConsentDecision,
    ConsentFrom,
    EntryKind,
    RecordEntry,
    Source,
)


def next_sequence(child_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(RecordEntry.sequence)).where(RecordEntry.child_id == child_id)
    )
    return (highest or 0) + 1


def add_entry(child: Child, author: User, body: str, **fields: Any) -> RecordEntry:
    values: dict[str, Any] = {
        "kind": EntryKind.CASE_NOTE,
        "occurred_at": utcnow() - timedelta(hours=1),
        "classification": Classification.FACT,
        "source": Source.FIRST_HAND,
    } | fields
    entry = RecordEntry(
        child_id=child.id,
        sequence=next_sequence(child.id),
        body=body,
        author_id=author.id,
        author_name=author.name,
        author_post_title=author.post_title,
        **values,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def add_contribution(
    child: Child,
    text: str | None,
    *,
    author_kind: AuthorKind = AuthorKind.CHILD,
    kind: ContributionKind = ContributionKind.TEXT,
    media: bytes | None = None,
    content_type: str = "image/png",
) -> Contribution:
    """A contribution; ``media`` is stored as given (encrypted) so tests can look for it."""
    contribution = Contribution(
        child_id=child.id,
        client_id=str(uuid.uuid4()),
        kind=kind,
        author_kind=author_kind,
        language="en",
        sharing=SharingChoice.MY_FAMILY_TOO,
        text=text,
    )
    if media is not None:
        contribution.media_id = media_store().put(media)
        contribution.media_content_type = content_type
        contribution.thumbnail_media_id = media_store().put(media)
    db.session.add(contribution)
    db.session.commit()
    return contribution


def decide(
    contribution: Contribution,
    by: User,
    answer: ConsentAnswer,
    *,
    share_with_family: bool = False,
    member: FamilyMember | None = None,
) -> ConsentDecision:
    decision = ConsentDecision(
        child_id=contribution.child_id,
        contribution_id=contribution.id,
        consent_from=ConsentFrom.PARENT if member else ConsentFrom.CHILD,
        family_member_id=member.id if member else None,
        information="what they said",
        share_with_family=share_with_family,
        answer=answer,
        decided_on=date.today(),
        recorded_by_id=by.id,
        recorded_by_label=by.display,
    )
    db.session.add(decision)
    db.session.commit()
    return decision


def attach(
    child: Child, contribution: Contribution, by: User, decision: ConsentDecision
) -> RecordEntry:
    """The contribution's words carried into the chronology, as attaching it does."""
    return add_entry(
        child,
        by,
        "",
        kind=EntryKind.CONTRIBUTION,
        contribution_id=contribution.id,
        contribution_words=contribution.text,
        contribution_author=contribution.author_kind,
        consent_decision_id=decision.id,
    )


def place(
    child: Child,
    by: User,
    *,
    entry: RecordEntry | None = None,
    contribution: Contribution | None = None,
    reason: ConfidentialReason = ConfidentialReason.SERIOUS_HARM,
    note: str = "kept from the family",
) -> ConfidentialPlacement:
    placement = ConfidentialPlacement(
        child_id=child.id,
        entry_id=entry.id if entry else None,
        contribution_id=contribution.id if contribution else None,
        reason=reason,
        note=note,
        placed_by_id=by.id,
        placed_by_label=by.display,
        review_on=date.today() + timedelta(days=90),
    )
    db.session.add(placement)
    db.session.commit()
    return placement
