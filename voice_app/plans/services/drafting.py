"""Making and changing a plan's draft, agreeing it as a version, and signing versions off.

Only the draft changes. Agreeing it keeps it as it is forever and starts the next draft
as a copy; words whose consent no longer covers the plan's readers are taken out of the
version being agreed, and the version says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution
from voice_app.core.errors import Refused
from voice_app.extensions import db
from voice_app.plans.models import (
    ActionStatus,
    Outcome,
    OwnerKind,
    PlacedWords,
    Plan,
    PlanAction,
    PlanItem,
    PlanKind,
    PlanVersion,
    Section,
    Voice,
)
from voice_app.plans.services.voices import can_be_placed, shareable_words


class PlanRefused(Refused):
    """The change cannot be made; ``problems`` maps form fields to messages."""


def clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def plan_of(child_id: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.child_id == child_id))


def plan_for_page(child_id: int) -> Plan | None:
    """The plan without its reviews: the pages read those through
    ``review_reading.page_reviews`` (every review in brief, the newest in full), or load
    them all when they touch ``plan.reviews``."""
    return db.session.scalar(
        select(Plan).where(Plan.child_id == child_id).options(lazyload(Plan.reviews))
    )


def _changed(plan: Plan, what: str, **details: object) -> None:
    audit.record(
        AuditAction.PLAN_CHANGED,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"what": what, **details},
    )


def start_plan(
    child: Child, kind: PlanKind, started_on: date, next_review_on: date | None, by: User
) -> Plan:
    """Start the child's plan with an empty first draft."""
    if plan_of(child.id) is not None:
        raise PlanRefused({"kind": _("This child already has a plan.")})
    plan = Plan(
        child_id=child.id,
        kind=kind,
        started_on=started_on,
        next_review_on=next_review_on if kind is PlanKind.CHILD_IN_NEED else None,
        created_by_id=by.id,
    )
    db.session.add(plan)
    db.session.flush()
    db.session.add(PlanVersion(plan_id=plan.id, number=1))
    db.session.flush()
    audit.record(
        AuditAction.PLAN_CREATED,
        child_id=child.id,
        target=f"plan:{plan.id}",
        details={"kind": str(kind), "started_on": started_on.isoformat()},
    )
    return plan


def set_next_review(plan: Plan, next_review_on: date | None) -> None:
    """A child-in-need plan's review date, as the practitioner sets it."""
    plan.next_review_on = next_review_on
    _changed(plan, "next_review_on", on=next_review_on.isoformat() if next_review_on else None)


def draft_of(plan: Plan) -> PlanVersion:
    """The working draft: the newest version, which is never agreed while it is the draft."""
    draft = plan.versions[-1]
    assert draft.agreed_at is None, "a plan always has a draft after its last agreed version"
    return draft


def plan_and_draft_for_page(child_id: int) -> tuple[Plan, PlanVersion] | None:
    """The plan (without its reviews, as ``plan_for_page``) and its draft, read in one
    statement: the plan page needs no other version's rows."""
    row = db.session.execute(
        select(Plan, PlanVersion)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.child_id == child_id)
        .options(lazyload(Plan.reviews))
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    plan, draft = row
    assert draft.agreed_at is None, "a plan always has a draft"
    return plan, draft


def agreed_versions(plan: Plan) -> list[PlanVersion]:
    return [v for v in plan.versions if v.agreed]


@dataclass(frozen=True)
class ItemDraft:
    section: Section
    text: str
    who: str | None = None
    voice: Voice = Voice.PROFESSIONAL
    child_text: str | None = None
    show_to_child: bool = False


def _check_item(draft: ItemDraft) -> None:
    problems = {}
    if not clean(draft.text):
        problems["text"] = _("Please write what goes in the plan.")
    if draft.section is Section.NETWORK and not clean(draft.who):
        problems["who"] = _("Please say who this person is.")
    if draft.show_to_child and not clean(draft.child_text):
        problems["child_text"] = _("Please write the sentence the child will see.")
    if problems:
        raise PlanRefused(problems)


