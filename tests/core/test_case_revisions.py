"""The case revision: a new token for a child whenever a flush writes anything of their case,
and for no one else; kept pages are keyed by it (``core.case_revisions``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import ChildFactory, TranscriptFactory, UserFactory
from tests.plans.helpers import plan_scene, words
from tests.record.helpers import add_contribution
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import ContributionKind
from voice_app.core import case_revisions
from voice_app.core.db import Base
from voice_app.extensions import db
from voice_app.plans.models import Outcome, OwnerKind, PlacedWords, Section
from voice_app.plans.services import drafting

pytestmark = pytest.mark.usefixtures("app")


def _revision(child_id: int) -> str | None:
    db.session.commit()
    return case_revisions.current(db.session, child_id)


def test_every_mapped_table_leads_to_a_child_or_is_named_as_no_case_data() -> None:
    without = sorted(
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if not case_revisions.routes(mapper.class_)
        and mapper.class_.__name__ not in case_revisions.NOT_CASE_DATA
    )
    # A new table belongs to a child's case through a foreign key, or is added to
    # NOT_CASE_DATA with the reason it is no one's case.
    assert without == []


def test_a_write_anywhere_in_the_case_revises_only_that_childs_case() -> None:
    scene = plan_scene()
    other = ChildFactory(team=scene.child.team)
    db.session.commit()
    child_id, other_id = scene.child.id, other.id
    seen = {_revision(child_id)}
    other_before = _revision(other_id)
    assert None not in seen and other_before is not None

    def changed() -> bool:
        now = _revision(child_id)
        fresh = now not in seen
        seen.add(now)
        return fresh

    # Rows that name the child, and rows that reach it only through other rows.
    contribution = words(scene.child, scene.practitioner, "I like the park")
    assert changed()
    action = drafting.save_action(
        scene.plan,
        drafting.ActionDraft("Visit Grandad", OwnerKind.STAFF, "Sam", Outcome.STAY_SAFE),
    )
    assert changed()
    action.what = "Visit Grandad every Saturday"  # a change in place, two tables away
    assert changed()
    drafting.place_words(scene.plan, contribution, Section.STRENGTH, scene.practitioner)
    assert changed()
    placed = db.session.scalars(select(PlacedWords)).one()
    db.session.delete(placed)  # a row deleted
    assert changed()
    voice = add_contribution(scene.child, None, kind=ContributionKind.VOICE)
    assert changed()
    transcript = TranscriptFactory(contribution=voice)
    assert changed()
    transcript.confirmed_text = "What I really said"  # a correction, through its contribution
    assert changed()
    # Reading writes an audit entry: that is no change to the case.
    audit.record(AuditAction.PLAN_VIEWED, child_id=child_id, target="plan", details={})
    assert not changed()
    # Nothing at all written: nothing revised.
    UserFactory(team=scene.child.team)
    assert not changed()
    assert _revision(other_id) == other_before


def test_the_case_is_revised_at_commit_and_not_by_a_write_rolled_back() -> None:
    child = ChildFactory()
    db.session.commit()
    before = _revision(child.id)
    child.full_name = "Changed"
    db.session.flush()
    # Not at the flush: the child's row is locked only from the commit on.
    assert case_revisions.current(db.session, child.id) == before
    db.session.rollback()
    assert _revision(child.id) == before
    child.full_name = "Changed again"
    db.session.commit()
    assert _revision(child.id) != before
