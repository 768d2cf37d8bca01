"""The signed-off report goes into the chronology with its PDF, sealed in the media store,
and each reader gets only a copy holding nothing withheld from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.record.helpers import add_entry, place
from tests.reports.helpers import child_words, consent, marker, report_scene
from tests.reports.test_pages import pdf_text
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import ConfidentialAccessGrant
from voice_app.record.retention import media_ids_of
from voice_app.reports.meeting_models import SignedOffPdf
from voice_app.reports.models import AnalysisPoint
from voice_app.reports.services import drafting


def _copies() -> list[str]:
    rows = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == AuditAction.REPORT_CHRONOLOGY_PDF_READ)
        .order_by(AuditEntry.id)
    )
    return [json.loads(str(row.details))["copy"] for row in rows]


def test_signed_off_pdf_on_the_chronology_entry(app: Flask, make_client: Any) -> None:
    scene = report_scene()
    by = scene.practitioner
    secret = marker("confidential")
    entry = add_entry(scene.child, by, f"Disclosure {secret}")
    place(scene.child, by, entry=entry)
    db.session.add(
        ConfidentialAccessGrant(
            child_id=scene.child.id,
            user_id=scene.manager.id,
            granted_by_id=scene.manager.id,
            reason="Signs off the report",
        )
    )
    said = child_words(scene.child, by, marker("said"))
    db.session.commit()
    staff = make_client(by.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    staff.submit(f"{base}/sections/worried", {"body": "We worry about the nights."})
    staff.submit(f"{base}/words", {"contribution_id": said.id})
    version = drafting.draft_of(scene.report)
    assert version is not None
    # Written by someone with a grant: the analysis rests on the confidential entry.
    db.session.add(
        AnalysisPoint(
            version_id=version.id, kind="judgement", body=f"Rests {secret}", entry_ids=str(entry.id)
        )
    )
    db.session.commit()
    manager = make_client(scene.manager.email)
    assert manager.submit(f"{base}/sign-off").status_code == 302

    stored = db.session.scalars(select(SignedOffPdf)).one()
    db.session.refresh(version)
    assert stored.record_entry_id == version.record_entry_id
    sealed = Path(media_store().path_for(stored.pdf_media_id)).read_bytes()
    assert not sealed.startswith(b"%PDF") and secret.encode() not in sealed
    assert secret in pdf_text(media_store().get(stored.pdf_media_id))  # the manager's copy
    assert stored.pdf_media_id in media_ids_of(scene.child.id)  # destroyed with the record

    chronology = staff.get(f"/children/{scene.child.id}/record").text
    link = f"{base}/versions/1/signed-off.pdf"
    assert "The signed-off report (PDF)" in chronology and link in chronology

    # The practitioner holds no grant: a copy is made for them, without the point.
    mine = staff.get(link)
    assert mine.status_code == 200 and mine.mimetype == "application/pdf"
    assert "attachment" in mine.headers["Content-Disposition"]
    text = pdf_text(mine.data)
    assert "We worry about the nights." in text and said.text in text
    assert secret not in text and secret.encode() not in mine.data
    # The manager may see everything in it: the stored copy itself.
    assert secret in pdf_text(manager.get(link).data)
    assert _copies() == ["made_for_reader", "stored"]

    # Consent for the meeting withdrawn after sign-off: nobody gets those words any more.
    consent(said, by, family=False, meeting=False)
    again = pdf_text(manager.get(link).data)
    assert said.text not in again and secret in again
    assert _copies()[-1] == "made_for_reader"

    stranger = make_client()
    assert stranger.get(link).status_code == 302  # not signed in as staff
    assert staff.get(f"{base}/versions/2/signed-off.pdf").status_code == 404


def test_a_reader_who_may_not_see_the_entry_gets_404(app: Flask, make_client: Any) -> None:
    from tests.factories import UserFactory

    scene = report_scene()
    staff = make_client(scene.practitioner.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    staff.submit(f"{base}/no-words", {"reason": "Not this time."})
    manager = make_client(scene.manager.email)
    assert manager.submit(f"{base}/sign-off").status_code == 302
    link = f"{base}/versions/1/signed-off.pdf"
    assert staff.get(link).status_code == 200
    # The entry itself put in the confidential section: only readers with a grant.
    version = drafting.latest(scene.report)
    from voice_app.record.models import RecordEntry

    entry = db.session.get_one(RecordEntry, version.record_entry_id)
    place(scene.child, scene.practitioner, entry=entry)
    db.session.commit()
    assert staff.get(link).status_code == 404
    assert "The signed-off report (PDF)" not in staff.get(f"/children/{scene.child.id}/record").text
    outsider = make_client(UserFactory().email)
    assert outsider.get(link).status_code == 404


def test_entry_numbers_in_the_stored_copy_never_show_a_gap(app: Flask, make_client: Any) -> None:
    """The manager (with a grant) numbers entries by their true sequence; the practitioner
    counts only what they see. A point on an open entry prints a different number for each,
    so the practitioner is never given the manager's copy, whose number would show a gap."""
    scene = report_scene()
    by = scene.practitioner
    hidden = add_entry(scene.child, by, f"Disclosure {marker('hidden')}")
    place(scene.child, by, entry=hidden)
    open_entry = add_entry(scene.child, by, "Home visit: the kitchen was warm.")
    db.session.add(
        ConfidentialAccessGrant(
            child_id=scene.child.id,
            user_id=scene.manager.id,
            granted_by_id=scene.manager.id,
            reason="Signs off the report",
        )
    )
    db.session.commit()
    staff = make_client(by.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    staff.submit(f"{base}/no-words", {"reason": "Not this time."})
    # The practitioner knows the open entry as their entry 1.
    staff.submit(
        f"{base}/points", {"kind": "fact", "body": "The kitchen was warm.", "entries": "1"}
    )
    point = db.session.scalars(select(AnalysisPoint)).one()
    assert point.entry_ids == str(open_entry.id)
    manager = make_client(scene.manager.email)
    assert manager.submit(f"{base}/sign-off").status_code == 302
    stored = db.session.scalars(select(SignedOffPdf)).one()
    assert stored.point_ids == f"{point.id}:{open_entry.sequence}"
    link = f"{base}/versions/1/signed-off.pdf"
    mine = pdf_text(staff.get(link).data)
    assert "record entries 1" in mine and f"record entries {open_entry.sequence}" not in mine
    theirs = pdf_text(manager.get(link).data)
    assert f"record entries {open_entry.sequence}" in theirs
    assert _copies() == ["made_for_reader", "stored"]
