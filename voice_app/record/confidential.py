"""The confidential section: placing entries and contributions in it, reading it, and grants.

Reading needs both the ``confidential:read`` permission and a live grant for the child,
given by a manager of the child's team; access to the case never implies it. Every read
of confidential content is audited, wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.core.permissions import Permission
from voice_app.extensions import db
from voice_app.record import visibility
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConfidentialReason,
    EntryKind,
    RecordEntry,
)


class PlacementRefused(ValueError):
    """Nothing placed; ``problems`` maps form fields to messages in the reader's language."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlacementDraft:
    reason: ConfidentialReason
    note: str
    review_on: date


def may_read_confidential(user: User, child_id: int) -> bool:
    """The permission and a live grant for this child, both; nothing less."""
    return (
        user.is_authenticated
        and user.can(Permission.CONFIDENTIAL_READ)
        and visibility.has_live_grant(user, child_id)
    )


def hidden_contribution_ids(user: User) -> Select[Any]:
    """Ids of confidential contributions of every child ``user`` holds no live grant for."""
    granted = select(ConfidentialAccessGrant.child_id).where(
        ConfidentialAccessGrant.user_id == user.id,
        ConfidentialAccessGrant.revoked_at.is_(None),
    )
    stmt = select(ConfidentialPlacement.contribution_id).where(
        ConfidentialPlacement.contribution_id.is_not(None)
    )
    if user.can(Permission.CONFIDENTIAL_READ):
        stmt = stmt.where(ConfidentialPlacement.child_id.not_in(granted))
    return stmt


def contribution_is_confidential(contribution: Contribution) -> bool:
    """The contribution, or an entry that carries it, is in the confidential section."""
    carried_by = select(RecordEntry.id).where(RecordEntry.contribution_id == contribution.id)
    return (
        db.session.scalar(
            select(ConfidentialPlacement.id).where(
                or_(
                    ConfidentialPlacement.contribution_id == contribution.id,
                    ConfidentialPlacement.entry_id.in_(carried_by),
                )
            )
        )
        is not None
    )


def placement_for_entry(entry: RecordEntry) -> ConfidentialPlacement | None:
    """The placement that keeps ``entry`` in the confidential section, if any."""
    conditions = [ConfidentialPlacement.entry_id == entry.id]
    if entry.contribution_id is not None:
        conditions.append(ConfidentialPlacement.contribution_id == entry.contribution_id)
    return db.session.scalar(select(ConfidentialPlacement).where(or_(*conditions)))


