"""Reading a plan's reviews for its pages: every review's kind and day as plain rows (the
timetable and the scale form need them all), and only the newest few in full.

A plan reviewed every six weeks for years has hundreds of reviews, participants,
decisions and ratings; loading them all as objects was most of the plan page's database
time. The chart reads the ratings as rows too (``reading.scale_series``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from voice_app.extensions import db
from voice_app.plans.models import (
    PlanReview,
    ReviewDecision,
    ReviewKind,
    ReviewParticipant,
    ScaleRating,
)


@dataclass(frozen=True)
class ReviewHeld:
    """A review as the timetable and the scale form see it."""

    id: int
    kind: ReviewKind
    held_on: date


@dataclass(frozen=True)
class ReviewInFull:
    """A review as the page shows it in full, read as rows (attributes as on the models)."""

    id: int
    kind: ReviewKind
    held_on: date
    what_changed: str
    participants: list[Any]
    decisions: list[Any]
    scales: list[Any]


@dataclass(frozen=True)
class PageReviews:
    #: Every review, oldest first.
    held: list[ReviewHeld]
    #: The newest ones, newest first, with who took part, the decisions and the scales.
    newest: list[ReviewInFull]


def page_reviews(plan_id: int, newest: int) -> PageReviews:
    """Every review of the plan in brief, and the ``newest`` in full."""
    rows = db.session.execute(
        select(PlanReview.id, PlanReview.kind, PlanReview.held_on, PlanReview.what_changed)
        .where(PlanReview.plan_id == plan_id)
        .order_by(PlanReview.held_on, PlanReview.id)
    ).all()
    held = [ReviewHeld(review_id, kind, held_on) for review_id, kind, held_on, _ in rows]
    ids = [review.id for review in held[-newest:]] if newest > 0 else []
    if not ids:
        return PageReviews(held, [])
    # What changed comes with every review's day (a short text): one query fewer.
    texts = {row.id: row.what_changed for row in rows[-newest:]}
    found: dict[str, dict[int, list[Any]]] = {}
    for name, model, columns in (
        ("participants", ReviewParticipant, (ReviewParticipant.name, ReviewParticipant.present)),
        (
            "decisions",
            ReviewDecision,
            (ReviewDecision.decision, ReviewDecision.decided_by, ReviewDecision.reasons),
        ),
        (
            "scales",
            ScaleRating,
            (
                ScaleRating.participant_kind,
                ScaleRating.participant_name,
                ScaleRating.value,
                ScaleRating.reason,
            ),
        ),
    ):
        by_review: dict[int, list[Any]] = {review_id: [] for review_id in ids}
        for row in db.session.execute(
            select(model.review_id, *columns).where(model.review_id.in_(ids)).order_by(model.id)
        ):
            by_review[row.review_id].append(row)
        found[name] = by_review
    in_full = {review.id: review for review in held[-newest:]}
    return PageReviews(
        held,
        [
            ReviewInFull(
                review_id,
                in_full[review_id].kind,
                in_full[review_id].held_on,
                texts[review_id],
                found["participants"][review_id],
                found["decisions"][review_id],
                found["scales"][review_id],
            )
            for review_id in reversed(ids)
        ],
    )
