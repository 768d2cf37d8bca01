"""What a family member may read, and what they give.

Consent, the child's sharing choice and the confidential section are answered by
``record.disclosure`` alone (``Reader.family``); only ``_readable_by`` below asks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions import services as contributions
from voice_app.contributions.models import AuthorKind, Contribution
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.record.disclosure import Reader, disclosure_for


def _readable_by(account: FamilyAccount) -> Any:
    """SQL condition on ``Contribution``: what this family member may read (the only place
    this area asks the disclosure owner): their own words, and what the child chose to
    share with the family where consent allows it, never the confidential section."""
    seen = disclosure_for(Reader.family(account.family_member_id), account.child_id)
    return and_(Contribution.child_id == account.child_id, seen.contribution_filter())


def readable(account: FamilyAccount) -> Sequence[Contribution]:
    """Everything this family member may read, newest first; audited as a family read."""
    items = db.session.scalars(
        contributions.contributions_of(account.child_id)
        .where(_readable_by(account))
        # The page shows each one's transcript and author: in the same query, not one each
        # (both are one row per contribution at most, so the join adds no rows).
        .options(joinedload(Contribution.transcript), joinedload(Contribution.family_member))
    ).all()
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
