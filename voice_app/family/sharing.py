"""What a family member may read, and what they give.

Consent, the child's sharing choice and the confidential section are answered by
``record.disclosure`` alone (``Reader.family``); only ``_readable_by`` and ``readable``
below ask it (the latter for the home page's statement built once, ``family_filter``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, select

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child, FamilyMember
from voice_app.contributions import services as contributions
from voice_app.contributions.models import AuthorKind, Contribution, Transcript
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.record.disclosure import Reader, disclosure_for


def _readable_by(account: FamilyAccount) -> Any:
    """SQL condition on ``Contribution``: what this family member may read (the only place
    this area asks the disclosure owner): their own words, and what the child chose to
    share with the family where consent allows it, never the confidential section."""
    seen = disclosure_for(Reader.family(account.family_member_id), account.child_id)
    return and_(Contribution.child_id == account.child_id, seen.contribution_filter())


@functools.cache
def _readable_statement(condition: ColumnElement[bool]) -> Select[Any]:
    """The home page's query around the disclosure owner's family condition, built once
    per condition (it is built once per process): only its values change per reader.

    Rows, not objects: the page only shows them, and each item's transcript and author come
    in the same query (one row per contribution at most each, so the joins add no rows).
    """
    return (
        select(
            Contribution.__table__,
            Transcript.status.label("transcript_status"),
            Transcript.confirmed_text.label("transcript_text"),
            FamilyMember.name.label("family_member_name"),
        )
        .outerjoin(Transcript, Transcript.contribution_id == Contribution.id)
        .outerjoin(FamilyMember, FamilyMember.id == Contribution.family_member_id)
        .where(condition)
        # Newest first, as ``contributions.contributions_of`` orders a child's contributions.
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )


def readable(account: FamilyAccount) -> Sequence[Row[Any]]:
    """Everything this family member may read, newest first, as rows of a contribution's
    columns with its transcript's ``transcript_status`` and ``transcript_text`` (None
    without one) and its author's ``family_member_name``; audited as a family read."""
    seen = disclosure_for(Reader.family(account.family_member_id), account.child_id)
    condition, values = seen.family_filter()
    items = db.session.execute(_readable_statement(condition), values).all()
    audit.record(
        AuditAction.FAMILY_SPACE_VIEWED,
        child_id=account.child_id,
        target=f"family_account:{account.id}",
        details={"shown": [item.id for item in items]},
    )
    return items


def readable_one(account: FamilyAccount, contribution_id: int) -> Contribution | None:
    """One contribution if this family member may read it; None exactly as if absent."""
    return db.session.scalar(
        select(Contribution).where(Contribution.id == contribution_id, _readable_by(account))
    )


def readable_among(account: FamilyAccount, contribution_ids: set[int]) -> frozenset[int]:
    """Which of these contributions this family member may read (a plan's placed words)."""
    if not contribution_ids:
        return frozenset()
    stmt = select(Contribution.id).where(
        Contribution.id.in_(sorted(contribution_ids)), _readable_by(account)
    )
    return frozenset(db.session.scalars(stmt))


def own_one(account: FamilyAccount, contribution_id: int) -> Contribution | None:
    """One of the family member's own contributions (to read back and confirm)."""
    contribution = readable_one(account, contribution_id)
    if contribution is None or contribution.family_member_id != account.family_member_id:
        return None
    return contribution


def record_read(account: FamilyAccount, contribution: Contribution) -> None:
    """One contribution opened on its own page by the family member."""
    audit.record(
        AuditAction.FAMILY_SPACE_VIEWED,
        child_id=account.child_id,
        target=f"contribution:{contribution.id}",
        details={"family_account": account.id},
    )


def record_media_read(account: FamilyAccount, contribution: Contribution, variant: str) -> None:
    audit.record(
        AuditAction.FAMILY_MEDIA_VIEWED,
        child_id=account.child_id,
        target=f"contribution:{contribution.id}",
        details={"variant": variant, "family_account": account.id},
    )


def contribute(
    account: FamilyAccount,
    submission: contributions.Submission,
    assisted_by: int | None = None,
) -> tuple[Contribution, bool]:
    """Add the family member's own words (typed, spoken or drawn) to the child's record
    of contributions, attributed to them; the contributions area stores and checks it."""
    child = db.session.get(Child, account.child_id)
    if child is None:
        raise LookupError(account.child_id)
    author = contributions.Author(
        AuthorKind.FAMILY_MEMBER,
        with_practitioner_id=assisted_by,
        family_member_id=account.family_member_id,
    )
    return contributions.add_contribution(child, submission, author)