def _check(draft: PlacementDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not draft.note.strip():
        problems["note"] = _(
            "Please note the reasons for placing this in the confidential section."
        )
    if draft.review_on < utcnow().date():
        problems["review_on"] = _("The review date cannot be in the past.")
    return problems


def _place(
    child_id: int,
    draft: PlacementDraft,
    by: User,
    *,
    entry_id: int | None = None,
    contribution_id: int | None = None,
) -> ConfidentialPlacement:
    problems = _check(draft)
    if problems:
        raise PlacementRefused(problems)
    placement = ConfidentialPlacement(
        child_id=child_id,
        entry_id=entry_id,
        contribution_id=contribution_id,
        reason=draft.reason,
        note=draft.note.strip(),
        placed_by_id=by.id,
        placed_by_label=by.display,
        review_on=draft.review_on,
    )
    db.session.add(placement)
    db.session.flush()
    audit.record(
        AuditAction.CONFIDENTIAL_PLACED,
        child_id=child_id,
        target=f"record_entry:{entry_id}" if entry_id else f"contribution:{contribution_id}",
        details={"reason": str(draft.reason), "review_on": draft.review_on.isoformat()},
    )
    return placement


def place_entry(entry: RecordEntry, draft: PlacementDraft, by: User) -> ConfidentialPlacement:
    """Move an entry into the confidential section; an entry that carries a contribution
    takes the contribution with it, so the child's words are hidden everywhere."""
    if placement_for_entry(entry) is not None:
        raise PlacementRefused({"note": _("This is already in the confidential section.")})
    if entry.kind is EntryKind.CONTRIBUTION and entry.contribution_id is not None:
        return _place(entry.child_id, draft, by, contribution_id=entry.contribution_id)
    return _place(entry.child_id, draft, by, entry_id=entry.id)


def place_contribution(
    contribution: Contribution, draft: PlacementDraft, by: User
) -> ConfidentialPlacement:
    if contribution_is_confidential(contribution):
        raise PlacementRefused({"note": _("This is already in the confidential section.")})
    return _place(contribution.child_id, draft, by, contribution_id=contribution.id)


@dataclass
class SectionItem:
    placement: ConfidentialPlacement
    entries: list[RecordEntry]
    contribution: Contribution | None


def section(child_id: int) -> list[SectionItem]:
    """Everything in the child's confidential section, in the order it was placed; audited."""
    placements = db.session.scalars(
        select(ConfidentialPlacement)
        .where(ConfidentialPlacement.child_id == child_id)
        .order_by(ConfidentialPlacement.id)
    ).all()
    items = []
    for placement in placements:
        entries = db.session.scalars(
            select(RecordEntry)
            .where(
                RecordEntry.child_id == child_id,
                or_(
                    RecordEntry.id == placement.entry_id,
                    and_(
                        RecordEntry.contribution_id.is_not(None),
                        RecordEntry.contribution_id == placement.contribution_id,
                    ),
                ),
            )
            .order_by(RecordEntry.sequence)
        ).all()
        contribution = (
            db.session.get(Contribution, placement.contribution_id)
            if placement.contribution_id
            else None
        )
        items.append(SectionItem(placement, list(entries), contribution))
    record_read(child_id, "confidential_section", len(items))
    return items


def record_read(child_id: int, where: str, shown: int) -> None:
    """Audit a read of confidential content, wherever it was shown."""
    audit.record(
        AuditAction.CONFIDENTIAL_VIEWED,
        child_id=child_id,
        details={"where": where, "shown": shown},
    )


# Grants: a manager of the child's team lets one colleague read one child's section.


def grantable_staff(team_id: int) -> list[User]:
    """Active members of the team whose role may read confidential sections."""
    people = db.session.scalars(
        select(User).where(User.team_id == team_id, User.active.is_(True)).order_by(User.name)
    )
    return [person for person in people if person.can(Permission.CONFIDENTIAL_READ)]


def grants_for(child_id: int) -> list[ConfidentialAccessGrant]:
    return list(
        db.session.scalars(
            select(ConfidentialAccessGrant)
            .where(ConfidentialAccessGrant.child_id == child_id)
            .order_by(ConfidentialAccessGrant.id.desc())
        )
    )


def grant_access(child_id: int, person: User, reason: str, by: User) -> ConfidentialAccessGrant:
    if not reason.strip():
        raise PlacementRefused({"reason": _("Please say why this person needs access.")})
    if visibility.has_live_grant(person, child_id):
        raise PlacementRefused({"user_id": _("%(name)s already has access.", name=person.name)})
    grant = ConfidentialAccessGrant(
        child_id=child_id, user_id=person.id, granted_by_id=by.id, reason=reason.strip()
    )
    db.session.add(grant)
    db.session.flush()
    audit.record(
        AuditAction.CONFIDENTIAL_ACCESS_GRANTED,
        child_id=child_id,
        target=f"user:{person.id}",
        details={"grant": grant.id},
    )
    return grant


def revoke_access(grant: ConfidentialAccessGrant, reason: str, by: User) -> None:
    if not reason.strip():
        raise PlacementRefused({"reason": _("Please say why access is ending.")})
    grant.revoked_at = utcnow()
    grant.revoked_by_id = by.id
    grant.revoked_reason = reason.strip()
    audit.record(
        AuditAction.CONFIDENTIAL_ACCESS_REVOKED,
        child_id=grant.child_id,
        target=f"user:{grant.user_id}",
        details={"grant": grant.id},
    )
