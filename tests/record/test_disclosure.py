"""The disclosure owner's answers, reader by reader, and the older names built on it."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.record.helpers import add_contribution, add_entry, attach, decide, place
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record import visibility
from voice_app.record.confidential import services as confidential
from voice_app.record.disclosure import Reader, confidential_scope, disclosure_for
from voice_app.record.models import ConsentAnswer


def _case():
    worker = UserFactory()
    manager = UserFactory(team=worker.team, role=Role.MANAGER)
    child = ChildFactory(team=worker.team)
    AssignmentFactory(child=child, user=worker)
    db.session.commit()
    return worker, manager, child


def test_a_placed_correction_takes_the_entry_it_corrects_with_it(app):
    worker, _manager, child = _case()
    first = add_entry(child, worker, "open")
    original = add_entry(child, worker, "what the school said")
    correction = add_entry(
        child, worker, "what the school said, put right", corrects_id=original.id
    )
    again = add_entry(child, worker, "and once more", corrects_id=correction.id)
    place(child, worker, entry=correction)
    scope = confidential_scope(child.id)
    assert scope.entry_ids == {original.id, correction.id, again.id}
    assert not scope.entry_is_confidential(first.id)
    seen = disclosure_for(worker, child.id)
    assert [e.id for e in seen.entries()] == [first.id]
    assert seen.number(first) == 1 and seen.entry_by_number(2) is None


def test_the_contribution_behind_a_placed_entry_follows_it_everywhere(app):
    worker, _manager, child = _case()
    words = add_contribution(child, "only for my worker")
    entry = attach(
        child, words, worker, decide(words, worker, ConsentAnswer.GIVEN, share_with_family=True)
    )
    shared = add_contribution(child, "football")
    attach(
        child, shared, worker, decide(shared, worker, ConsentAnswer.GIVEN, share_with_family=True)
    )
    assert set(
        db.session.scalars(
            visibility.contribution_ids_shared_with(child.id, visibility.Audience.FAMILY)
        )
    ) == {words.id, shared.id}
    place(child, worker, entry=entry)  # placed through its entry, not as a contribution
    assert set(db.session.scalars(visibility.confidential_contribution_ids(child.id))) == {words.id}
    assert set(
        db.session.scalars(
            visibility.contribution_ids_shared_with(child.id, visibility.Audience.FAMILY)
        )
    ) == {shared.id}
    for reader in (Reader.child(), Reader.family(), Reader.subject_access(for_child=False)):
        seen = disclosure_for(reader, child.id)
        assert not seen.may_see_contribution(words), reader
        assert seen.may_see_contribution(shared), reader
    family = disclosure_for(Reader.family(), child.id)
    (visible,) = family.entries()
    assert visible.contribution_id == shared.id and family.number(visible) == 1


def test_the_family_sees_only_what_consent_shares_with_them(app):
    worker, _manager, child = _case()
    kept = add_contribution(child, "not for mum")
    attach(child, kept, worker, decide(kept, worker, ConsentAnswer.REFUSED))
    note = add_entry(child, worker, "a case note")
    family = disclosure_for(Reader.family(), child.id)
    assert not family.may_see_contribution(kept)
    assert family.entries() == [] and not family.may_see_entry(note)
    assert disclosure_for(worker, child.id).may_see_contribution(kept)


def test_a_grant_shows_the_true_sequence_and_every_confidential_read_is_audited(app):
    worker, manager, child = _case()
    add_entry(child, worker, "one")
    secret = add_entry(child, worker, "two")
    last = add_entry(child, worker, "three")
    place(child, worker, entry=secret)
    without = disclosure_for(worker, child.id)
    assert without.number(last) == 2 and without.entry_placement(last) is None
    confidential.grant_access(child.id, worker, "Lead worker", manager)
    db.session.commit()
    granted = disclosure_for(worker, child.id)
    assert granted.number(last) == 3 and granted.number(secret) == 2
    assert granted.entry_placement(secret) is not None
    granted.record_confidential_read("test", 0)
    granted.record_confidential_read("test", 1)
    viewed = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == AuditAction.CONFIDENTIAL_VIEWED)
    )
    assert viewed == 1
