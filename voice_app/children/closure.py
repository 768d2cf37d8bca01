"""Closing a case, and when its record is to be destroyed.

A case is closed with a closing summary. Closing sets the destruction date by the
retention policy: the later of ``RETENTION_YEARS_AFTER_CLOSURE`` years after closure and
the child's ``RETENTION_UNTIL_AGE``th birthday. ``flask records purge-expired`` destroys
records whose date has come (``record.retention``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from sqlalchemy import select

from voice_app.accounts import invitations
from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.extensions import db


class ClosureRefused(ValueError):
    """The case cannot be closed as asked; ``reason`` says why, for the view."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def destroy_on_for(date_of_birth: date, closed_on: date) -> date:
    """The retention policy: the later of N years after closure and the given birthday."""
    config = current_app.config
    return max(
        add_years(closed_on, config["RETENTION_YEARS_AFTER_CLOSURE"]),
        add_years(date_of_birth, config["RETENTION_UNTIL_AGE"]),
    )


def retention_policy() -> dict[str, int]:
    """The policy in force now; kept with each closure, since it sets that case's date."""
    config = current_app.config
    return {
        "years_after_closure": int(config["RETENTION_YEARS_AFTER_CLOSURE"]),
        "until_age": int(config["RETENTION_UNTIL_AGE"]),
    }


def close_case(child: Child, summary: str | None, closed_by: User) -> None:
    """Close the case with its summary and set the date its record is destroyed.

    The child's invitations end with it: a closed case takes no new contributions from a
    tablet left with an old link.
    """
    if child.closed_at is not None:
        raise ClosureRefused("already_closed")
    summary = (summary or "").strip()
    if not summary:
        raise ClosureRefused("no_summary")
    now = utcnow()
    child.closed_at = now
    child.closed_by_id = closed_by.id
    child.closing_summary = summary
    child.destroy_on = destroy_on_for(child.date_of_birth, now.date())
    for invitation in invitations.invitations_for(child):
        if invitation.usable_at(now):
            invitations.revoke(invitation)
    audit.record(
        AuditAction.CASE_CLOSED,
        child_id=child.id,
        details={"destroy_on": child.destroy_on.isoformat(), "policy": retention_policy()},
    )


def expired_children(today: date) -> Sequence[Child]:
    """Closed children whose destruction date has come and whose record is still here."""
    return db.session.scalars(
        select(Child)
        .where(
            Child.closed_at.is_not(None),
            Child.destroy_on <= today,
            Child.purged_at.is_(None),
        )
        .order_by(Child.destroy_on, Child.id)
    ).all()
