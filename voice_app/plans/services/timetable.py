"""When each plan kind's next reviews are due, from the procedures, in working days.

- Child protection: the first review conference within 3 months of the initial
  conference, then at most every 6 months; core groups within 10 working days of the
  conference, then at least every 6 weeks.
- Looked-after child: the first review within 20 working days, the second 3 months
  after it, then every 6 months.
- Child in need: when the practitioner sets it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from voice_app.children.models import Child
from voice_app.core.working_days import Nation, add_working_days
from voice_app.extensions import db
from voice_app.plans.models import Plan, PlanKind, ReviewKind


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def nation_of_plan(plan: Plan) -> str:
    """The UK nation whose bank holidays count: the child's, as their record says."""
    child = db.session.get(Child, plan.child_id)
    return str(child.nation if child is not None else Nation.ENGLAND_AND_WALES)


@dataclass(frozen=True)
class Due:
    kind: ReviewKind
    due_on: date
    overdue: bool


class Held(Protocol):
    """What the timetable needs of a review held: a ``PlanReview``, or a row of the two."""

    @property
    def kind(self) -> ReviewKind: ...

    @property
    def held_on(self) -> date: ...


def _held(reviews: Sequence[Held], kind: ReviewKind) -> list[date]:
    return sorted(r.held_on for r in reviews if r.kind is kind)


def _child_protection(
    plan: Plan, held: Sequence[Held], nation: str
) -> list[tuple[ReviewKind, date]]:
    conferences = _held(held, ReviewKind.REVIEW_CONFERENCE)
    if conferences:
        conference_due = add_months(conferences[-1], 6)
    else:
        conference_due = add_months(plan.started_on, 3)
    core_groups = _held(held, ReviewKind.CORE_GROUP)
    last_conference = conferences[-1] if conferences else plan.started_on
    groups_since = [d for d in core_groups if d >= last_conference]
    if groups_since:
        group_due = groups_since[-1] + timedelta(weeks=6)
    else:
        group_due = add_working_days(last_conference, 10, nation)
    return [(ReviewKind.REVIEW_CONFERENCE, conference_due), (ReviewKind.CORE_GROUP, group_due)]


def _looked_after(plan: Plan, held: Sequence[Held], nation: str) -> list[tuple[ReviewKind, date]]:
    reviews = _held(held, ReviewKind.LOOKED_AFTER_REVIEW)
    if not reviews:
        due = add_working_days(plan.started_on, 20, nation)
    elif len(reviews) == 1:
        due = add_months(reviews[0], 3)
    else:
        due = add_months(reviews[-1], 6)
    return [(ReviewKind.LOOKED_AFTER_REVIEW, due)]


def due_reviews(
    plan: Plan, reviews: Sequence[Held], today: date, nation: str | None = None
) -> list[Due]:
    """The next review of each kind the plan needs, and whether it is overdue.

    ``nation``: the child's, when the caller has it (lists across cases); else looked up."""
    nation = nation or nation_of_plan(plan)
    if plan.kind is PlanKind.CHILD_PROTECTION:
        dates = _child_protection(plan, reviews, nation)
    elif plan.kind is PlanKind.LOOKED_AFTER:
        dates = _looked_after(plan, reviews, nation)
    elif plan.next_review_on is not None:
        dates = [(ReviewKind.CHILD_IN_NEED_REVIEW, plan.next_review_on)]
    else:
        dates = []
    return [Due(kind, due_on, due_on < today) for kind, due_on in dates]


def review_kinds(kind: PlanKind) -> list[ReviewKind]:
    """The review meetings a plan of this kind holds."""
    return {
        PlanKind.CHILD_PROTECTION: [ReviewKind.REVIEW_CONFERENCE, ReviewKind.CORE_GROUP],
        PlanKind.LOOKED_AFTER: [ReviewKind.LOOKED_AFTER_REVIEW],
        PlanKind.CHILD_IN_NEED: [ReviewKind.CHILD_IN_NEED_REVIEW],
    }[kind]
