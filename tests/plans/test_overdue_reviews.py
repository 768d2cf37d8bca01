"""Plan reviews past their due date show on the case lists and the manager's team view,
counted in working days of each child's UK nation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import current_app
from markupsafe import escape
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.plans.helpers import plan_scene
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.core.working_days import Nation
from voice_app.extensions import db
from voice_app.plans.models import PlanKind, ReviewKind
from voice_app.plans.services import drafting, reviews
from voice_app.plans.services import overdue as plan_overdue


@pytest.fixture
def on_day(monkeypatch):  # type: ignore[no-untyped-def]
    def set_day(day: date) -> None:
        monkeypatch.setattr(plan_overdue, "uk_today", lambda: day)

    return set_day


def overdue_block(page: str) -> str:
    if "overdue-reviews-heading" not in page:
        return ""
    return page.split('id="overdue-reviews-heading"', 1)[1].split("</section>", 1)[0]


def test_an_overdue_review_shows_on_the_practitioners_and_managers_case_lists(
    make_client, on_day
) -> None:
    on_day(date(2026, 9, 20))
    scene = plan_scene(PlanKind.CHILD_PROTECTION, date(2026, 9, 1))  # core group by 15 Sept
    scene.child.lead_practitioner = scene.practitioner
    db.session.commit()
    unassigned = UserFactory(team=scene.practitioner.team)
    interpreter = UserFactory(team=scene.practitioner.team, role=Role.INTERPRETER)
    AssignmentFactory(child=scene.child, user=interpreter)
    db.session.commit()
    for email in (scene.practitioner.email, scene.manager.email):
        block = overdue_block(make_client(email).get("/children/").text)
        assert "Plan reviews that are overdue" in block, email
        # Escaped as the page writes it: generated names may hold an apostrophe (O'Brien).
        assert escape(scene.child.full_name) in block and "Core group meeting" in block
        assert "15 Sept 2026" in block
        # The conference is due on 1 December: not overdue yet.
        assert "Review child protection conference" not in block
        assert re.findall(r'href="([^"]+)"', block)[0] == f"/children/{scene.child.id}/plan#due"
    for email in (unassigned.email, interpreter.email):
        assert overdue_block(make_client(email).get("/children/").text) == "", email
    shown = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.OVERDUE_REVIEWS_VIEWED)
    ).all()
    assert len(shown) == 2


def test_a_review_held_takes_it_off_and_a_closed_case_is_not_listed(make_client, on_day) -> None:
    today = utcnow().date()
    on_day(today)
    # Core group due 10 working days after the conference; the next conference in 3 months.
    scene = plan_scene(PlanKind.CHILD_PROTECTION, today - timedelta(days=30))
    client = make_client(scene.practitioner.email)
    assert "Core group meeting" in overdue_block(client.get("/children/").text)
    with current_app.test_request_context():
        reviews.record_review(
            scene.plan,
            reviews.ReviewDraft(ReviewKind.CORE_GROUP, today, "Met", present=["Mum"]),
            scene.practitioner,
        )
    db.session.commit()
    assert overdue_block(client.get("/children/").text) == ""

    other = plan_scene(PlanKind.CHILD_PROTECTION, date(2026, 9, 1))
    other.child.closed_at = utcnow()
    db.session.commit()
    found, _more = plan_overdue.overdue_reviews_for(other.practitioner)
    assert found == []


def test_overdue_reviews_follow_each_nations_bank_holidays(app, on_day) -> None:
    # A looked-after child's first review: 20 working days. St Andrew's Day (Monday 30
    # November 2026) is a bank holiday in Scotland only.
    english = plan_scene(PlanKind.LOOKED_AFTER, date(2026, 11, 2))
    scottish_child = ChildFactory(team=english.practitioner.team, nation=Nation.SCOTLAND)
    AssignmentFactory(child=scottish_child, user=english.practitioner)
    db.session.commit()
    drafting.start_plan(
        scottish_child, PlanKind.LOOKED_AFTER, date(2026, 11, 2), None, english.practitioner
    )
    db.session.commit()

    def late_on(day: date) -> dict[str, date]:
        on_day(day)
        found, _more = plan_overdue.overdue_reviews_for(english.practitioner)
        return {late.child_name: late.due_on for late in found}

    assert late_on(date(2026, 11, 30)) == {}
    assert late_on(date(2026, 12, 1)) == {english.child.full_name: date(2026, 11, 30)}
    assert late_on(date(2026, 12, 2)) == {
        english.child.full_name: date(2026, 11, 30),
        scottish_child.full_name: date(2026, 12, 1),
    }


def test_the_team_view_counts_overdue_reviews_per_practitioner(make_client, on_day) -> None:
    on_day(date(2026, 12, 2))
    first = plan_scene(PlanKind.CHILD_PROTECTION, date(2026, 9, 1))  # core group and conference
    first.child.lead_practitioner = first.practitioner
    daniel = UserFactory(team=first.practitioner.team, name="Daniel Price")
    second = ChildFactory(team=daniel.team, lead_practitioner=daniel)
    db.session.commit()
    drafting.start_plan(second, PlanKind.LOOKED_AFTER, date(2026, 11, 2), None, daniel)
    db.session.commit()
    page = make_client(first.manager.email).get("/team/").text
    counts = {
        name: page.split(name, 1)[1].split('data-count="overdue_reviews">', 1)[1].split("<", 1)[0]
        for name in (first.practitioner.display, daniel.display)
    }
    assert counts == {first.practitioner.display: "2", daniel.display: "1"}
    assert "Overdue plan reviews" in page
