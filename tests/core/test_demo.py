"""`flask demo`: what a new user sees after `make run`."""

from __future__ import annotations

from sqlalchemy import select

from voice_app.children.models import Child
from voice_app.extensions import db
from voice_app.record.models import EntryKind, RecordEntry


def test_demo_seeds_once_and_maya_has_a_chronology_with_her_own_words(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo seeded." in result.output and "practitioner@demo.example" in result.output
    again = runner.invoke(args=["demo"])
    assert "The demo is already seeded." in again.output

    maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
    entries = db.session.scalars(
        select(RecordEntry).where(RecordEntry.child_id == maya.id).order_by(RecordEntry.sequence)
    ).all()
    # Then the decisions of the two reviews of her plan (voice_app.plans.demo).
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5, 6, 7]
    assert [e.kind for e in entries[5:]] == [EntryKind.DECISION, EntryKind.DECISION]
    assert entries[1].is_late and entries[3].corrects_id == entries[0].id
    (words,) = [e for e in entries if e.kind is EntryKind.CONTRIBUTION]
    assert words.contribution_words == (
        "I like it when Grandad walks me to school. I don't like it when it's shouting."
    )
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
