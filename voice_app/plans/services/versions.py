"""Agreeing a plan's draft as a version, and managers signing versions off.

Agreeing keeps the draft as it is forever and starts the next draft as its copy. Words
whose consent no longer covers the plan's readers are taken out of the version being
agreed first, and the version says so (``WordsTakenOut``); confidential ones leave no note.
"""

from __future__ import annotations

from flask_babel import gettext as _

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.plans.models import (
    PlacedWords,
    Plan,
    PlanAction,
    PlanItem,
    PlanReview,
    PlanSignOff,
    PlanVersion,
    WordsTakenOut,
)
from voice_app.plans.services.drafting import PlanRefused, clean, draft_of
from voice_app.plans.services.voices import shareable_words


def _take_out_unshareable(plan: Plan, version: PlanVersion) -> None:
    shareable = shareable_words(plan.child_id, [p.contribution_id for p in version.words])
    for placed in list(version.words):
        if placed.contribution_id in shareable.allowed:
            continue
        if placed.contribution_id not in shareable.confidential:
            db.session.add(
                WordsTakenOut(
                    version_id=version.id,
                    contribution_id=placed.contribution_id,
                    section=placed.section,
                    consent_withdrawn=placed.contribution_id in shareable.withdrawn,
                )
            )
        version.words.remove(placed)
        db.session.delete(placed)


def _copy(version: PlanVersion, number: int) -> PlanVersion:
    copy = PlanVersion(plan_id=version.plan_id, number=number)
    db.session.add(copy)
    db.session.flush()
    for item in version.items:
        db.session.add(
            PlanItem(
                version_id=copy.id,
                **{k: getattr(item, k) for k in ("key", "section", "text", "who", "voice")},
                child_text=item.child_text,
                show_to_child=item.show_to_child,
            )
        )
    for action in version.actions:
        fields = [
            "key",
            "what",
            "owner_kind",
            "owner_name",
            "due_on",
            "status",
            "not_done_reason",
            "outcome",
            "planned_outcome",
            "actual_outcome",
            "child_text",
            "show_to_child",
        ]
        db.session.add(PlanAction(version_id=copy.id, **{k: getattr(action, k) for k in fields}))
    for placed in version.words:
        db.session.add(
            PlacedWords(
                version_id=copy.id,
                section=placed.section,
                contribution_id=placed.contribution_id,
                placed_by_label=placed.placed_by_label,
                placed_at=placed.placed_at,
                child_text=placed.child_text,
                show_to_child=placed.show_to_child,
            )
        )
    return copy


def agree_draft(plan: Plan, by: User, review: PlanReview | None = None) -> PlanVersion:
    """Keep the draft as an agreed version, and start the next draft as its copy."""
    version = draft_of(plan)
    _take_out_unshareable(plan, version)
    # What is taken out leaves the draft before it is agreed: nothing changes after.
    db.session.flush()
    version.agreed_at = utcnow()
    version.agreed_by_label = by.display
    version.review_id = review.id if review else None
    db.session.flush()
    _copy(version, version.number + 1)
    db.session.flush()
    db.session.refresh(plan)
    audit.record(
        AuditAction.PLAN_VERSION_AGREED,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"version": version.number, "review": review.id if review else None},
    )
    return version


def sign_off(plan: Plan, version: PlanVersion, by: User, note: str | None) -> PlanSignOff:
    """A manager signs off an agreed version."""
    if not version.agreed:
        raise PlanRefused({"note": _("Only an agreed version can be signed off.")})
    signed = PlanSignOff(
        version_id=version.id,
        signed_off_by_id=by.id,
        signed_off_by_label=by.display,
        note=clean(note),
    )
    db.session.add(signed)
    db.session.flush()
    audit.record(
        AuditAction.PLAN_VERSION_SIGNED_OFF,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"version": version.number},
    )
    return signed
