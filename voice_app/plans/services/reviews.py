"""Review meetings: who took part, what changed, decisions, scales; the plan agreed at them.

Each decision is also written into the child's chronology as a decision entry, through
the record's own service, so the record's decision rules (who decided, why, late
entries) apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.plans.models import (
    ParticipantKind,
    Plan,
    PlanReview,
    ReviewDecision,
    ReviewKind,
    ReviewParticipant,
    ScaleRating,
)
from voice_app.plans.services.drafting import PlanRefused, clean
from voice_app.plans.services.versions import agree_draft
from voice_app.record.entries import services as entries
from voice_app.record.models import Classification, EntryKind, Source


@dataclass(frozen=True)
class DecisionDraft:
    decision: str
    decided_by: str
    reasons: str


@dataclass(frozen=True)
class ScaleDraft:
    participant_kind: ParticipantKind
    participant_name: str
    value: int
    reason: str | None = None
    show_to_child: bool = False


@dataclass
class ReviewDraft:
    kind: ReviewKind
    held_on: date
    what_changed: str
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    decisions: list[DecisionDraft] = field(default_factory=list)
    scales: list[ScaleDraft] = field(default_factory=list)
    #: Why the decision entries are written late, when they are.
    late_reason: str | None = None
    #: Agree the draft plan at this review (kept as a version).
    agree_plan: bool = True


def names(lines: str | None) -> list[str]:
    """One person per line, blank lines left out."""
    return [line.strip() for line in (lines or "").splitlines() if line.strip()]


def _check(draft: ReviewDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if draft.held_on > utcnow().date():
        problems["held_on"] = _("A review cannot be recorded before it is held.")
    if not clean(draft.what_changed):
        problems["what_changed"] = _("Please say what changed.")
    if not draft.present:
        problems["present"] = _("Please say who took part.")
    for index, decision in enumerate(draft.decisions):
        # Every decision is checked before anything is stored: a review is kept whole.
        row = f"decisions-{index}-"
        if not clean(decision.decision):
            problems[row + "decision"] = _("Please write the decision, or empty this row.")
        if not clean(decision.decided_by):
            problems[row + "decided_by"] = _("Please say who made this decision.")
        elif len(decision.decided_by.strip()) > 400:
            problems[row + "decided_by"] = _("Please use at most %(max)d characters.", max=400)
        if not clean(decision.reasons):
            problems[row + "reasons"] = _("Please say why this decision was made.")
    for scale in draft.scales:
        if not 0 <= scale.value <= 10:
            problems["scales"] = _("A scale runs from 0 to 10.")
        if not clean(scale.participant_name):
            problems["scales"] = _("Please say whose scale each one is.")
    return problems


def _occurred_at(held_on: date) -> datetime:
    return min(datetime.combine(held_on, time(9, 0), tzinfo=UTC), utcnow())


def record_review(plan: Plan, draft: ReviewDraft, by: User) -> PlanReview:
    """Record a review meeting; its decisions go into the chronology, or nothing is kept."""
    problems = _check(draft)
    if problems:
        raise PlanRefused(problems)
    review = PlanReview(
        plan_id=plan.id,
        kind=draft.kind,
        held_on=draft.held_on,
        what_changed=draft.what_changed.strip(),
        recorded_by_label=by.display,
    )
    db.session.add(review)
    db.session.flush()
    for name in draft.present:
        db.session.add(ReviewParticipant(review_id=review.id, name=name, present=True))
    for name in draft.absent:
        db.session.add(ReviewParticipant(review_id=review.id, name=name, present=False))
    for decision in draft.decisions:
        add_decision(plan, review, decision, by, draft.late_reason, audited=False)
    for scale in draft.scales:
        add_scale(plan, review, scale)
    db.session.flush()
    audit.record(
        AuditAction.PLAN_REVIEW_RECORDED,
        child_id=plan.child_id,
        target=f"plan_review:{review.id}",
        details={
            "kind": str(draft.kind),
            "held_on": draft.held_on.isoformat(),
            "decisions": len(draft.decisions),
            "scales": len(draft.scales),
        },
    )
    if draft.agree_plan:
        agree_draft(plan, by, review)
    db.session.refresh(plan)
    return review


def add_decision(
    plan: Plan,
    review: PlanReview,
    decision: DecisionDraft,
    by: User,
    late_reason: str | None = None,
    *,
    audited: bool = True,
) -> ReviewDecision:
    """A decision made at the review, written into the chronology as a decision entry."""
    # The decision as written: the entry is the record's, not a sentence in the reader's
    # language; the plan's review page gives its context.
    body = decision.decision.strip()
    entry = entries.add_entry(
        plan.child_id,
        entries.EntryDraft(
            kind=EntryKind.DECISION,
            body=body,
            occurred_at=_occurred_at(review.held_on),
            classification=Classification.DECISION,
            source=Source.FIRST_HAND,
            decision_maker=decision.decided_by,
            decision_reasons=decision.reasons,
            late_reason=late_reason,
        ),
        by,
    )
    made = ReviewDecision(
        review_id=review.id,
        decision=decision.decision.strip(),
        decided_by=decision.decided_by.strip(),
        reasons=decision.reasons.strip(),
        record_entry_id=entry.id,
    )
    db.session.add(made)
    db.session.flush()
    if audited:
        audit.record(
            AuditAction.PLAN_REVIEW_RECORDED,
            child_id=plan.child_id,
            target=f"plan_review:{review.id}",
            details={"decision_added": made.id, "record_entry": entry.sequence},
        )
    return made


def add_scale(plan: Plan, review: PlanReview, scale: ScaleDraft) -> ScaleRating:
    """A participant's 0-10 scale given at a review."""
    if not 0 <= scale.value <= 10 or not clean(scale.participant_name):
        raise PlanRefused({"value": _("A scale runs from 0 to 10.")})
    rating = ScaleRating(
        review_id=review.id,
        participant_kind=scale.participant_kind,
        participant_name=scale.participant_name.strip(),
        value=scale.value,
        reason=clean(scale.reason),
        show_to_child=scale.show_to_child,
    )
    db.session.add(rating)
    db.session.flush()
    audit.record(
        AuditAction.PLAN_CHANGED,
        child_id=plan.child_id,
        target=f"plan_review:{review.id}",
        details={"what": "scale", "kind": str(scale.participant_kind), "value": scale.value},
    )
    return rating
