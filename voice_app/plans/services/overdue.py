"""Plan reviews past their due date across cases: for the case lists and the team view.

Due dates come from each plan's timetable (``timetable.due_reviews``), in working days
of the child's UK nation. Two queries whatever the number of children: the open cases'
plans with their children, then the kind and date of every review those plans held.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import ReaderKey, reader_key, visible_child
from voice_app.core.permissions import Permission
from voice_app.core.working_days import Nation
from voice_app.extensions import db
from voice_app.plans.labels import REVIEW_KIND_LABELS
from voice_app.plans.models import Plan, PlanReview, ReviewKind
from voice_app.plans.services.timetable import due_reviews
from voice_app.replies.services import uk_today

#: How many overdue reviews the case list names; the oldest first.
LIST_LIMIT = 20


@dataclass(frozen=True)
class HeldRow:
    kind: ReviewKind
    held_on: date


@dataclass(frozen=True)
class OverdueReview:
    child_id: int
    child_name: str
    lead_practitioner_id: int | None
    kind: ReviewKind
    due_on: date

    @property
    def kind_label(self) -> Any:
        return REVIEW_KIND_LABELS[self.kind]


def overdue_reviews(reader: User, today: date) -> list[OverdueReview]:
    """Every review past its due date in the plans of open cases among the children
    ``reader`` may open, the longest overdue first.

    Each plan's child is tested by its key (``visible_child``): the cost follows the
    plans, not how many children the reader sees."""
    plans = db.session.execute(_open_plans(reader_key(reader))).all()
    if not plans:
        return []
    held: dict[int, list[HeldRow]] = defaultdict(list)
    rows = db.session.execute(
        select(PlanReview.plan_id, PlanReview.kind, PlanReview.held_on).where(
            PlanReview.plan_id.in_([plan.id for plan, *_ in plans])
        )
    )
    for plan_id, kind, held_on in rows:
        held[plan_id].append(HeldRow(kind, held_on))
    found = [
        OverdueReview(plan.child_id, name, lead, due.kind, due.due_on)
        for plan, name, nation, lead in plans
        for due in due_reviews(plan, held[plan.id], today, str(nation))
        if due.overdue
    ]
    return sorted(found, key=lambda o: (o.due_on, o.child_name, o.child_id))


@lru_cache(maxsize=256)
def _open_plans(reader: ReaderKey) -> Select[Plan, str, Nation, int | None]:
    """The plans of open cases ``reader`` may open, with their child's name, nation and
    lead; built once per reader, not on every case list."""
    return (
        select(Plan, Child.full_name, Child.nation, Child.lead_practitioner_id)
        .join(Child, Child.id == Plan.child_id)
        .where(visible_child(reader, Plan.child_id), Child.closed_at.is_(None))
        # Not every review's participants, decisions and scales: only kinds and dates.
        .options(lazyload(Plan.reviews))
    )


def overdue_reviews_for(user: User) -> tuple[list[OverdueReview], bool]:
    """The longest overdue plan reviews among the children ``user`` sees, and whether
    there are more than are listed; audited when there are any."""
    shown, more = find_overdue_reviews_for(user)
    record_overdue_reviews_viewed(shown)
    return shown, more


def find_overdue_reviews_for(user: User) -> tuple[list[OverdueReview], bool]:
    """``overdue_reviews_for`` without its audit entry, for a page that reads several
    lists before it writes their audit entries (``record_overdue_reviews_viewed``)."""
    if not user.can(Permission.PLAN_READ):
        return [], False
    found = overdue_reviews(user, uk_today())
    return found[:LIST_LIMIT], len(found) > LIST_LIMIT


def record_overdue_reviews_viewed(shown: list[OverdueReview]) -> None:
    """The audit entry for overdue reviews shown to a reader; none when none were."""
    if shown:
        audit.record(
            AuditAction.OVERDUE_REVIEWS_VIEWED,
            details={"shown": [f"{o.child_id}:{o.kind}" for o in shown]},
        )


def overdue_reviews_by_lead(manager: User) -> dict[int | None, int]:
    """Overdue plan reviews per lead practitioner, among the children ``manager`` sees."""
    counts: dict[int | None, int] = defaultdict(int)
    for late in overdue_reviews(manager, uk_today()):
        counts[late.lead_practitioner_id] += 1
    return dict(counts)
