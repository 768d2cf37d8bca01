"""A child with a plan, words given in their space and consent decisions, for plan tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.record.helpers import add_contribution, place
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution, ContributionKind, House
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.plans.models import Plan, PlanKind, Section
from voice_app.plans.services import drafting
from voice_app.record.models import ConsentAnswer, ConsentDecision, ConsentFrom


def marker(name: str) -> str:
    return f"Mk{name}{uuid.uuid4().hex[:10]}"


def decide_for_meeting(contribution: Contribution, by: User, answer: ConsentAnswer) -> None:
    """A consent decision about sharing with the child's meetings (the plan's readers)."""
    db.session.add(
        ConsentDecision(
            child_id=contribution.child_id,
            contribution_id=contribution.id,
            consent_from=ConsentFrom.CHILD,
            information="what they said",
            share_with_meeting=True,
            answer=answer,
            decided_on=date.today(),
            recorded_by_id=by.id,
            recorded_by_label=by.display,
        )
    )
    db.session.commit()


def words(child: Child, by: User, text: str, *, house: House | None = None) -> Contribution:
    """The child's typed words, with consent given to share them with their meetings."""
    contribution = add_contribution(
        child, text, kind=ContributionKind.HOUSE if house else ContributionKind.TEXT
    )
    if house:
        contribution.house = house
        db.session.commit()
    decide_for_meeting(contribution, by, ConsentAnswer.GIVEN)
    return contribution


@dataclass
class PlanScene:
    practitioner: User
    manager: User
    child: Child
    plan: Plan
    markers: dict[str, str] = field(default_factory=dict)
    #: Contribution ids by marker name.
    contributions: dict[str, int] = field(default_factory=dict)


def plan_scene(
    kind: PlanKind = PlanKind.CHILD_PROTECTION, started_on: date = date(2026, 9, 1)
) -> PlanScene:
    practitioner = UserFactory()
    manager = UserFactory(team=practitioner.team, role=Role.MANAGER)
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    db.session.commit()
    plan = drafting.start_plan(child, kind, started_on, None, practitioner)
    db.session.commit()
    return PlanScene(practitioner, manager, child, plan)


def with_secret_words(scene: PlanScene) -> PlanScene:
    """Words placed in the draft, then one put in the confidential section and one withdrawn."""
    by = scene.practitioner
    names = {key: marker(key) for key in ("confidential", "withdrawn", "shown")}
    placed = {key: words(scene.child, by, f"I said {value}") for key, value in names.items()}
    for key, contribution in placed.items():
        # The sentence for the child carries the marker too, for the child's version.
        drafting.place_words(
            scene.plan, contribution, Section.STRENGTH, by, f"For you {names[key]}", True
        )
    db.session.commit()
    place(scene.child, by, contribution=placed["confidential"])
    decide_for_meeting(placed["withdrawn"], by, ConsentAnswer.WITHDRAWN)
    scene.markers = names
    scene.contributions = {key: contribution.id for key, contribution in placed.items()}
    return scene
