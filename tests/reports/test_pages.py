"""Sam drafts a report with Maya's words, shares it, the family answers, Sam answers, the
manager signs off, the family records their final view; PDFs for both copies."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import UserFactory
from tests.family.helpers import sign_in
from tests.record.helpers import place
from tests.reports.helpers import child_words, marker, report_scene
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.extensions import db
from voice_app.record.models import RecordEntry
from voice_app.reports.models import ReportComment


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_whole_round(app: Flask, make_client: Any) -> None:
    scene = report_scene()
    by = scene.practitioner
    shared = child_words(scene.child, by, marker("shared"))
    meeting_only = child_words(scene.child, by, marker("meetingonly"), family=False)
    secret = child_words(scene.child, by, marker("secret"))
    place(scene.child, by, contribution=secret)
    db.session.commit()
    staff = make_client(by.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"

    page = staff.get(base).text
    assert "This report has no words from the child." in page
    assert "Save this section" in page and "Add the point" in page
    assert shared.text in page and meeting_only.text in page  # offered to choose
    assert secret.text not in page
    assert "Overdue" not in page or "Share by" in page
    for c in (shared, meeting_only):
        assert staff.submit(f"{base}/words", {"contribution_id": c.id}).status_code == 302
    staff.submit(f"{base}/sections/worried", {"body": "We worry about the nights."})
    response = staff.submit(f"{base}/share", {"accounts": [scene.account.id]})
    assert response.status_code == 302

    family = make_client()
    sign_in(family, scene.account)
    home = family.get("/family/").text
    assert "Reports shared with you" in home
    seen = family.get(f"/family/reports/{scene.report.id}").text
    assert "We worry about the nights." in seen
    assert "I partly agree" in seen and "section: write it in your own words" in seen
    assert shared.text in seen
    assert meeting_only.text not in seen and secret.text not in seen
    words = "Nie zgadzam się: it was one night only."
    response = family.submit(
        f"/family/reports/{scene.report.id}/comments",
        {"section": "worried", "stance": "disagree", "body": words},
    )
    assert response.status_code == 302
    family.submit(
        f"/family/reports/{scene.report.id}/comments",
        {"section": "family_views", "body": "We love Maya and we are trying."},
    )
    other = make_client()
    sign_in(other, scene.other_account)
    assert other.get(f"/family/reports/{scene.report.id}").status_code == 404

    comment = db.session.scalars(
        select(ReportComment).where(ReportComment.section == "worried")
    ).one()
    page = staff.get(base).text
    assert words in page
    staff.submit(
        f"{base}/comments/{comment.id}/answer",
        {"outcome": "changed", "body": "We worried about one night in October."},
    )
    seen = family.get(f"/family/reports/{scene.report.id}").text
    assert "We worried about one night in October." in seen and words in seen

    manager = make_client(scene.manager.email)
    assert staff.submit(f"{base}/sign-off").status_code == 403
    assert manager.submit(f"{base}/sign-off").status_code == 302
    entry = db.session.scalars(
        select(RecordEntry).where(RecordEntry.child_id == scene.child.id)
    ).all()
    assert any("Report signed off" in e.body for e in entry)
    disagree = "Zgadzam się tylko częściowo: the nights are better now."
    family.submit(
        f"/family/reports/{scene.report.id}/final-view", {"agrees": "no", "body": disagree}
    )

    pages = PdfReader(io.BytesIO(staff.get(f"{base}/pdf").data)).pages
    assert all("Version 1" in page.extract_text() for page in pages)
    meeting_pdf = pdf_text(staff.get(f"{base}/pdf").data)
    assert meeting_only.text in meeting_pdf and shared.text in meeting_pdf
    assert "Version 1" in meeting_pdf and "Page 1" in meeting_pdf
    assert "the nights are better now." in meeting_pdf.replace("\n", " ")
    assert secret.text not in meeting_pdf
    family_pdf = family.get(f"/family/reports/{scene.report.id}/pdf")
    text = pdf_text(family_pdf.data)
    assert shared.text in text
    assert meeting_only.text not in text and secret.text not in text
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {
        AuditAction.FAMILY_REPORT_VIEWED,
        AuditAction.FAMILY_REPORT_COMMENTED,
        AuditAction.REPORT_SIGNED_OFF,
        AuditAction.FAMILY_REPORT_FINAL_VIEW,
        AuditAction.REPORT_PDF_MADE,
    } <= actions


def test_the_report_page_shows_the_deadline_and_overdue_shares(
    app: Flask, make_client: Any
) -> None:
    scene = report_scene()
    staff = make_client(scene.practitioner.email)
    child_page = staff.get(f"/children/{scene.child.id}").text
    assert f"/children/{scene.child.id}/reports" in child_page
    page = staff.get(f"/children/{scene.child.id}/reports/{scene.report.id}").text
    # The meeting is in December 2026; the tests run before the deadline passes.
    assert "Share by 4 December 2026." in page
    listing = staff.get(f"/children/{scene.child.id}/reports").text
    assert "Report for an initial child protection conference" in listing
    other = make_client(UserFactory().email)
    assert other.get(f"/children/{scene.child.id}/reports/{scene.report.id}").status_code == 404


def test_the_family_pdf_is_right_to_left_in_arabic(
    app: Flask, make_client: Any, monkeypatch: Any
) -> None:
    from voice_app.reports import pdf

    scene = report_scene()
    scene.account.locale = "ar"
    db.session.commit()
    with app.test_request_context():
        from voice_app.reports.services import drafting, sharing

        drafting.record_no_words_reason(scene.report, "She chose not to this time.")
        sharing.share(scene.report, scene.child, [scene.account.id], scene.practitioner)
    db.session.commit()
    seen: list[str] = []
    real = pdf.render_pdf

    def keep(html: str, pictures: Any) -> bytes:
        seen.append(html)
        return real(html, pictures)

    monkeypatch.setattr(pdf, "render_pdf", keep)
    phone = make_client()
    sign_in(phone, scene.account)
    response = phone.get(f"/family/reports/{scene.report.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert 'dir="rtl"' in seen[0] and 'lang="ar"' in seen[0]


def test_a_chosen_drawing_is_a_picture_in_the_pdf(app: Flask, make_client: Any) -> None:
    from tests.core.matrix import png_bytes
    from voice_app.contributions.models import ContributionKind
    from voice_app.reports.services import voices

    scene = report_scene()
    drawing = child_words(
        scene.child, scene.practitioner, None, kind=ContributionKind.DRAWING, media=png_bytes()
    )
    voices.choose_words(scene.report, drawing.id, "My house with Grandad")
    db.session.commit()
    staff = make_client(scene.practitioner.email)
    data = staff.get(f"/children/{scene.child.id}/reports/{scene.report.id}/pdf").data
    reader = PdfReader(io.BytesIO(data))
    # WeasyPrint lists a document's pictures in every page's resources: count them once.
    assert len({image.name for page in reader.pages for image in page.images}) == 1
    assert "My house with Grandad" in pdf_text(data)
