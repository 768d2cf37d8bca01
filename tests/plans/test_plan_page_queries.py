"""The plan page's query count does not grow with the plan: no query per action, line,
version, review or placed words (the page once rendered every version's rows)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app

from tests.conftest import counted_queries
from tests.plans.helpers import PlanScene, plan_scene, words
from voice_app.extensions import db
from voice_app.plans.models import (
    ActionStatus,
    Outcome,
    OwnerKind,
    ParticipantKind,
    ReviewKind,
    Section,
)
from voice_app.plans.services import drafting, reviews


def grow(scene: PlanScene, actions: int, reviews_held: int, placed: int) -> None:
    """Add actions, lines, placed words and reviews (each review agreeing a version)."""
    with current_app.test_request_context():
        _grow(scene, actions, reviews_held, placed)


def _grow(scene: PlanScene, actions: int, reviews_held: int, placed: int) -> None:
    plan, by = scene.plan, scene.practitioner
    for n in range(actions):
        drafting.save_action(
            plan,
            drafting.ActionDraft(
                f"Action {n}",
                OwnerKind.STAFF,
                "Sam",
                Outcome.STAY_SAFE,
                ActionStatus.UNDER_WAY,
                date(2026, 9, 1) + timedelta(days=n),
            ),
        )
        drafting.save_item(plan, drafting.ItemDraft(Section.STRENGTH, f"Strength {n}"))
    for n in range(placed):
        drafting.place_words(plan, words(scene.child, by, f"Words {n}"), Section.HARM, by)
    for n in range(reviews_held):
        reviews.record_review(
            plan,
            reviews.ReviewDraft(
                ReviewKind.CORE_GROUP,
                date(2026, 9, 2) + timedelta(days=n),
                "Changes",
                present=["Mum", "Sam"],
                absent=["Dad"],
                decisions=[reviews.DecisionDraft("Keep going", "Core group", "Safer")],
                scales=[reviews.ScaleDraft(ParticipantKind.PARENT, "Mum", n % 11)],
                late_reason="recorded after the meeting",
            ),
            by,
        )
    db.session.commit()


def page_queries(make_client: Any, scene: PlanScene) -> tuple[int, str]:
    client = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/plan"
    client.get(url)  # warm caches that are not the page's own (session, locale)
    db.session.expire_all()
    with counted_queries() as seen:
        page = client.get(url)
    assert page.status_code == 200
    return len(seen), page.text


def test_plan_page_queries_do_not_grow_with_actions_reviews_or_versions(make_client) -> None:
    small = plan_scene()
    grow(small, actions=2, reviews_held=1, placed=1)
    few, _ = page_queries(make_client, small)

    large = plan_scene()
    grow(large, actions=30, reviews_held=6, placed=5)
    many, page = page_queries(make_client, large)

    assert "Action 29" in page and "Strength 29" in page
    assert many == few, f"{few} queries for a small plan, {many} for a large one"


def test_plan_page_shows_only_the_current_version(make_client) -> None:
    scene = plan_scene()
    plan, by = scene.plan, scene.practitioner
    old = drafting.save_action(
        plan, drafting.ActionDraft("Old wording", OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE)
    )
    db.session.commit()
    with current_app.test_request_context():
        reviews.record_review(
            plan,
            reviews.ReviewDraft(
                ReviewKind.CORE_GROUP, date(2026, 9, 2), "Changes", present=["Mum"]
            ),
            by,
        )
    db.session.commit()
    current = drafting.draft_of(plan).actions[0]
    drafting.save_action(
        plan,
        drafting.ActionDraft("New wording", OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE),
        current,
    )
    db.session.commit()
    page = make_client(by.email).get(f"/children/{scene.child.id}/plan").text
    assert "New wording" in page and "Old wording" not in page
    assert f'id="action-{old.id}"' not in page


def test_the_plan_page_shows_the_newest_reviews_and_the_versions_page_all(make_client) -> None:
    scene = plan_scene()
    with current_app.test_request_context():
        for n in range(7):
            reviews.record_review(
                scene.plan,
                reviews.ReviewDraft(
                    ReviewKind.CORE_GROUP,
                    date(2026, 9, 2) + timedelta(days=n),
                    f"Changes at review number {n}.",
                    present=["Mum"],
                    agree_plan=False,
                ),
                scene.practitioner,
            )
    db.session.commit()
    client = make_client(scene.practitioner.email)
    page = client.get(f"/children/{scene.child.id}/plan").text
    assert "Changes at review number 6." in page and "Changes at review number 2." in page
    assert "Changes at review number 1." not in page
    assert "See all 7 reviews" in page
    history = client.get(f"/children/{scene.child.id}/plan/versions").text
    assert all(f"Changes at review number {n}." in history for n in range(7))
