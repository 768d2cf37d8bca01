"""Who may see what: the confidential section and consent, in one place.

Every page, export and count that shows record entries or contributions asks here, so a
rule changes once. The confidential section is checked on its own and never follows
from access to the case.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from voice_app.accounts.models import User
from voice_app.extensions import db
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConsentAnswer,
    ConsentDecision,
    RecordEntry,
)


class Audience(StrEnum):
    """The people beyond the professional record that a consent decision can cover."""

    FAMILY = "family"
    MEETING = "meeting"
    AGENCIES = "agencies"


def has_live_grant(user: User, child_id: int) -> bool:
    """Whether ``user`` holds a live grant for this child's confidential section.

    The grant alone: reading also needs the role's permission, which
    ``record.confidential.may_read_confidential`` checks with it.
    """
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ConfidentialAccessGrant.child_id == child_id,
                    ConfidentialAccessGrant.user_id == user.id,
                    ConfidentialAccessGrant.revoked_at.is_(None),
                )
            )
        )
    )


def confidential_entry_ids(child_id: int) -> Select[Any]:
    return select(ConfidentialPlacement.entry_id).where(
        ConfidentialPlacement.child_id == child_id, ConfidentialPlacement.entry_id.is_not(None)
    )


def confidential_contribution_ids(child_id: int) -> Select[Any]:
    return select(ConfidentialPlacement.contribution_id).where(
        ConfidentialPlacement.child_id == child_id,
        ConfidentialPlacement.contribution_id.is_not(None),
    )


def entry_is_open(child_id: int) -> ColumnElement[bool]:
    """SQL condition: the entry is outside the confidential section, and so is the
    contribution it carries, if any."""
    return and_(
        RecordEntry.id.not_in(confidential_entry_ids(child_id)),
        or_(
            RecordEntry.contribution_id.is_(None),
            RecordEntry.contribution_id.not_in(confidential_contribution_ids(child_id)),
        ),
    )


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


def shared_with(decision: ConsentDecision | None, audience: Audience) -> bool:
    """Whether a decision (the one in force) lets ``audience`` see the contribution."""
    if decision is None or decision.answer is ConsentAnswer.WITHDRAWN:
        return False
    if not decision.permits_sharing:
        return False
    return {
        Audience.FAMILY: decision.share_with_family,
        Audience.MEETING: decision.share_with_meeting,
        Audience.AGENCIES: decision.share_with_agencies,
    }[audience]


def contribution_ids_shared_with(child_id: int, audience: Audience) -> Select[Any]:
    """Ids of the child's contributions whose decision in force lets ``audience`` see them,
    outside the confidential section."""
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
    return select(ConsentDecision.contribution_id).where(
        ConsentDecision.id.in_(newest),
        column.is_(True),
        permits,
        ConsentDecision.contribution_id.not_in(confidential_contribution_ids(child_id)),
    )
