"""The confidential section: placing entries and contributions in it, reading it, and grants.

Reading needs both the ``confidential:read`` permission and a live grant for the child,
given by a manager of the child's team; access to the case never implies it. Who may
read what, and the audit of every confidential read, belong to ``record.disclosure``;
this module places things in the section and keeps the grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.core.permissions import Permission
from voice_app.extensions import db
from voice_app.record.disclosure import (
    Disclosure,
    confidential_scope,
    has_live_grant,
)
from voice_app.record.disclosure import may_read_confidential as may_read_confidential
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConfidentialReason,
    EntryKind,
    RecordEntry,
)


class PlacementRefused(Refused):
    """Nothing placed; ``problems`` maps form fields to messages in the reader's language."""


@dataclass(frozen=True)
class PlacementDraft:
    reason: ConfidentialReason
    note: str
    review_on: date


def contribution_is_confidential(contribution: Contribution) -> bool:
    """Older name: the contribution is in the section or follows something in it.
    New code asks ``record.disclosure`` (``Disclosure.may_see_contribution``)."""
    return confidential_scope(contribution.child_id).contribution_is_confidential(contribution.id)


def _already_placed(child_id: int, *, entry_id: int = 0, contribution_id: int = 0) -> bool:
    scope = confidential_scope(child_id)
    return scope.entry_is_confidential(entry_id) or scope.contribution_is_confidential(
        contribution_id
    )


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
    if _already_placed(entry.child_id, entry_id=entry.id):
        raise PlacementRefused({"note": _("This is already in the confidential section.")})
    if entry.kind is EntryKind.CONTRIBUTION and entry.contribution_id is not None:
        return _place(entry.child_id, draft, by, contribution_id=entry.contribution_id)
    return _place(entry.child_id, draft, by, entry_id=entry.id)


def place_contribution(
    contribution: Contribution, draft: PlacementDraft, by: User
) -> ConfidentialPlacement:
    if _already_placed(contribution.child_id, contribution_id=contribution.id):
        raise PlacementRefused({"note": _("This is already in the confidential section.")})
    return _place(contribution.child_id, draft, by, contribution_id=contribution.id)


@dataclass
class SectionItem:
    placement: ConfidentialPlacement
    entries: list[RecordEntry]
    contribution: Contribution | None


def section(seen: Disclosure) -> list[SectionItem]:
    """Everything in the child's confidential section, in the order it was placed, with
    every entry that follows each placement (corrections included); audited as a read."""
    if not seen.with_grant:
        return []
    scope = seen.scope
    placements = sorted(
        {p.id: p for p in [*scope.entries.values(), *scope.contributions.values()]}.values(),
        key=lambda p: p.id,
    )
    entries_of: dict[int, list[RecordEntry]] = {p.id: [] for p in placements}
    for entry in seen.entries():
        placement = scope.entries.get(entry.id)
        if placement is not None:
            entries_of[placement.id].append(entry)
    items = [
        SectionItem(
            placement,
            entries_of[placement.id],
            db.session.get(Contribution, placement.contribution_id)
            if placement.contribution_id
            else None,
        )
        for placement in placements
    ]
    seen.record_confidential_read("confidential_section", len(items))
    return items


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
    if has_live_grant(person, child_id):
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
