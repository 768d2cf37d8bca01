"""Reading a plan's reviews for its pages: every review's kind and day as plain rows (the
timetable and the scale form need them all), and only the newest few in full.

A plan reviewed every six weeks for years has hundreds of reviews, participants,
decisions and ratings; loading them all as objects was most of the plan page's database
time. The chart reads the ratings as rows too (``reading.scale_series``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from voice_app.extensions import db
from voice_app.plans.models import PlanReview, ReviewKind


@dataclass(frozen=True)
class ReviewHeld:
    """A review as the timetable and the scale form see it."""

    id: int
    kind: ReviewKind
    held_on: date


@dataclass(frozen=True)
class PageReviews:
    #: Every review, oldest first.
    held: list[ReviewHeld]
    #: The newest ones, newest first, with who took part, the decisions and the scales.
    newest: list[PlanReview]


def page_reviews(plan_id: int, newest: int) -> PageReviews:
    """Every review of the plan in brief, and the ``newest`` in full."""
    rows = db.session.execute(
        select(PlanReview.id, PlanReview.kind, PlanReview.held_on)
        .where(PlanReview.plan_id == plan_id)
        .order_by(PlanReview.held_on, PlanReview.id)
    )
    held = [ReviewHeld(review_id, kind, held_on) for review_id, kind, held_on in rows]
    ids = [review.id for review in held[-newest:]] if newest > 0 else []
    if not ids:
        return PageReviews(held, [])
    # Participants, decisions and scales come with them (selectin): three more queries.
    found = {r.id: r for r in db.session.scalars(select(PlanReview).where(PlanReview.id.in_(ids)))}
    return PageReviews(held, [found[review_id] for review_id in reversed(ids)])
