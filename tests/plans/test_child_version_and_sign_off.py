"""The child sees their own numbers (and only the scales chosen for them); managers sign
off agreed versions; a child in need plan's review date is the practitioner's."""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import escape

from tests.plans.helpers import plan_scene
from tests.record.helpers import add_contribution, place
from voice_app.accounts.invitations import create_invitation
from voice_app.contributions.models import ContributionKind
from voice_app.extensions import db
from voice_app.plans.models import ParticipantKind, PlanKind, ReviewKind
from voice_app.plans.services import reviews, versions


def _scale(scene, value: int):  # type: ignore[no-untyped-def]
    contribution = add_contribution(scene.child, None, kind=ContributionKind.SCALE)
    contribution.scale_value = value
    db.session.commit()
    return contribution


def test_the_child_sees_their_own_numbers_and_only_chosen_scales(client) -> None:
    scene = plan_scene()
    _scale(scene, 3)
    _scale(scene, 8)
    hidden = _scale(scene, 10)
    place(scene.child, scene.practitioner, contribution=hidden)
    reviews.record_review(
        scene.plan,
        reviews.ReviewDraft(
            ReviewKind.CORE_GROUP,
            date.today() - timedelta(days=2),
            "changes",
            present=["Maya"],
            scales=[
                reviews.ScaleDraft(ParticipantKind.PARENT, "Claire Thompson", 6, None, True),
                reviews.ScaleDraft(ParticipantKind.PRACTITIONER, "Sam Secretscale", 2),
            ],
        ),
        scene.practitioner,
    )
    db.session.commit()
    made = create_invitation(scene.child, "plan", scene.practitioner, timedelta(days=1))
    db.session.commit()
    client.get(f"/i/{made.token}")
    page = client.get("/me/plan").text
    numbers = page[page.index('class="cs-plan-numbers"') :]
    numbers = numbers[: numbers.index("</ol>")]
    assert [n for n in ("<strong>3</strong>", "<strong>8</strong>") if n in numbers] == [
        "<strong>3</strong>",
        "<strong>8</strong>",
    ]
    assert "<strong>10</strong>" not in page  # placed in the confidential section
    assert "Claire Thompson" in page
    assert "Secretscale" not in page
    assert 'class="child-scale"' in page


def test_a_manager_signs_off_an_agreed_version(make_client) -> None:
    scene = plan_scene()
    versions.agree_draft(scene.plan, scene.practitioner)
    db.session.commit()
    manager = make_client(scene.manager.email)
    url = f"/children/{scene.child.id}/plan/versions/1/sign-off"
    assert manager.submit(url, {"note": "Agreed with the plan."}).status_code == 302
    history = manager.get(f"/children/{scene.child.id}/plan/versions").text
    assert "Agreed with the plan." in history and str(escape(scene.manager.name)) in history
    # The draft cannot be signed off.
    manager.submit(f"/children/{scene.child.id}/plan/versions/2/sign-off", {})
    assert (
        "Only an agreed version can be signed off."
        in manager.get(f"/children/{scene.child.id}/plan/versions").text
    )


def test_a_child_in_need_review_is_due_when_the_practitioner_says(make_client) -> None:
    scene = plan_scene(PlanKind.CHILD_IN_NEED)
    client = make_client(scene.practitioner.email)
    base = f"/children/{scene.child.id}/plan"
    assert "No review date is set." in client.get(base).text
    client.submit(f"{base}/next-review", {"next_review_on": "2099-03-01"})
    assert "due by 1 March 2099" in client.get(base).text
