"""Overdue replies across cases: for the case lists and the manager's team view.

Each nation's deadline is turned into one cut-off time (everything made before it is
late), so the database finds overdue replies in one query however many children there
are. The team view's counts are a list of functions: another kind of overdue work joins
it by adding one ``TeamCount``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import visible_child_ids
from voice_app.contributions.models import Contribution
from voice_app.core.permissions import Permission, Role
from voice_app.core.working_days import Nation, add_working_days, latest_start_due_before
from voice_app.extensions import db
from voice_app.plans.services.overdue import overdue_reviews_by_lead
from voice_app.plans.services.reading import overdue_actions_by_lead
from voice_app.replies import access
from voice_app.replies.models import ChildReply
from voice_app.replies.services import (
    ANSWERED_AUTHORS,
    start_of_uk_day,
    uk_day,
    uk_today,
    working_days_for,
)

LIST_LIMIT = 20


@dataclass(frozen=True)
class OverdueReply:
    child_id: int
    child_name: str
    contribution_id: int
    made_at: datetime
    due_on: date
    unsafe: bool


def _late(child_ids: Select[Any], today: date) -> ColumnElement[bool]:
    """SQL condition on ``Contribution``: made by a child of an open case among
    ``child_ids`` long enough ago that its reply is overdue today (if it has none).

    One branch per nation, each on that nation's children by id, so the database filters
    contributions without joining every one of them to its child."""
    branches = []
    for nation in Nation:
        in_nation = select(Child.id).where(
            Child.id.in_(child_ids), Child.nation == nation, Child.closed_at.is_(None)
        )
        usual, same_day = (
            start_of_uk_day(
                latest_start_due_before(today, working_days_for(unsafe), nation) + timedelta(1)
            )
            for unsafe in (False, True)
        )
        branches.append(
            and_(
                Contribution.child_id.in_(in_nation),
                # An unsafe press is late a day after it was made; anything else later.
                Contribution.created_at < max(usual, same_day),
                or_(Contribution.flagged_unsafe.is_(True), Contribution.created_at < usual),
                or_(Contribution.flagged_unsafe.is_(False), Contribution.created_at < same_day),
            )
        )
    return or_(*branches)


def unanswered_late(
    child_ids: Select[Any], hidden: frozenset[int], today: date
) -> Select[Contribution, Child]:
    """Contributions of open cases among ``child_ids`` whose reply is overdue, with their
    child, leaving out ``hidden`` (what the reader may not see)."""
    return (
        select(Contribution, Child)
        .join(Child, Child.id == Contribution.child_id)
        .where(
            _late(child_ids, today),
            Contribution.author_kind.in_(ANSWERED_AUTHORS),
            Contribution.id.not_in(sorted(hidden)),
            ~exists().where(ChildReply.contribution_id == Contribution.id),
        )
    )


def overdue_for(user: User) -> tuple[list[OverdueReply], bool]:
    """The oldest overdue replies among the children ``user`` sees, and whether there are
    more than are listed; audited when there are any.

    No total is counted here: the case list is opened all day, and the team view counts.
    """
    if not user.can(Permission.CASE_READ):
        return [], False
    child_ids = visible_child_ids(user)
    stmt = unanswered_late(child_ids, access.hidden_across_cases(user, child_ids), uk_today())
    rows = db.session.execute(
        stmt.order_by(Contribution.created_at, Contribution.id).limit(LIST_LIMIT + 1)
    ).all()
    more = len(rows) > LIST_LIMIT
    found = [
        OverdueReply(
            child.id,
            child.full_name,
            contribution.id,
            contribution.created_at,
            add_working_days(
                uk_day(contribution.created_at),
                working_days_for(contribution.flagged_unsafe),
                child.nation,
            ),
            contribution.flagged_unsafe,
        )
        for contribution, child in rows[:LIST_LIMIT]
    ]
    if found:
        audit.record(
            AuditAction.OVERDUE_REPLIES_VIEWED,
            details={"shown": [f"{o.child_id}:{o.contribution_id}" for o in found]},
        )
    return found, more


# The manager's team view.


#: Counts by lead practitioner's id (None: no lead practitioner) for a manager's team.
CountByPractitioner = Callable[[User], dict[int | None, int]]


@dataclass(frozen=True)
class TeamCount:
    key: str
    label: Any  # a lazy string, translated when shown
    count: CountByPractitioner


def overdue_replies_by_practitioner(manager: User) -> dict[int | None, int]:
    """Overdue replies per lead practitioner, among the children ``manager`` sees."""
    child_ids = visible_child_ids(manager)
    late = unanswered_late(child_ids, access.hidden_across_cases(manager, child_ids), uk_today())
    rows = db.session.execute(
        late.with_only_columns(Child.lead_practitioner_id, func.count()).group_by(
            Child.lead_practitioner_id
        )
    )
    return {lead: count for lead, count in rows}


def overdue_plan_actions_by_practitioner(manager: User) -> dict[int | None, int]:
    """Overdue actions of the plans of the children ``manager`` sees, per lead practitioner."""
    return overdue_actions_by_lead(visible_child_ids(manager), uk_today())


#: The columns of the team view.
TEAM_COUNTS: list[TeamCount] = [
    TeamCount("overdue_replies", _l("Overdue replies"), overdue_replies_by_practitioner),
    TeamCount("overdue_actions", _l("Overdue plan actions"), overdue_plan_actions_by_practitioner),
    TeamCount("overdue_reviews", _l("Overdue plan reviews"), overdue_reviews_by_lead),
]


@dataclass(frozen=True)
class TeamRow:
    practitioner: User | None
    counts: dict[str, int]


def team_overview(manager: User) -> list[TeamRow]:
    """One row per practitioner of the manager's team (and one for cases with no lead
    practitioner, when there are any), with every ``TEAM_COUNTS`` count; audited."""
    counted = {column.key: column.count(manager) for column in TEAM_COUNTS}
    staff = db.session.scalars(
        select(User)
        .where(User.team_id == manager.team_id, User.role == Role.PRACTITIONER)
        .order_by(User.name, User.id)
    ).all()
    rows = [
        TeamRow(person, {key: counts.get(person.id, 0) for key, counts in counted.items()})
        for person in staff
        if person.active or any(counts.get(person.id) for counts in counted.values())
    ]
    known = {person.id for person in staff}
    strays = {
        key: sum(n for lead, n in counts.items() if lead not in known)
        for key, counts in counted.items()
    }
    if any(strays.values()):
        rows.append(TeamRow(None, strays))
    audit.record(
        AuditAction.TEAM_OVERVIEW_VIEWED,
        details={key: sum(counts.values()) for key, counts in counted.items()},
    )
    return rows
