"""Permission-matrix rows for plans: reading, editing the draft, reviews, sign-off, the
child's version.

Assigned practitioners edit; managers read and sign off; interpreters are refused until
interpreting tasks exist (issue 11); admins never see a plan.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.core.matrix import CASE_READERS, Row, World, child_only, only
from tests.factories import AssignmentFactory, ChildFactory
from tests.plans.helpers import decide_for_meeting
from voice_app.children.models import Child
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.extensions import db
from voice_app.plans.models import ActionStatus, Outcome, OwnerKind, PlanKind, ReviewKind, Section
from voice_app.plans.services import drafting, reviews
from voice_app.record.models import ConsentAnswer

#: Editing needs ``plan:edit`` first (managers lack it), then the child must be visible.
EDITORS = {
    "practitioner": 200,
    "unassigned_practitioner": 404,
    "manager": 403,
    "other_team_manager": 403,
}
EDITORS_POST = {key: 302 if value == 200 else value for key, value in EDITORS.items()}
SIGNERS_POST = {
    "practitioner": 403,
    "unassigned_practitioner": 403,
    "manager": 302,
    "other_team_manager": 404,
}


def extend_world(world: World) -> None:
    """A plan with one agreed version, a draft, a review; words to place; a child with no plan."""
    practitioner = world.users["practitioner"]
    child = db.session.get(Child, world.child_id)
    assert child is not None
    plan = drafting.start_plan(
        child, PlanKind.CHILD_PROTECTION, date(2026, 9, 1), None, practitioner
    )
    item = drafting.save_item(plan, drafting.ItemDraft(Section.HARM, "Matrix worry"))
    action = drafting.save_action(
        plan,
        drafting.ActionDraft("Matrix action", OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE),
    )

    def said(words: str) -> int:
        contribution, _ = add_contribution(
            child,
            Submission(
                str(uuid.uuid4()), ContributionKind.TEXT, SharingChoice.MY_MEETING, text=words
            ),
            Author(AuthorKind.CHILD, invitation_id=world.invitation_id),
        )
        decide_for_meeting(contribution, practitioner, ConsentAnswer.GIVEN)
        return contribution.id

    placed_id = said("I like my school.")
    unplaced = said("I want to see Nan.")
    placed = drafting.place_words(
        plan,
        db.session.get(Contribution, placed_id),
        Section.STRENGTH,
        practitioner,  # type: ignore[arg-type]
    )
    review = reviews.record_review(
        plan,
        reviews.ReviewDraft(
            ReviewKind.CORE_GROUP,
            date.today() - timedelta(days=1),
            "Matrix review",
            present=["Matrix Child"],
        ),
        practitioner,
    )
    draft = drafting.draft_of(plan)
    no_plan = ChildFactory(team=child.team, full_name="Matrix Child Without Plan")
    AssignmentFactory(child=no_plan, user=practitioner)
    db.session.flush()
    world.extra.update(
        plan_item=draft.items[0].id,
        plan_action=draft.actions[0].id,
        plan_words=draft.words[0].id,
        unplaced=unplaced,
        review=review.id,
        no_plan=no_plan.id,
        agreed_item=item.id,
        agreed_action=action.id,
        agreed_words=placed.id,
    )


def _p(w: World) -> str:
    return f"/children/{w.child_id}/plan"


def _action_data(w: World) -> dict[str, str]:
    return {
        "what": "Visit every Saturday",
        "owner_kind": "family",
        "owner_name": "Nan",
        "status": str(ActionStatus.UNDER_WAY),
        "outcome": "stay_safe",
    }


ROWS: dict[str, list[Row]] = {
    "plans.show": [Row("GET", _p, only(CASE_READERS))],
    "plans.start": [
        Row(
            "POST",
            lambda w: f"/children/{w.extra['no_plan']}/plan",
            only(EDITORS_POST),
            lambda w: {"kind": "child_in_need", "started_on": "2026-10-01"},
        )
    ],
    "plans.history": [Row("GET", lambda w: f"{_p(w)}/versions", only(CASE_READERS))],
    "plans.version": [Row("GET", lambda w: f"{_p(w)}/versions/1", only(CASE_READERS))],
    "plans.compare": [
        Row("GET", lambda w: f"{_p(w)}/compare?first=1&second=2", only(CASE_READERS))
    ],
    "plans.version_pdf": [Row("GET", lambda w: f"{_p(w)}/versions/1/pdf", only(CASE_READERS))],
    "plans.sign_off": [
        Row("POST", lambda w: f"{_p(w)}/versions/1/sign-off", only(SIGNERS_POST), lambda w: {})
    ],
    "plan_editing.item": [
        Row("GET", lambda w: f"{_p(w)}/items/new", only(EDITORS)),
        Row(
            "POST",
            lambda w: f"{_p(w)}/items/new",
            only(EDITORS_POST),
            lambda w: {"section": "strength", "text": "Nan helps", "voice": "family"},
        ),
        Row("GET", lambda w: f"{_p(w)}/items/{w.extra['plan_item']}", only(EDITORS)),
        # A line of an agreed version is never edited: it is not found.
        Row(
            "GET",
            lambda w: f"{_p(w)}/items/{w.extra['agreed_item']}",
            only({**EDITORS, "practitioner": 404}),
        ),
    ],
    "plan_editing.remove_item": [
        Row("POST", lambda w: f"{_p(w)}/items/{w.extra['plan_item']}/remove", only(EDITORS_POST))
    ],
    "plan_editing.action": [
        Row("GET", lambda w: f"{_p(w)}/actions/new", only(EDITORS)),
        Row(
            "POST",
            lambda w: f"{_p(w)}/actions/{w.extra['plan_action']}",
            only(EDITORS_POST),
            _action_data,
        ),
    ],
    "plan_editing.place": [
        Row("GET", lambda w: f"{_p(w)}/words/{w.extra['unplaced']}", only(EDITORS)),
        Row(
            "POST",
            lambda w: f"{_p(w)}/words/{w.extra['unplaced']}",
            only(EDITORS_POST),
            lambda w: {"section": "safety_goal"},
        ),
    ],
    "plan_editing.remove_words": [
        Row(
            "POST",
            lambda w: f"{_p(w)}/words/placed/{w.extra['plan_words']}/remove",
            only(EDITORS_POST),
        )
    ],
    "plan_reviews.review": [
        Row("GET", lambda w: f"{_p(w)}/reviews/new", only(EDITORS)),
        Row(
            "POST",
            lambda w: f"{_p(w)}/reviews/new",
            only(EDITORS_POST),
            lambda w: {
                "kind": "core_group",
                "held_on": date.today().isoformat(),
                "present": "Maya\nSam",
                "what_changed": "Nothing new.",
            },
        ),
    ],
    "plan_reviews.add_scale": [
        Row(
            "POST",
            lambda w: f"{_p(w)}/scales",
            only(EDITORS_POST),
            lambda w: {
                "review_id": str(w.extra["review"]),
                "participant_kind": "parent",
                "participant_name": "Mum",
                "value": "6",
            },
        )
    ],
    "plan_reviews.next_review": [
        Row(
            "POST",
            lambda w: f"{_p(w)}/next-review",
            only(EDITORS_POST),
            lambda w: {"next_review_on": "2099-01-01"},
        )
    ],
    "child_space.my_plan": [Row("GET", lambda w: "/me/plan", child_only(200))],
}
