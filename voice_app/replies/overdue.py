"""Overdue replies across cases: for the case lists and the manager's team view.

Each nation's deadline is turned into one cut-off time (everything made before it is
late), so the database finds overdue replies in one query however many children there
are, testing each candidate's child through a join rather than a list of every child the
reader sees. The team view's counts are a list of functions: another kind of overdue work joins
it by adding one ``TeamCount``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import ReaderKey, reader_key, visible_child, visible_child_ids
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
from voice_app.reports.services import due as report_shares

LIST_LIMIT = 20


@dataclass(frozen=True)
class OverdueReply:
    child_id: int
    child_name: str
    contribution_id: int
    made_at: datetime
    due_on: date
    unsafe: bool


def _cut_offs(today: date) -> dict[Nation, tuple[datetime, datetime]]:
    """Per nation, the times before which a contribution is late ``today``: an ordinary
    one, and an "I don't feel safe" press."""
    return _cut_offs_for(today, working_days_for(False), working_days_for(True))


@lru_cache(maxsize=8)
def _cut_offs_for(
    today: date, usual_days: int, unsafe_days: int
) -> dict[Nation, tuple[datetime, datetime]]:
    """The same all day: worked out once, not on every case list."""
    return {
        nation: (
            start_of_uk_day(latest_start_due_before(today, usual_days, nation) + timedelta(1)),
            start_of_uk_day(latest_start_due_before(today, unsafe_days, nation) + timedelta(1)),
        )
        for nation in Nation
    }


def _late(today: date) -> ColumnElement[bool]:
    """SQL condition on a ``Contribution`` joined with its ``Child``: made long enough ago,
    in the child's nation, that its reply is overdue today (if it has none).

    One branch per nation on the joined child's row, so the children a reader sees are
    never gathered into a list first (see ``visible_child``)."""
    branches = []
    for nation, (usual, same_day) in _cut_offs(today).items():
        branches.append(
            and_(
                Child.nation == nation,
                # An unsafe press is late a day after it was made; anything else later.
                Contribution.created_at < max(usual, same_day),
                or_(Contribution.flagged_unsafe.is_(True), Contribution.created_at < usual),
                or_(Contribution.flagged_unsafe.is_(False), Contribution.created_at < same_day),
            )
        )
    return or_(*branches)


def unanswered_late(
    reader: User | ReaderKey, hidden: frozenset[int], today: date
) -> Select[Contribution, Child]:
    """Contributions of open cases among the children ``reader`` may open whose reply is
    overdue, with their child, leaving out ``hidden`` (what the reader may not see)."""
    return (
        select(Contribution, Child)
        .join(Child, Child.id == Contribution.child_id)
        .where(
            visible_child(reader, Contribution.child_id),
            Child.closed_at.is_(None),
            _late(today),
            Contribution.author_kind.in_(ANSWERED_AUTHORS),
            Contribution.id.not_in(sorted(hidden)),
            ~exists().where(ChildReply.contribution_id == Contribution.id),
        )
    )


def _hidden_among_late(user: User, today: date) -> frozenset[int]:
    """What ``user`` may not see, asked only about the children with an overdue reply
    (usually a handful), not about every child they see."""
    return access.hidden_across_cases(user, _late_children(reader_key(user), *_day(today)))


def _day(today: date) -> tuple[date, int, int]:
    """What the overdue statements depend on besides the reader: the day and the working
    days a reply may take (the key of the statements kept between requests)."""
    return today, working_days_for(False), working_days_for(True)


@lru_cache(maxsize=256)
def _late_children(
    reader: ReaderKey, today: date, _usual_days: int, _unsafe_days: int
) -> Select[int]:
    """Built once per reader and day (and setting), not on every case list; now is a
    parameter given as the statement runs."""
    return (
        unanswered_late(reader, frozenset(), today)
        .with_only_columns(Contribution.child_id)
        .distinct()
    )


@lru_cache(maxsize=256)
def _oldest_late(
    reader: ReaderKey, hidden: frozenset[int], today: date, _usual_days: int, _unsafe_days: int
) -> Select[Contribution, Child]:
    """The oldest overdue replies' statement, kept like ``_late_children``."""
    return (
        unanswered_late(reader, hidden, today)
        .order_by(Contribution.created_at, Contribution.id)
        .limit(LIST_LIMIT + 1)
    )


def overdue_for(user: User) -> tuple[list[OverdueReply], bool]:
    """The oldest overdue replies among the children ``user`` sees, and whether there are
    more than are listed; audited when there are any.

    No total is counted here: the case list is opened all day, and the team view counts.
    """
    found, more = find_overdue_for(user)
    record_overdue_viewed(found)
    return found, more


def find_overdue_for(user: User) -> tuple[list[OverdueReply], bool]:
    """``overdue_for`` without its audit entry: a page that reads several lists reads
    them all first, then writes every audit entry at once with ``record_overdue_viewed``
    (on SQLite an audit entry takes the write lock until the page commits)."""
    if not user.can(Permission.CASE_READ):
        return [], False
    today = uk_today()
    hidden = _hidden_among_late(user, today)
    rows = db.session.execute(_oldest_late(reader_key(user), hidden, *_day(today))).all()
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
    return found, more


def record_overdue_viewed(found: list[OverdueReply]) -> None:
    """The audit entry for overdue replies shown to a reader; none when none were."""
    if found:
        audit.record(
            AuditAction.OVERDUE_REPLIES_VIEWED,
            details={"shown": [f"{o.child_id}:{o.contribution_id}" for o in found]},
        )


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
    today = uk_today()
    late = unanswered_late(manager, _hidden_among_late(manager, today), today)
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
    TeamCount(
        "overdue_report_shares",
        report_shares.OVERDUE_LABEL,
        report_shares.overdue_shares_by_practitioner,
    ),
    TeamCount(
        "due_report_shares", report_shares.DUE_LABEL, report_shares.due_shares_by_practitioner
    ),
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
