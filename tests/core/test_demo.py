"""`flask demo`: what a new user sees after `make run`."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.family.helpers import sign_in
from voice_app.audit.models import AuditEntry
from voice_app.children.models import Child, FamilyMember, Relationship
from voice_app.contributions.models import Contribution, ContributionKind, TranscriptStatus
from voice_app.core.demo_meeting import CLAIRE_SAYS, DEMO_FATHER_SIGN_IN
from voice_app.extensions import db
from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN
from voice_app.family.models import FamilyAccount
from voice_app.record.disclosure import Reader, disclosure_for
from voice_app.record.models import EntryKind, RecordEntry
from voice_app.reports.meeting_models import ReportGiving, SpokenComment
from voice_app.reports.models import Report, ReportAnswer, ReportComment, ReportKind
from voice_app.reports.services import distribution

PANCAKES = "Me and Mum making pancakes on Saturday"


def _seeded(runner):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def _maya() -> Child:
    return db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()


def _member(maya: Child, name: str) -> FamilyMember:
    return next(m for m in maya.family_members if m.name == name)


def test_demo_seeds_once_and_maya_has_a_chronology_with_her_own_words(runner):
    result = _seeded(runner)
    assert "Demo seeded." in result.output and "practitioner@demo.example" in result.output
    assert DEMO_FATHER_SIGN_IN in result.output
    counts = {
        table: db.session.scalar(select(func.count()).select_from(table))
        for table in (Contribution, RecordEntry, Report, AuditEntry)
    }
    again = runner.invoke(args=["demo"])
    assert "The demo is already seeded." in again.output
    for table, count in counts.items():
        assert db.session.scalar(select(func.count()).select_from(table)) == count, table

    maya = _maya()
    entries = db.session.scalars(
        select(RecordEntry).where(RecordEntry.child_id == maya.id).order_by(RecordEntry.sequence)
    ).all()
    # Then the decisions of the two reviews of her plan (voice_app.plans.demo), her drawing
    # for her mum, and the first conference's report signed off (voice_app.core.demo_meeting).
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [e.kind for e in entries[5:]] == [
        EntryKind.DECISION,
        EntryKind.DECISION,
        EntryKind.CONTRIBUTION,
        EntryKind.DECISION,
    ]
    assert entries[1].is_late and entries[3].corrects_id == entries[0].id
    words, drawing = [e for e in entries if e.kind is EntryKind.CONTRIBUTION]
    assert words.contribution_words == (
        "I like it when Grandad walks me to school. I don't like it when it's shouting."
    )
    assert drawing.contribution_words == PANCAKES
    assert "Report signed off" in entries[8].body
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_maya_chose_her_mum_for_one_drawing_and_her_dad_cannot_see_it(runner, make_client):
    _seeded(runner)
    maya = _maya()
    claire, mark = _member(maya, "Claire Thompson"), _member(maya, "Mark Thompson")
    assert mark.relationship_to_child is Relationship.FATHER and mark.parental_responsibility
    drawing = db.session.scalars(select(Contribution).where(Contribution.text == PANCAKES)).one()
    assert drawing.kind is ContributionKind.DRAWING and drawing.media_id
    assert drawing.shared_with_member_id == claire.id  # Maya's own choice: "Mum too"
    assert disclosure_for(Reader.family(claire.id), maya.id).may_see_contribution(drawing)
    assert not disclosure_for(Reader.family(mark.id), maya.id).may_see_contribution(drawing)

    accounts = {
        a.sign_in_name: a
        for a in db.session.scalars(select(FamilyAccount).where(FamilyAccount.child_id == maya.id))
    }
    for name, sees in ((DEMO_FAMILY_SIGN_IN, True), (DEMO_FATHER_SIGN_IN, False)):
        phone = make_client()
        sign_in(phone, accounts[name], DEMO_FAMILY_PASSPHRASE)
        home = phone.get("/family/").get_data(as_text=True)
        assert (PANCAKES in home) is sees, name
        picture = phone.get(f"/family/media/{drawing.id}/original")
        assert picture.status_code == (200 if sees else 404), name


def test_the_first_conference_was_held_signed_off_and_given_to_dad_who_was_not_there(
    runner, make_client
):
    _seeded(runner)
    maya = _maya()
    claire, mark = _member(maya, "Claire Thompson"), _member(maya, "Mark Thompson")
    first = db.session.scalars(
        select(Report).where(
            Report.child_id == maya.id, Report.kind == ReportKind.CP_INITIAL_CONFERENCE
        )
    ).one()
    review = db.session.scalars(
        select(Report).where(
            Report.child_id == maya.id, Report.kind == ReportKind.CP_REVIEW_CONFERENCE
        )
    ).one()
    assert first.id < review.id  # the review's draft stays the newest report on every list
    final = distribution.final_version(first)
    assert final is not None and final.signed_off_by_label
    present = {(row.name, row.attended) for row in distribution.attendance(first)}
    assert present == {
        ("Claire Thompson", True),
        ("Mark Thompson", False),
        ("Mrs Patel", True),
    }
    (given,) = db.session.scalars(select(ReportGiving).where(ReportGiving.report_id == first.id))
    mark_account = db.session.scalars(
        select(FamilyAccount).where(FamilyAccount.family_member_id == mark.id)
    ).one()
    assert given.family_account_id == mark_account.id and given.version_id == final.id

    # Claire spoke her comment: Whisper's draft is kept, her read-back words are the comment.
    (spoken,) = db.session.scalars(select(SpokenComment).where(SpokenComment.report_id == first.id))
    assert spoken.family_member_id == claire.id and spoken.comment_id is not None
    comment = db.session.get(ReportComment, spoken.comment_id)
    assert comment is not None and comment.body == CLAIRE_SAYS
    recording = db.session.get(Contribution, spoken.contribution_id)
    assert recording is not None and recording.kind is ContributionKind.VOICE
    assert recording.media_content_type and recording.media_content_type.startswith("audio/")
    transcript = recording.transcript
    assert transcript is not None and transcript.status is TranscriptStatus.CONFIRMED
    assert transcript.model_name and transcript.machine_text
    # Whisper really heard the clip (its exact words differ a little from machine to machine).
    heard = transcript.machine_text.lower()
    assert any(word in heard for word in ("shout", "night", "better", "summer")), heard
    assert transcript.confirmed_text == CLAIRE_SAYS
    assert db.session.scalars(
        select(ReportAnswer).where(ReportAnswer.comment_id == comment.id)
    ).first()

    # Mark reads the final report in his space; the drawing for Claire is not in it.
    phone = make_client()
    sign_in(phone, mark_account, DEMO_FAMILY_PASSPHRASE)
    home = phone.get("/family/").get_data(as_text=True)
    assert f"/family/reports/{first.id}" in home
    page = phone.get(f"/family/reports/{first.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Maya goes to school every day and loves drawing." in text
    assert PANCAKES not in text
