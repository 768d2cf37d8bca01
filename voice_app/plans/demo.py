"""Demo plan for ``flask demo``: Maya's child protection plan, agreed at two core groups,
with her own words in two sections, and scales from Maya, her mother and Sam."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    House,
    SharingChoice,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.plans.models import (
    ActionStatus,
    Outcome,
    OwnerKind,
    ParticipantKind,
    PlanKind,
    ReviewKind,
    Section,
    Voice,
)
from voice_app.plans.services import drafting, reviews
from voice_app.record.consent.services import ConsentDraft, record_decision
from voice_app.record.models import ConsentAnswer, ConsentFrom


def _maya_said(child: Child, author: User, client_id: str, text: str, house: House) -> Contribution:
    contribution, _created = add_contribution(
        child,
        Submission(
            client_id,
            ContributionKind.HOUSE,
            SharingChoice.MY_MEETING,
            language="en",
            text=text,
            house=house,
        ),
        Author(AuthorKind.PRACTITIONER_FOR_CHILD, with_practitioner_id=author.id),
    )
    record_decision(
        child,
        contribution,
        ConsentDraft(
            consent_from=ConsentFrom.CHILD,
            information="What Maya said for her plan.",
            answer=ConsentAnswer.GIVEN,
            decided_on=utcnow().date(),
            share_with_meeting=True,
            reasons="Maya wants the people at her meetings to hear it.",
        ),
        author,
    )
    return contribution


def _scales(maya: int, mum: int, sam: int, sam_user: User) -> list[reviews.ScaleDraft]:
    return [
        reviews.ScaleDraft(ParticipantKind.CHILD, "Maya", maya, "How safe Maya feels at home."),
        reviews.ScaleDraft(ParticipantKind.PARENT, "Claire Thompson", mum, None),
        reviews.ScaleDraft(ParticipantKind.PRACTITIONER, sam_user.name, sam, None),
    ]


def seed_plan(child: Child, sam: User) -> None:
    """Maya's plan, as Sam built it with her and her family."""
    today = utcnow().date()
    plan = drafting.start_plan(
        child, PlanKind.CHILD_PROTECTION, today - timedelta(days=70), None, sam
    )
    worry = _maya_said(
        child,
        sam,
        "demo-maya-worry",
        "I worry when Mum and Dad shout at night and I can't sleep.",
        House.WORRIES,
    )
    grandad = db.session.scalar(
        select(Contribution).where(Contribution.client_id == "demo-maya-grandad")
    )
    drafting.save_item(
        plan,
        drafting.ItemDraft(
            Section.DANGER_STATEMENT,
            "We are worried that Maya could be hurt or frightened when the adults at home "
            "argue late at night.",
            child_text="Grown-ups are worried when there is shouting at home at night.",
            show_to_child=True,
        ),
    )
    drafting.save_item(
        plan,
        drafting.ItemDraft(
            Section.NETWORK,
            "Walks Maya to school every morning and has her after school on Fridays.",
            who="Robert Thompson (Grandad)",
            voice=Voice.FAMILY,
            child_text="Grandad walks you to school.",
            show_to_child=True,
        ),
    )
    drafting.place_words(
        plan, worry, Section.HARM, sam, "You told us the shouting keeps you awake.", True
    )
    if grandad is not None:
        drafting.place_words(
            plan, grandad, Section.STRENGTH, sam, "You like walking to school with Grandad.", True
        )
    drafting.save_action(
        plan,
        drafting.ActionDraft(
            "Claire and Maya's dad agree a plan for evenings with no arguing in front of Maya.",
            OwnerKind.FAMILY,
            "Claire Thompson",
            Outcome.STAY_SAFE,
            ActionStatus.UNDER_WAY,
            today + timedelta(days=21),
            planned_outcome="Maya sleeps through most nights.",
            child_text="Mum and Dad will keep evenings calm.",
            show_to_child=True,
        ),
    )
    reviews.record_review(
        plan,
        reviews.ReviewDraft(
            ReviewKind.CORE_GROUP,
            today - timedelta(days=60),
            "The plan was made with Maya and her family.",
            present=["Maya (before the meeting, with Sam)", "Claire Thompson", sam.name],
            absent=["Maya's father"],
            decisions=[
                reviews.DecisionDraft(
                    "The plan continues; the core group meets again in six weeks.",
                    "Core group",
                    "Maya is still frightened at night; the family has agreed the plan.",
                )
            ],
            scales=_scales(3, 5, 3, sam),
            late_reason="Demo: recorded when the demo was set up.",
        ),
        sam,
    )
    draft = drafting.draft_of(plan)
    drafting.save_action(
        plan,
        drafting.ActionDraft(
            draft.actions[0].what,
            OwnerKind.FAMILY,
            "Claire Thompson",
            Outcome.STAY_SAFE,
            ActionStatus.DONE,
            draft.actions[0].due_on,
            planned_outcome=draft.actions[0].planned_outcome,
            actual_outcome="Claire says evenings are calmer; Maya says she sleeps better.",
            child_text=draft.actions[0].child_text,
            show_to_child=True,
        ),
        draft.actions[0],
    )
    reviews.record_review(
        plan,
        reviews.ReviewDraft(
            ReviewKind.CORE_GROUP,
            today - timedelta(days=18),
            "Evenings are calmer. Maya says she sleeps better.",
            present=["Maya", "Claire Thompson", sam.name],
            decisions=[
                reviews.DecisionDraft(
                    "Keep the plan; review conference as planned.",
                    "Core group",
                    "Things are getting safer and the family wants to keep going.",
                )
            ],
            scales=_scales(6, 7, 5, sam),
            late_reason="Demo: recorded when the demo was set up.",
        ),
        sam,
    )
