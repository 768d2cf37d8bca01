"""Closing a case with a summary, the retention date, and destroying expired records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.record.helpers import add_contribution, add_entry, attach, decide, place
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import Invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.closure import add_years, destroy_on_for
from voice_app.children.models import CaseAssignment, Child, FamilyMember
from voice_app.children.services import find_visible_child
from voice_app.contributions.models import (
    Contribution,
    ContributionKind,
    SafetyResponse,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import (
    ConfidentialAccessGrant,
    ConfidentialPlacement,
    ConsentAnswer,
    ConsentDecision,
    RecordEntry,
    RequesterKind,
    SubjectAccessRequest,
    SubjectAccessStatus,
)

CONTENT_TABLES = (
    RecordEntry,
    ConsentDecision,
    ConfidentialPlacement,
    ConfidentialAccessGrant,
    SubjectAccessRequest,
    Contribution,
    Invitation,
    FamilyMember,
    CaseAssignment,
)


@pytest.fixture
def worker():
    return UserFactory(name="Sam Okafor")


def test_a_case_is_not_closed_without_a_summary(make_client, worker):
    child = ChildFactory(team=worker.team)
    AssignmentFactory(child=child, user=worker)
    browser = make_client(worker.email)
    for summary in ("", "   "):
        response = browser.submit(f"/children/{child.id}/close", {"summary": summary})
        assert response.status_code == 200
        assert "A case cannot be closed without a closing summary." in response.get_data(
            as_text=True
        )
    db.session.expire_all()
    assert child.closed_at is None and child.destroy_on is None
    assert (
        db.session.scalar(select(func.count()).where(AuditEntry.action == AuditAction.CASE_CLOSED))
        == 0
    )


def test_closing_sets_the_destruction_date_by_policy_and_says_so(make_client, worker):
    born = date.today() - timedelta(days=365 * 9)
    child = ChildFactory(team=worker.team, date_of_birth=born)
    AssignmentFactory(child=child, user=worker)
    link = create_invitation(child, "before my meeting", worker, timedelta(days=7))
    db.session.commit()
    browser = make_client(worker.email)
    page = browser.get(f"/children/{child.id}").get_data(as_text=True)
    assert f"/children/{child.id}/close" in page and "Closed on" not in page
    response = browser.submit(f"/children/{child.id}/close", {"summary": "Back home, safe."})
    assert response.status_code == 302
    db.session.expire_all()
    assert child.closed_by_id == worker.id and child.closing_summary == "Back home, safe."
    # A nine-year-old's record is kept until they are 25, later than six years from now.
    assert child.destroy_on == add_years(born, 25)
    page = browser.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Closed on" in page and "record to be destroyed on" in page
    assert str(child.destroy_on.year) in page
    assert f"/children/{child.id}/close" not in page
    (closed,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CASE_CLOSED)
    )
    assert closed.child_id == child.id and closed.actor_id == worker.id
    # The child's invitation ended with the case: the old link no longer opens a space.
    tablet = make_client()
    tablet.get(f"/i/{link.token}")
    assert tablet.get("/me").status_code == 401


def test_the_later_of_six_years_and_the_25th_birthday(app):
    closed = date(2026, 3, 1)
    assert destroy_on_for(date(2020, 5, 1), closed) == date(2045, 5, 1)
    assert destroy_on_for(date(2005, 5, 1), closed) == date(2032, 3, 1)
    assert destroy_on_for(date(2008, 2, 29), date(2010, 1, 1)) == date(2033, 2, 28)


def full_record(child: Child, worker, marker: str) -> list[str]:
    """Every kind of content a record holds; returns the ids of its stored files."""
    parent = FamilyMemberFactory(child=child)
    AssignmentFactory(child=child, user=worker)
    create_invitation(child, "visit", worker, timedelta(days=3))
    entry = add_entry(child, worker, f"note {marker}")
    add_entry(child, worker, f"correction {marker}", corrects_id=entry.id, correction_reason="x")
    drawing = add_contribution(
        child, f"caption {marker}", kind=ContributionKind.DRAWING, media=marker.encode()
    )
    voice = add_contribution(child, None, kind=ContributionKind.VOICE, media=b"RIFF")
    db.session.add(Transcript(contribution_id=voice.id, status=TranscriptStatus.DRAFT))
    db.session.add(
        SafetyResponse(
            contribution_id=voice.id,
            note=f"spoke with her {marker}",
            responded_by_id=worker.id,
            responded_by_label=worker.display,
        )
    )
    decision = decide(drawing, worker, ConsentAnswer.GIVEN, share_with_family=True, member=parent)
    place(child, worker, entry=attach(child, drawing, worker, decision))
    place(child, worker, contribution=voice)
    db.session.add(
        ConfidentialAccessGrant(
            child_id=child.id, user_id=worker.id, granted_by_id=worker.id, reason="review"
        )
    )
    store = media_store()
    export = SubjectAccessRequest(
        child_id=child.id,
        requester_kind=RequesterKind.PARENT,
        family_member_id=parent.id,
        language="en",
        status=SubjectAccessStatus.PRODUCED,
        requested_by_id=worker.id,
        pdf_media_id=store.put(b"%PDF"),
        zip_media_id=store.put(b"PK"),
    )
    db.session.add(export)
    db.session.commit()
    return [
        m
        for m in (
            drawing.media_id,
            drawing.thumbnail_media_id,
            voice.media_id,
            voice.thumbnail_media_id,
            export.pdf_media_id,
            export.zip_media_id,
        )
        if m
    ]


def rows_of(child_id: int) -> dict[str, int]:
    counts = {
        model.__tablename__: db.session.scalar(
            select(func.count()).select_from(model).where(model.child_id == child_id)
        )
        or 0
        for model in CONTENT_TABLES
    }
    counts["transcripts"] = (
        db.session.scalar(
            select(func.count())
            .select_from(Transcript)
            .join(Contribution)
            .where(Contribution.child_id == child_id)
        )
        or 0
    )
    counts["safety_responses"] = (
        db.session.scalar(
            select(func.count())
            .select_from(SafetyResponse)
            .join(Contribution)
            .where(Contribution.child_id == child_id)
        )
        or 0
    )
    return counts


def files_on_disk(app) -> set[str]:
    """The ids of every stored media file (in a folder or a bucket)."""
    return set(media_store().media_ids())


def test_purge_destroys_expired_records_only_and_the_audit_chain_holds(app, runner, worker):
    manager = UserFactory(team=worker.team, role=Role.MANAGER)
    doomed = ChildFactory(team=worker.team, address="1 Secret Lane", gender="girl")
    waiting = ChildFactory(team=worker.team)
    open_case = ChildFactory(team=worker.team)
    doomed_files = full_record(doomed, worker, "MkDoomed")
    kept_files = full_record(waiting, worker, "MkWaiting") + full_record(
        open_case, worker, "MkOpen"
    )
    yesterday = utcnow().date() - timedelta(days=1)
    for child, destroy_on in ((doomed, yesterday), (waiting, yesterday + timedelta(days=30))):
        child.closed_at, child.closed_by_id = utcnow() - timedelta(days=3000), manager.id
        child.closing_summary, child.destroy_on = "Closed. MkDoomed", destroy_on
    db.session.commit()
    assert files_on_disk(app) == set(doomed_files + kept_files)
    kept_rows = {c.id: rows_of(c.id) for c in (waiting, open_case)}

    dry = runner.invoke(args=["records", "purge-expired", "--dry-run"])
    assert dry.exit_code == 0 and f"Would purge {doomed.reference}" in dry.output
    assert files_on_disk(app) == set(doomed_files + kept_files)

    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert f"Purged {doomed.reference}" in result.output and "media_files 6" in result.output
    db.session.expire_all()
    assert files_on_disk(app) == set(kept_files)
    assert set(rows_of(doomed.id).values()) == {0}
    assert {c.id: rows_of(c.id) for c in (waiting, open_case)} == kept_rows
    tombstone = db.session.get_one(Child, doomed.id)
    assert tombstone.reference == doomed.reference and tombstone.team_id == worker.team_id
    assert tombstone.purged_at is not None and tombstone.address is None
    assert tombstone.gender is None and tombstone.closing_summary is None
    assert waiting.closing_summary == "Closed. MkDoomed" and waiting.purged_at is None
    (purged,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.RECORD_PURGED)
    )
    assert purged.child_id == doomed.id and "MkDoomed" not in purged.details
    assert purged.details_dict["reference"] == doomed.reference
    assert purged.details_dict["counts"]["record_entries"] == 3

    # The tombstone is for the audit trail: no case list or child page shows it.
    assert find_visible_child(doomed.id, manager) is None
    assert find_visible_child(waiting.id, manager) is not None

    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    again = runner.invoke(args=["records", "purge-expired"])
    assert again.exit_code == 0 and "Nothing to purge." in again.output
