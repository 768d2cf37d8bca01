"""Permission-matrix rows for reports: reading, drafting, sharing, answering, sign-off,
PDFs, and the family's report pages.

Assigned practitioners edit; managers read and sign off; interpreters and admins are
refused. Matrix Child's mother reads and answers the report shared with her; the parent
of another child gets 404 on it.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from tests.core.matrix import CASE_READERS, Row, World, family_only, only
from tests.core.matrix_plans import EDITORS_POST, SIGNERS_POST
from voice_app.children.models import Child
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.reports.meeting_models import SpokenComment
from voice_app.reports.models import Report, ReportKind, ReportSection, Stance
from voice_app.reports.services import answers, drafting, sharing, signing


def extend_world(world: World) -> None:
    """A draft report shared with Matrix Child's mother, with one comment of hers.

    Needs matrix_family's world (the mother's account) first.
    """
    practitioner = world.users["practitioner"]
    child = db.session.get_one(Child, world.child_id)
    report = drafting.start_report(
        child, ReportKind.CP_REVIEW_CONFERENCE, date(2026, 12, 10), practitioner
    )
    drafting.record_no_words_reason(report, "Matrix Child chose not to take part.")
    account = db.session.scalars(
        select(FamilyAccount).where(FamilyAccount.family_member_id == world.extra["mother"])
    ).one()
    sharing.share(report, child, [account.id], practitioner)
    comment = answers.comment(
        report, account, ReportSection.WORRIED, Stance.DISAGREE, "Matrix disagreement", "en"
    )
    # A comment she spoke, waiting for her to confirm the words.
    voice = Contribution(
        child_id=child.id,
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        author_kind=AuthorKind.FAMILY_MEMBER,
        family_member_id=account.family_member_id,
        language="en",
        sharing=SharingChoice.MY_WORKER,
        transcript=Transcript(status=TranscriptStatus.DRAFT, machine_text="Matrix spoken"),
    )
    db.session.add(voice)
    db.session.flush()
    version = drafting.latest(report)
    spoken = SpokenComment(
        report_id=report.id,
        version_id=version.id,
        section=ReportSection.WORRIED,
        stance=Stance.AGREE,
        family_member_id=account.family_member_id,
        contribution_id=voice.id,
    )
    db.session.add(spoken)
    db.session.flush()
    world.extra.update(report=report.id, report_comment=comment.id, spoken_comment=spoken.id)


def _r(w: World) -> str:
    return f"/children/{w.child_id}/reports/{w.extra['report']}"


def _f(w: World) -> str:
    return f"/family/reports/{w.extra['report']}"


def _signed_off_pdf(w: World) -> str:
    """The world's report, signed off (once) by the manager: its chronology entry's PDF."""
    report = db.session.get_one(Report, w.extra["report"])
    if drafting.draft_of(report) is not None:
        signing.sign_off(report, w.users["manager"])
        db.session.commit()
    return f"{_r(w)}/versions/{drafting.latest(report).number}/signed-off.pdf"


def _post(path: str, data: dict[str, str] | None = None) -> Row:
    return Row("POST", lambda w: f"{_r(w)}{path}", only(EDITORS_POST), lambda w: data or {})


ROWS: dict[str, list[Row]] = {
    "reports.index": [Row("GET", lambda w: f"/children/{w.child_id}/reports", only(CASE_READERS))],
    "reports.start": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/reports",
            only(EDITORS_POST),
            lambda w: {"kind": "assessment", "meeting_on": "2026-12-20"},
        )
    ],
    "reports.show": [Row("GET", _r, only(CASE_READERS))],
    "reports.as_pdf": [Row("GET", lambda w: f"{_r(w)}/pdf", only(CASE_READERS))],
    "report_editing.write_section": [_post("/sections/worried", {"body": "Matrix worry"})],
    "report_editing.add_point": [_post("/points", {"kind": "fact", "body": "Matrix fact"})],
    "report_editing.add_decision": [
        _post("/decisions", {"body": "Stay", "decided_by": "Conference", "reasons": "Safe"})
    ],
    "report_editing.choose_words": [_post("/words", {"contribution_id": "0"})],
    "report_editing.no_words": [_post("/no-words", {"reason": "Matrix reason"})],
    "report_editing.share": [_post("/share", {"accounts": "0"})],
    "report_editing.answer": [
        Row(
            "POST",
            lambda w: f"{_r(w)}/comments/{w.extra['report_comment']}/answer",
            only(EDITORS_POST),
            lambda w: {"outcome": "kept", "body": "It happened twice."},
        )
    ],
    "report_editing.new_version": [_post("/versions")],
    "report_editing.sign_off": [
        Row("POST", lambda w: f"{_r(w)}/sign-off", only(SIGNERS_POST), lambda w: {})
    ],
    "family_reports.show": [Row("GET", _f, family_only(200, 404))],
    "family_reports.as_pdf": [Row("GET", lambda w: f"{_f(w)}/pdf", family_only(200, 404))],
    "family_reports.comment": [
        Row(
            "POST",
            lambda w: f"{_f(w)}/comments",
            family_only(302, 404, method="POST"),
            lambda w: {"section": "family_views", "body": "Matrix family words"},
        )
    ],
    "reports.compare_versions": [Row("GET", lambda w: f"{_r(w)}/compare", only(CASE_READERS))],
    "family_reports.compare_versions_for_family": [
        Row("GET", lambda w: f"{_f(w)}/compare", family_only(200, 404))
    ],
    "reports.meeting": [Row("GET", lambda w: f"{_r(w)}/meeting", only(CASE_READERS))],
    "reports.record_attendance": [
        _post(
            "/meeting/attendance",
            {"family_member_id": "0", "name": "Matrix teacher", "attended": "no"},
        )
    ],
    "reports.give_report": [_post("/meeting/give", {"attendance_id": "0", "how": "posted"})],
    "reports.chronology_report_pdf": [
        Row("GET", _signed_off_pdf, only(CASE_READERS)),
    ],
    "family_reports.speak_comment": [
        Row(
            "POST",
            lambda w: f"{_f(w)}/spoken-comments",
            family_only(302, 404, method="POST"),
            lambda w: {"section": "family_views"},
        )
    ],
    "family_reports.spoken_read_back": [
        Row(
            "GET",
            lambda w: f"{_f(w)}/spoken-comments/{w.extra['spoken_comment']}",
            family_only(200, 404),
        )
    ],
    "family_reports.final_view": [
        Row(
            "POST",
            lambda w: f"{_f(w)}/final-view",
            family_only(302, 404, method="POST"),
            lambda w: {"agrees": "yes"},
        )
    ],
}
