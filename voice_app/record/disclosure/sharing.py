"""Consent: which audience the decision in force lets see a contribution.

Part of the disclosure owner (``record.disclosure``): a contribution in the confidential
section is shared with nobody, whatever its consent says.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from voice_app.extensions import db
from voice_app.record.disclosure.scope import confidential_scope
from voice_app.record.models import ConsentAnswer, ConsentDecision


class Audience(StrEnum):
    """The people beyond the professional record that a consent decision can cover."""

    FAMILY = "family"
    MEETING = "meeting"
    AGENCIES = "agencies"


def current_consent(contribution_id: int) -> ConsentDecision | None:
    """The decision in force for a contribution: the newest one recorded."""
    return db.session.scalar(
        select(ConsentDecision)
        .where(ConsentDecision.contribution_id == contribution_id)
        .order_by(ConsentDecision.id.desc())
        .limit(1)
    )


def consent_history(contribution_id: int) -> list[ConsentDecision]:
    """Every decision about a contribution, oldest first."""
    return list(
        db.session.scalars(
            select(ConsentDecision)
            .where(ConsentDecision.contribution_id == contribution_id)
            .order_by(ConsentDecision.id)
        )
    )


def shared_with(
    decision: ConsentDecision | None, audience: Audience, family_member_id: int | None = None
) -> bool:
    """Whether a decision (the one in force) lets ``audience`` see the contribution.

    For the family: a decision naming one family member shares with that member alone;
    ``family_member_id`` None asks about the whole family, which such a decision excludes.
    """
    if decision is None or decision.answer is ConsentAnswer.WITHDRAWN:
        return False
    if not decision.permits_sharing:
        return False
    named = decision.shared_with_member_id
    if audience is Audience.FAMILY and named is not None and named != family_member_id:
        return False
    return {
        Audience.FAMILY: decision.share_with_family,
        Audience.MEETING: decision.share_with_meeting,
        Audience.AGENCIES: decision.share_with_agencies,
    }[audience]


def contribution_ids_shared_with(
    child_id: int, audience: Audience, family_member_id: int | None = None
) -> Select[Any]:
    """Ids of the child's contributions whose decision in force lets ``audience`` see them,
    outside the confidential section (and everything that follows it).

    For the family, ``family_member_id`` names the reader: a decision shared with one
    family member counts for that member only; with None, only decisions shared with all
    the family count (a copy for "the family" never carries one parent's items).
    """
    newest = (
        select(func.max(ConsentDecision.id))
        .where(ConsentDecision.child_id == child_id)
        .group_by(ConsentDecision.contribution_id)
    )
    column = {
        Audience.FAMILY: ConsentDecision.share_with_family,
        Audience.MEETING: ConsentDecision.share_with_meeting,
        Audience.AGENCIES: ConsentDecision.share_with_agencies,
    }[audience]
    permits = or_(
        ConsentDecision.answer == ConsentAnswer.GIVEN,
        and_(
            ConsentDecision.shared_without_consent.is_(True),
            ConsentDecision.answer.in_([ConsentAnswer.REFUSED, ConsentAnswer.NOT_SOUGHT]),
        ),
    )
    hidden = confidential_scope(child_id).contribution_ids
    stmt = select(ConsentDecision.contribution_id).where(
        ConsentDecision.id.in_(newest),
        column.is_(True),
        permits,
        ConsentDecision.contribution_id.not_in(sorted(hidden)),
    )
    if audience is Audience.FAMILY:
        named = ConsentDecision.shared_with_member_id
        everyone = named.is_(None)
        stmt = stmt.where(
            everyone if family_member_id is None else or_(everyone, named == family_member_id)
        )
    return stmt