def save_item(plan: Plan, draft: ItemDraft, item: PlanItem | None = None) -> PlanItem:
    """Add a line to the draft, or change one of its lines."""
    _check_item(draft)
    version = draft_of(plan)
    if item is None:
        item = PlanItem(version_id=version.id)
        db.session.add(item)
    item.section = draft.section
    item.text = draft.text.strip()
    item.who = clean(draft.who)
    item.voice = draft.voice
    item.child_text = clean(draft.child_text)
    item.show_to_child = draft.show_to_child
    db.session.flush()
    _changed(plan, "item", item=item.id, section=str(item.section))
    return item


def remove_item(plan: Plan, item: PlanItem) -> None:
    db.session.delete(item)
    _changed(plan, "item_removed", item=item.id)


@dataclass(frozen=True)
class ActionDraft:
    what: str
    owner_kind: OwnerKind
    owner_name: str
    outcome: Outcome
    status: ActionStatus = ActionStatus.NOT_STARTED
    due_on: date | None = None
    not_done_reason: str | None = None
    planned_outcome: str | None = None
    actual_outcome: str | None = None
    child_text: str | None = None
    show_to_child: bool = False


def _check_action(draft: ActionDraft) -> None:
    problems = {}
    if not clean(draft.what):
        problems["what"] = _("Please say what needs to happen.")
    if not clean(draft.owner_name):
        problems["owner_name"] = _("Please say who will do it.")
    if draft.status is ActionStatus.NOT_DONE and not clean(draft.not_done_reason):
        problems["not_done_reason"] = _("Please say why it was not done.")
    if draft.show_to_child and not clean(draft.child_text):
        problems["child_text"] = _("Please write the sentence the child will see.")
    if problems:
        raise PlanRefused(problems)


def save_action(plan: Plan, draft: ActionDraft, action: PlanAction | None = None) -> PlanAction:
    """Add an action to the draft, or change one (its status, outcomes, owner...)."""
    _check_action(draft)
    if action is None:
        action = PlanAction(version_id=draft_of(plan).id)
        db.session.add(action)
    action.what = draft.what.strip()
    action.owner_kind = draft.owner_kind
    action.owner_name = draft.owner_name.strip()
    action.outcome = draft.outcome
    action.status = draft.status
    action.due_on = draft.due_on
    action.not_done_reason = (
        clean(draft.not_done_reason) if draft.status is ActionStatus.NOT_DONE else None
    )
    action.planned_outcome = clean(draft.planned_outcome)
    action.actual_outcome = clean(draft.actual_outcome)
    action.child_text = clean(draft.child_text)
    action.show_to_child = draft.show_to_child
    db.session.flush()
    _changed(plan, "action", action=action.id, status=str(action.status))
    return action


def place_words(
    plan: Plan,
    contribution: Contribution,
    section: Section,
    by: User,
    child_text: str | None = None,
    show_to_child: bool = False,
) -> PlacedWords:
    """Put the child's words, verbatim, into a section of the draft."""
    if contribution.child_id != plan.child_id or contribution.id not in (
        shareable_words(plan.child_id).allowed
    ):
        raise PlanRefused({"contribution": _("These words may not be shared with the plan.")})
    if not can_be_placed(contribution):
        raise PlanRefused(
            {"contribution": _("A recording goes into a plan once its words are confirmed.")}
        )
    if show_to_child and not clean(child_text):
        raise PlanRefused({"child_text": _("Please write the sentence the child will see.")})
    placed = PlacedWords(
        version_id=draft_of(plan).id,
        section=section,
        contribution_id=contribution.id,
        placed_by_label=by.display,
        child_text=clean(child_text),
        show_to_child=show_to_child,
    )
    db.session.add(placed)
    db.session.flush()
    audit.record(
        AuditAction.PLAN_WORDS_PLACED,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"contribution": contribution.id, "section": str(section)},
    )
    return placed


def remove_words(plan: Plan, placed: PlacedWords) -> None:
    db.session.delete(placed)
    _changed(plan, "words_removed", contribution=placed.contribution_id)
