"""A practitioner builds a plan from the child's words; reviews keep versions and decisions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.plans.helpers import plan_scene, words
from voice_app.contributions.models import House
from voice_app.extensions import db
from voice_app.plans.models import (
    AgreedVersionChanged,
    PlanItem,
    PlanVersion,
    ReviewDecision,
    Section,
)
from voice_app.plans.services import drafting, versions
from voice_app.record.models import EntryKind, RecordEntry


def test_a_practitioner_builds_a_plan_and_agrees_it_at_a_review(make_client) -> None:
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    said = words(child, practitioner, "I like it when Nan picks me up", house=House.GOOD_THINGS)
    db.session.commit()
    client = make_client(practitioner.email)
    base = f"/children/{child.id}/plan"

    assert "This child has no plan yet" in client.get(base).text
    response = client.submit(base, {"kind": "child_protection", "started_on": "2026-09-01"})
    assert response.status_code == 302
    page = client.get(base).text
    assert "There is no word from the child in this plan yet." in page

    client.submit(
        f"{base}/items/new",
        {
            "section": "network",
            "who": "Nan",
            "text": "Picks Maya up from school",
            "voice": "family",
        },
    )
    client.submit(
        f"{base}/actions/new",
        {
            "what": "Visit every Saturday",
            "owner_kind": "family",
            "owner_name": "Nan",
            "status": "under_way",
            "outcome": "stay_safe",
            "due_on": "2026-12-01",
        },
    )
    form = client.get(f"{base}/words/{said.id}").text
    # A good-things answer suggests "What is working well?".
    assert '<option selected value="strength">' in form, form[
        form.find("<select") : form.find("</select>")
    ]
    client.submit(f"{base}/words/{said.id}", {"section": "strength"})
    page = client.get(base).text
    assert "I like it when Nan picks me up" in page
    assert "The child's own words are in this plan." in page
    assert "Visit every Saturday" in page

    # Today: a meeting held yesterday is a late entry after 09:00 (more than 24 hours).
    held = date.today().isoformat()
    response = client.submit(
        f"{base}/reviews/new",
        {
            "kind": "core_group",
            "held_on": held,
            "present": "Maya\nMum\nSam Patel",
            "absent": "Dad",
            "what_changed": "Nan collects from school now.",
            "decisions-0-decision": "The plan continues.",
            "decisions-0-decided_by": "Core group",
            "decisions-0-reasons": "Things are getting safer.",
            "agree_plan": "y",
        },
    )
    assert response.status_code == 302
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
    assert [v.agreed for v in versions] == [True, False]
    entry = db.session.scalar(select(RecordEntry).where(RecordEntry.kind == EntryKind.DECISION))
    assert entry is not None and entry.decision_maker == "Core group"
    assert db.session.scalar(select(ReviewDecision)).record_entry_id == entry.id  # type: ignore[union-attr]

    history = client.get(f"{base}/versions").text
    assert "Version 1" in history and "Version 2" in history
    client.submit(
        f"{base}/actions/{versions[1].actions[0].id}",
        {
            "what": "Visit every Saturday",
            "owner_kind": "family",
            "owner_name": "Nan",
            "status": "done",
            "outcome": "stay_safe",
            "actual_outcome": "Maya sees Nan weekly",
        },
    )
    compared = client.get(f"{base}/compare?first=1&second=2").text
    assert "<ins>" in compared and "Maya sees Nan weekly" in compared
    assert "Changed" in compared
    pdf = client.get(f"{base}/versions/1/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_an_agreed_version_is_never_changed(app) -> None:
    scene = plan_scene()
    drafting.save_item(scene.plan, drafting.ItemDraft(Section.HARM, "Shouting at night"))
    db.session.commit()
    agreed = versions.agree_draft(scene.plan, scene.practitioner)
    db.session.commit()
    item = agreed.items[0]
    item.text = "Something else"
    with pytest.raises(AgreedVersionChanged):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AgreedVersionChanged):
        db.session.delete(db.session.get(PlanItem, item.id))
        db.session.flush()
    db.session.rollback()
    version = db.session.get(PlanVersion, agreed.id)
    assert version is not None
    version.agreed_by_label = "someone else"
    with pytest.raises(AgreedVersionChanged):
        db.session.flush()
    db.session.rollback()
    db.session.add(PlanItem(version_id=agreed.id, section=Section.HARM, text="Slipped in"))
    with pytest.raises(AgreedVersionChanged):
        db.session.flush()
    db.session.rollback()
    # The draft that follows is a copy, and changing it leaves the agreed line as it was.
    draft = drafting.draft_of(scene.plan)
    drafting.save_item(
        scene.plan, drafting.ItemDraft(Section.HARM, "Shouting, less often"), draft.items[0]
    )
    db.session.commit()
    assert db.session.get(PlanItem, item.id).text == "Shouting at night"  # type: ignore[union-attr]
