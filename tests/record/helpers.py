"""Record rows made directly with the models, for tests of what reads the record."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from tests.factories import (
    ConfidentialPlacementFactory,
    ConsentDecisionFactory,
    RecordEntryFactory,
)
from voice_app.accounts.models import User
from voice_app.children.models import Child, FamilyMember
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import (
    ConfidentialPlacement,
    ConfidentialReason,
    ConsentAnswer,
    ConsentDecision,
    ConsentFrom,
    EntryKind,
    RecordEntry,
)


def next_sequence(child_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(RecordEntry.sequence)).where(RecordEntry.child_id == child_id)
    )
    return (highest or 0) + 1


def add_entry(child: Child, author: User, body: str, **fields: Any) -> RecordEntry:
    entry: RecordEntry = RecordEntryFactory(child=child, by=author, body=body, **fields)
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
    decision: ConsentDecision = ConsentDecisionFactory(
        contribution=contribution,
        by=by,
        consent_from=ConsentFrom.PARENT if member else ConsentFrom.CHILD,
        family_member_id=member.id if member else None,
        share_with_family=share_with_family,
        answer=answer,
    )
    return decision


def decide_sharing(
    contribution: Contribution,
    by: User,
    *,
    family: bool = True,
    member_id: int | None = None,
    meeting: bool = True,
) -> ConsentDecision:
    """The child's consent given to share with their meetings and the family, or with one
    family member named (``member_id``), as the consent form records it."""
    decision: ConsentDecision = ConsentDecisionFactory(
        contribution=contribution,
        by=by,
        share_with_meeting=meeting,
        share_with_family=family,
        shared_with_member_id=member_id,
    )
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
    placement: ConfidentialPlacement = ConfidentialPlacementFactory(
        entry=entry,
        child_id=child.id,
        entry_id=entry.id if entry else None,
        contribution_id=contribution.id if contribution else None,
        by=by,
        reason=reason,
        note=note,
    )
    return placement
