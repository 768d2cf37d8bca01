"""After the meeting: who attended, and the final report given to invited people who did
not attend, a family member in their own space, filtered for them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.family.helpers import sign_in
from tests.record.helpers import add_entry, place
from tests.reports.helpers import child_words, marker, report_scene
from tests.reports.test_pages import pdf_text
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.extensions import db
from voice_app.reports.meeting_models import MeetingAttendance, ReportGiving
from voice_app.reports.models import AnalysisPoint
from voice_app.reports.services import drafting


def _attendee(name: str) -> MeetingAttendance:
    rows = db.session.scalars(select(MeetingAttendance).where(MeetingAttendance.name == name))
    return list(rows)[-1]


def test_the_final_report_given_to_those_who_did_not_attend(app: Flask, make_client: Any) -> None:
    scene = report_scene()
    by = scene.practitioner
    secret = marker("confidential")
    entry = add_entry(scene.child, by, f"Disclosure {secret}")
    place(scene.child, by, entry=entry)
    shared = child_words(scene.child, by, marker("shared"))
    meeting_only = child_words(scene.child, by, marker("meetingonly"), family=False)
    db.session.commit()
    staff = make_client(by.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    for c in (shared, meeting_only):
        staff.submit(f"{base}/words", {"contribution_id": c.id})
    staff.submit(f"{base}/sections/worried", {"body": "We worry about the nights."})
    staff.submit(f"{base}/share", {"accounts": [scene.account.id]})
    version = drafting.draft_of(scene.report)
    assert version is not None
    db.session.add(
        AnalysisPoint(
            version_id=version.id, kind="judgement", body=f"Rests {secret}", entry_ids=str(entry.id)
        )
    )
    db.session.commit()
    meeting = f"{base}/meeting"
    assert "After the meeting" in staff.get(base).text
    assert "after a manager signs it off" in staff.get(meeting).text

    mother = scene.account.family_member
    father = scene.other_account.family_member
    for data in (
        {"family_member_id": mother.id, "attended": "yes"},
        {"family_member_id": father.id, "attended": "no"},
        {"family_member_id": 0, "name": "Ms Patel", "role": "class teacher", "attended": "no"},
    ):
        assert staff.submit(f"{meeting}/attendance", data).status_code == 302
    assert staff.submit(f"{meeting}/attendance", {"family_member_id": 0, "attended": "no"})
    assert db.session.scalars(select(MeetingAttendance)).all().__len__() == 3  # no name: refused

    # Not signed off yet: nothing is given.
    staff.submit(f"{meeting}/give", {"attendance_id": _attendee(father.name).id})
    assert db.session.scalars(select(ReportGiving)).all() == []
    manager = make_client(scene.manager.email)
    assert manager.submit(f"{base}/sign-off").status_code == 302

    father_phone = make_client()
    sign_in(father_phone, scene.other_account)
    assert father_phone.get(f"/family/reports/{scene.report.id}").status_code == 404

    # The mother attended: she is not given it here.
    staff.submit(f"{meeting}/give", {"attendance_id": _attendee(mother.name).id})
    staff.submit(f"{meeting}/give", {"attendance_id": _attendee(father.name).id})
    teacher = _attendee("Ms Patel").id
    staff.submit(f"{meeting}/give", {"attendance_id": teacher})  # how is missing: refused
    staff.submit(f"{meeting}/give", {"attendance_id": teacher, "how": "Posted to school"})
    givings = db.session.scalars(select(ReportGiving).order_by(ReportGiving.id)).all()
    assert [(g.family_account_id, g.how) for g in givings] == [
        (scene.other_account.id, "In their family space"),
        (None, "Posted to school"),
    ]
    assert givings[1].recipient == "Ms Patel (class teacher)"
    page = staff.get(meeting).text
    assert "Posted to school" in page and "invited, did not attend" in page

    home = father_phone.get("/family/").text
    assert f"/family/reports/{scene.report.id}" in home
    seen = father_phone.get(f"/family/reports/{scene.report.id}")
    assert seen.status_code == 200
    assert "We worry about the nights." in seen.text and shared.text in seen.text
    assert "Final report, version 1" in seen.text
    pdf = pdf_text(father_phone.get(f"/family/reports/{scene.report.id}/pdf").data)
    for body in (seen.text, home, pdf):
        assert secret not in body and meeting_only.text not in body
    assert shared.text in pdf
    # Given the final report, he says whether he agrees; he was never asked about a draft.
    father_phone.submit(
        f"/family/reports/{scene.report.id}/comments",
        {"section": "worried", "stance": "agree", "body": "ok"},
    )
    response = father_phone.submit(
        f"/family/reports/{scene.report.id}/final-view", {"agrees": "no", "body": "Not so."}
    )
    assert response.status_code == 302
    assert "Not so." in staff.get(base).text
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {
        AuditAction.REPORT_ATTENDANCE_RECORDED,
        AuditAction.REPORT_GIVEN,
        AuditAction.FAMILY_REPORT_VIEWED,
        AuditAction.FAMILY_REPORT_FINAL_VIEW,
    } <= actions
    assert not db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.FAMILY_REPORT_COMMENTED)
    ).all()
