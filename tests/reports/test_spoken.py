"""A family member speaks their comment on a report: the same recording and Whisper path
as their other spoken words, read back to confirm, kept verbatim and attributed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import speak
from tests.family.helpers import sign_in
from tests.reports.helpers import report_scene
from voice_app.contributions.models import AuthorKind, Contribution, TranscriptStatus
from voice_app.extensions import db
from voice_app.reports.meeting_models import SpokenComment
from voice_app.reports.models import ReportComment, Stance

SPOKEN = "It was only one night. Maya likes her new school and she sleeps well."


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("spoken") / "mum.wav").read_bytes()


def test_a_spoken_comment_counts_only_once_confirmed(
    app: Flask, make_client: Any, clip: bytes
) -> None:
    scene = report_scene()
    staff = make_client(scene.practitioner.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    staff.submit(f"{base}/sections/worried", {"body": "We worry about the nights."})
    staff.submit(f"{base}/no-words", {"reason": "Not this time."})
    staff.submit(f"{base}/share", {"accounts": [scene.account.id]})
    phone = make_client()
    sign_in(phone, scene.account)
    page = f"/family/reports/{scene.report.id}"
    assert "Send my recording" in phone.get(page).text

    # No stance for a section they answer: refused, and nothing is kept.
    phone.submit(
        f"{page}/spoken-comments",
        {"section": "worried", "media": (io.BytesIO(clip), "mum.wav")},
        content_type="multipart/form-data",
    )
    phone.submit(
        f"{page}/spoken-comments",
        {"section": "worried", "stance": "disagree", "media": (io.BytesIO(b"noise"), "x.wav")},
        content_type="multipart/form-data",
    )
    assert db.session.scalars(select(SpokenComment)).all() == []
    assert db.session.scalars(select(Contribution)).all() == []

    sent = phone.submit(
        f"{page}/spoken-comments",
        {"section": "worried", "stance": "disagree", "media": (io.BytesIO(clip), "mum.wav")},
        content_type="multipart/form-data",
    )
    row = db.session.scalars(select(SpokenComment)).one()
    read_back = f"{page}/spoken-comments/{row.id}"
    assert sent.status_code == 302 and sent.headers["Location"] == read_back
    assert db.session.scalars(select(ReportComment)).all() == []  # not yet confirmed
    contribution = db.session.get_one(Contribution, row.contribution_id)
    assert contribution.author_kind is AuthorKind.FAMILY_MEMBER
    assert contribution.family_member_id == scene.account.family_member_id

    # From the list of what they gave, "Check what you said" leads to this read-back.
    assert f'href="{read_back}"' in phone.get("/family/").text
    # The test app runs the Whisper job at once, as a worker would in the background.
    shown = phone.get(read_back).text
    assert "Is this what you said?" in shown and "school" in shown.lower()
    assert "Nothing is sent until you confirm." in shown
    assert db.session.scalars(select(ReportComment)).all() == []
    mine = "It was only one night. Maya likes her new school and sleeps well."
    assert phone.submit(read_back, {"text": mine}).status_code == 302

    comment = db.session.scalars(select(ReportComment)).one()
    assert comment.body == mine and comment.stance is Stance.DISAGREE
    assert comment.author_label.startswith(scene.account.family_member.name)
    db.session.refresh(row)
    db.session.refresh(contribution.transcript)
    assert row.comment_id == comment.id
    assert contribution.transcript.status is TranscriptStatus.CONFIRMED
    assert contribution.transcript.confirmed_text == mine
    assert "school" in (contribution.transcript.machine_text or "").lower()
    # Confirming again adds nothing: their words stay as they were sent.
    phone.submit(read_back, {"text": "something else"})
    assert [c.body for c in db.session.scalars(select(ReportComment))] == [mine]
    # Coming back to the read-back shows the words as confirmed, with nothing to send.
    confirmed = phone.get(read_back).text
    assert "You have confirmed these words." in confirmed and mine in confirmed
    assert "Yes, these are my words" not in confirmed

    family_page = phone.get(page).text
    assert mine in family_page and "Spoken, heard back and confirmed" in family_page
    assert phone.get(f"/family/media/{contribution.id}/original").data == clip
    staff_page = staff.get(base).text
    assert mine in staff_page and "Listen to the recording" in staff_page
    heard = staff.get(f"/children/{scene.child.id}/contributions/{contribution.id}/media/original")
    assert heard.status_code == 200 and heard.data == clip

    father = make_client()
    sign_in(father, scene.other_account)
    assert father.get(read_back).status_code == 404
    assert (
        father.submit(
            f"{page}/spoken-comments",
            {"section": "family_views", "media": (io.BytesIO(clip), "dad.wav")},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
