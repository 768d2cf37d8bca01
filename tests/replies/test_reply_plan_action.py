"""A reply to the child names the plan action it is about, and keeps naming it as the
plan is agreed again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.plans.helpers import plan_scene
from tests.replies.helpers import said
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.plans.models import ActionStatus, Outcome, OwnerKind
from voice_app.plans.services import drafting
from voice_app.replies.models import ChildReply

VISITS = "Visits to Grandad every Saturday, arranged with Mum"


def test_a_reply_is_linked_to_a_plan_action_and_shows_it(app, make_client):
    scene = plan_scene()
    action = drafting.save_action(
        scene.plan,
        drafting.ActionDraft(VISITS, OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE),
    )
    db.session.commit()
    words = said(scene.child, "I want to see Grandad more.", utcnow() - timedelta(hours=1))
    browser = make_client(scene.practitioner.email)
    url = f"/children/{scene.child.id}/contributions/{words.id}/reply"
    page = browser.get(url).get_data(as_text=True)
    assert "The plan action this is about" in page and VISITS in page

    refused = browser.submit(
        url, {"text": "We planned visits.", "language": "en", "plan_action": "not-an-action"}
    )
    assert refused.status_code == 400
    assert "That action is not in the child&#39;s plan." in refused.get_data(as_text=True)
    assert db.session.scalar(select(ChildReply)) is None

    saved = browser.submit(
        url, {"text": "We planned visits.", "language": "en", "plan_action": action.key}
    )
    assert saved.status_code == 302
    reply = db.session.scalar(select(ChildReply))
    assert reply is not None and reply.plan_action_key == action.key
    page = browser.get(url).get_data(as_text=True)
    assert "Plan action:" in page and page.count(VISITS) >= 2  # in the history and the choices


def test_without_a_plan_the_reply_page_offers_no_actions(app, make_client):
    scene = plan_scene()
    db.session.delete(scene.plan.versions[-1])
    db.session.delete(scene.plan)
    db.session.commit()
    words = said(scene.child, "Hello.", utcnow() - timedelta(hours=1))
    browser = make_client(scene.practitioner.email)
    page = browser.get(f"/children/{scene.child.id}/contributions/{words.id}/reply")
    assert "The plan action this is about" not in page.get_data(as_text=True)


def test_the_team_view_counts_overdue_plan_actions_per_lead_practitioner(app, make_client):
    scene = plan_scene()
    scene.child.lead_practitioner = scene.practitioner
    late, done = (utcnow() - timedelta(days=3)).date(), (utcnow() - timedelta(days=9)).date()
    for what, due_on, status in (
        ("Late one", late, ActionStatus.UNDER_WAY),
        ("Late two", late, ActionStatus.NOT_STARTED),
        ("Finished", done, ActionStatus.DONE),
        ("Not yet due", utcnow().date() + timedelta(days=5), ActionStatus.NOT_STARTED),
    ):
        drafting.save_action(
            scene.plan,
            drafting.ActionDraft(
                what, OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE, status=status, due_on=due_on
            ),
        )
    db.session.commit()
    page = make_client(scene.manager.email).get("/team/").get_data(as_text=True)
    row = page.split(scene.practitioner.display, 1)[1]
    assert row.split('data-count="overdue_actions">', 1)[1].split("<", 1)[0] == "2"
