"""Safety alerts ("I don't feel safe") as each staff reader may see them, one group per child.

A safety alert always reaches the people responsible for the child: everyone who may
read the case (the assigned practitioners, the lead among them, and the team's
managers) sees it until someone records what was done. An alert on a contribution in the
confidential section still shows, without the child's words, to a reader with no grant:
they are told the details are in the confidential section and to ask a manager with
access. What the child said is shown only where the reader may see the contribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, exists, select

from voice_app.accounts.models import User
from voice_app.contributions.models import Contribution, MistakenPress, SafetyResponse
from voice_app.core.permissions import Permission
from voice_app.extensions import db
from voice_app.record.disclosure.readers import Disclosure, disclosure_for

#: Children shown at most on one case list; the child's own alerts page shows all of theirs.
MAX_GROUPS = 50


@dataclass(frozen=True)
class AlertItem:
    """One press, as this reader may see it."""

    contribution_id: int
    created_at: datetime
    #: What the child said with it; None when the reader may not see it (or nothing was said).
    words: str | None
    #: The press is in the confidential section and this reader holds no grant.
    withheld: bool
    #: When the child said it was a mistake, if they did.
    mistake_at: datetime | None


@dataclass
class AlertGroup:
    """Every open alert of one child, newest first."""

    child_id: int
    items: list[AlertItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def first_at(self) -> datetime:
        return min(item.created_at for item in self.items)

    @property
    def latest_at(self) -> datetime:
        return max(item.created_at for item in self.items)

    @property
    def withheld(self) -> int:
        return sum(1 for item in self.items if item.withheld)

    @property
    def withheld_latest_at(self) -> datetime | None:
        """When the newest press this reader may not read the words of was made."""
        return max((item.created_at for item in self.items if item.withheld), default=None)

    @property
    def mistakes(self) -> int:
        return sum(1 for item in self.items if item.mistake_at is not None)

    @property
    def said(self) -> list[str]:
        return [item.words for item in self.items if item.words]


def open_alerts_stmt(child_ids: Select[int]) -> Select[Contribution]:
    """Presses by these children that nobody has recorded what was done about yet."""
    return (
        select(Contribution)
        .where(
            Contribution.child_id.in_(child_ids),
            Contribution.flagged_unsafe.is_(True),
            ~exists().where(SafetyResponse.contribution_id == Contribution.id),
        )
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )


def _item(contribution: Contribution, seen: Disclosure, mistakes: dict[int, datetime]) -> AlertItem:
    visible = seen.may_see_contribution(contribution)
    return AlertItem(
        contribution_id=contribution.id,
        created_at=contribution.created_at,
        words=contribution.text if visible else None,
        withheld=not visible,
        mistake_at=mistakes.get(contribution.id),
    )


def alert_groups(user: User, child_ids: Select[int]) -> list[AlertGroup]:
    """Open alerts of the children ``user`` may read, one group per child, the child with
    the newest alert first. Confidential presses are audited as read where shown whole."""
    if not user.can(Permission.CASE_READ):
        return []
    contributions = db.session.scalars(open_alerts_stmt(child_ids)).all()
    if not contributions:
        return []
    mistakes = dict(
        db.session.execute(
            select(MistakenPress.contribution_id, MistakenPress.said_at).where(
                MistakenPress.contribution_id.in_([c.id for c in contributions])
            )
        ).all()
    )
    groups: dict[int, AlertGroup] = {}
    readers: dict[int, Disclosure] = {}
    for contribution in contributions:
        if contribution.child_id not in groups and len(groups) >= MAX_GROUPS:
            continue
        if contribution.child_id not in readers:
            readers[contribution.child_id] = disclosure_for(user, contribution.child_id)
        seen = readers[contribution.child_id]
        group = groups.setdefault(contribution.child_id, AlertGroup(contribution.child_id))
        group.items.append(_item(contribution, seen, mistakes))
    for child_id, seen in readers.items():
        if seen.with_grant:
            shown = sum(
                1
                for item in groups[child_id].items
                if seen.scope.contribution_is_confidential(item.contribution_id)
            )
            seen.record_confidential_read("safety_alerts", shown)
    return list(groups.values())
