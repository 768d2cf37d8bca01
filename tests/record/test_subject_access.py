"""Subject access: asked for, authorised by another manager, produced, downloaded, audited."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.record.helpers import add_contribution, add_entry
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import ContributionKind
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.record.models import (
    RecordEntry,
    RequesterKind,
    SubjectAccessRequest,
    SubjectAccessStatus,
)
from voice_app.subject_access import export, tasks


@pytest.fixture
def case():
    practitioner = UserFactory(name="Sam Okafor")
    team = practitioner.team
    manager = UserFactory(team=team, role=Role.MANAGER, name="Priya Shah")
    child = ChildFactory(team=team, full_name="Maya Thompson", preferred_language="en")
    AssignmentFactory(child=child, user=practitioner)
    parent = FamilyMemberFactory(child=child, name="Layla Haddad", preferred_language="ar")
    FamilyMemberFactory(child=child, name="Uncle Ben", parental_responsibility=False)
    add_entry(child, practitioner, "Visited Maya at school; she was cheerful.")
    db.session.commit()
    return child, practitioner, manager, parent


def requests_of(child) -> list[SubjectAccessRequest]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(SubjectAccessRequest).where(SubjectAccessRequest.child_id == child.id)
        )
    )


def audited(action: AuditAction) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def ask(browser, child, **fields):
    data = {"requester": "child", "understanding": "y", "language": ""} | fields
    return browser.submit(f"/children/{child.id}/subject-access", data)


def test_asked_for_then_authorised_then_produced(make_client, case):
    child, practitioner, manager, _parent = case
    response = ask(make_client(practitioner.email), child)
    assert response.status_code == 302
    (request,) = requests_of(child)
    assert request.status is SubjectAccessStatus.REQUESTED
    assert request.requester_kind is RequesterKind.CHILD and request.language == "en"
    assert len(audited(AuditAction.SUBJECT_ACCESS_REQUESTED)) == 1

    boss = make_client(manager.email)
    page = boss.get(f"/children/{child.id}/subject-access").get_data(as_text=True)
    assert "Waiting for a manager to authorise it" in page and "Authorise" in page
    response = boss.submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    assert response.status_code == 302
    (request,) = requests_of(child)
    assert request.status is SubjectAccessStatus.PRODUCED, request.error
    assert request.authorised_by_id == manager.id and request.produced_at is not None
    assert len(audited(AuditAction.SUBJECT_ACCESS_AUTHORISED)) == 1
    (produced,) = audited(AuditAction.SUBJECT_ACCESS_PRODUCED)
    assert produced.details_dict["entries"] == 1
    page = boss.get(f"/children/{child.id}/subject-access").get_data(as_text=True)
    assert "Ready to download" in page


def test_whoever_asked_cannot_authorise_their_own_request(make_client, case):
    child, _practitioner, manager, _parent = case
    boss = make_client(manager.email)
    ask(boss, child)
    (request,) = requests_of(child)
    page = boss.get(f"/children/{child.id}/subject-access").get_data(as_text=True)
    assert f"/subject-access/{request.id}/authorise" not in page
    response = boss.submit(
        f"/children/{child.id}/subject-access/{request.id}/authorise", follow_redirects=True
    )
    assert "another manager must authorise it" in response.get_data(as_text=True)
    assert requests_of(child)[0].status is SubjectAccessStatus.REQUESTED
    assert audited(AuditAction.SUBJECT_ACCESS_AUTHORISED) == []

    other = UserFactory(team=manager.team, role=Role.MANAGER)
    make_client(other.email).submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    assert requests_of(child)[0].status is SubjectAccessStatus.PRODUCED


def test_a_child_asks_only_with_enough_understanding(make_client, case):
    child, practitioner, _manager, _parent = case
    response = ask(make_client(practitioner.email), child, understanding="")
    assert response.status_code == 200
    assert "Please confirm the child understands" in response.get_data(as_text=True)
    assert requests_of(child) == []


def test_a_parent_gets_their_own_language_and_others_cannot_ask(make_client, case):
    child, practitioner, _manager, parent = case
    browser = make_client(practitioner.email)
    page = browser.get(f"/children/{child.id}/subject-access").get_data(as_text=True)
    assert "Layla Haddad" in page and "Uncle Ben" not in page
    assert ask(browser, child, requester=f"parent:{parent.id}").status_code == 302
    (request,) = requests_of(child)
    assert (request.requester_kind, request.family_member_id) == (RequesterKind.PARENT, parent.id)
    assert request.language == "ar"
    uncle = child.family_members[1]
    response = ask(browser, child, requester=f"parent:{uncle.id}")
    assert response.status_code == 200 and len(requests_of(child)) == 1


def test_an_arabic_copy_has_arabic_headings_right_to_left(make_client, case, manager_of):
    child, practitioner, _manager, parent = case
    ask(make_client(practitioner.email), child, requester=f"parent:{parent.id}")
    (request,) = requests_of(child)
    html = export.render_html(export.build_export(request), request.requested_at)
    assert '<html lang="ar" dir="rtl">' in html
    assert "تاريخ الميلاد" in html and "Date of birth" not in html  # the heading, in Arabic
    assert "الرقم المرجعي" in html and "Reference" not in html
    manager_of(child).submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    pdf = make_client(practitioner.email).get(
        f"/children/{child.id}/subject-access/{request.id}/pdf"
    )
    assert any("Noto-Naskh-Arabic" in name for name in fonts_in(pdf.data))  # Arabic letters
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Layla Haddad" in text and "تاريخ الميلاد" in text


def fonts_in(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def manager_of(make_client):
    """A browser signed in as another manager of the child's team."""

    def sign_in(child):
        return make_client(UserFactory(team=child.team, role=Role.MANAGER).email)

    return sign_in


def test_downloads_are_audited_and_hold_the_record(make_client, case, manager_of):
    child, practitioner, _manager, _parent = case
    drawing = add_contribution(
        child, "my house", kind=ContributionKind.DRAWING, media=b"\x89PNG drawing"
    )
    browser = make_client(practitioner.email)
    ask(browser, child)
    (request,) = requests_of(child)
    manager_of(child).submit(f"/children/{child.id}/subject-access/{request.id}/authorise")

    pdf = browser.get(f"/children/{child.id}/subject-access/{request.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Visited Maya at school" in text and "my house" in text
    archive = browser.get(f"/children/{child.id}/subject-access/{request.id}/zip")
    assert archive.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        names = opened.namelist()
        assert "record.pdf" in names
        (media_name,) = [n for n in names if n.startswith("media/")]
        assert opened.read(media_name) == b"\x89PNG drawing"
    assert drawing.media_id is not None
    downloads = audited(AuditAction.SUBJECT_ACCESS_DOWNLOADED)
    # One entry per file downloaded; the order of rows read back is not the point here.
    assert sorted(d.details_dict["file"] for d in downloads) == ["pdf", "zip"]
    assert {d.actor_id for d in downloads} == {practitioner.id}


def test_a_request_not_yet_authorised_cannot_be_downloaded(make_client, case):
    child, practitioner, manager, _parent = case
    browser = make_client(practitioner.email)
    ask(browser, child)
    (request,) = requests_of(child)
    for kind in ("pdf", "zip"):
        for who in (browser, make_client(manager.email)):
            assert (
                who.get(f"/children/{child.id}/subject-access/{request.id}/{kind}").status_code
                == 404
            )
    assert audited(AuditAction.SUBJECT_ACCESS_DOWNLOADED) == []


def test_a_failed_export_leaves_no_files_and_can_be_tried_again(
    app, make_client, case, manager_of, monkeypatch
):
    child, practitioner, _manager, _parent = case
    ask(make_client(practitioner.email), child)
    (request,) = requests_of(child)
    boss = manager_of(child)

    def broken(html: str) -> bytes:
        raise RuntimeError("the PDF engine stopped")

    monkeypatch.setattr(export, "render_pdf", broken)
    boss.submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    (request,) = requests_of(child)
    assert request.status is SubjectAccessStatus.FAILED
    assert "the PDF engine stopped" in (request.error or "")
    media = Path(app.config["MEDIA_ROOT"])
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    monkeypatch.undo()
    boss.submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    assert requests_of(child)[0].status is SubjectAccessStatus.PRODUCED


def test_an_export_whose_job_never_ran_is_queued_again(make_client, case, manager_of, monkeypatch):
    child, practitioner, _manager, _parent = case
    ask(make_client(practitioner.email), child)
    (request,) = requests_of(child)
    # As if the queue had been down when the manager authorised it.
    monkeypatch.setattr(tasks, "produce_export", lambda request_id: None)
    manager_of(child).submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    monkeypatch.undo()
    (request,) = requests_of(child)
    assert request.status is SubjectAccessStatus.AUTHORISED
    assert tasks.waiting_exports() == []  # not yet: its job may still be on its way

    request.authorised_at = utcnow() - tasks.WAITING_TOO_LONG * 2
    db.session.commit()
    tasks.requeue_waiting_exports()
    (request,) = requests_of(child)
    assert request.status is SubjectAccessStatus.PRODUCED, request.error


def test_a_copy_shows_corrections_both_ways_and_free_text_in_its_own_direction(make_client, case):
    child, practitioner, _manager, parent = case
    (first,) = child_entries(child)
    add_entry(
        child,
        practitioner,
        "Visited Maya at school; she was quiet.",
        corrects_id=first.id,
        correction_reason="I mixed up two visits.",
    )
    add_entry(child, practitioner, "قالت الأم إن الصباح أهدأ الآن.")
    db.session.commit()
    ask(make_client(practitioner.email), child, requester=f"parent:{parent.id}", language="en")
    (request,) = requests_of(child)
    html = export.render_html(export.build_export(request), request.requested_at)
    assert "Corrected by entry 2." in html
    assert "This corrects entry 1." in html and "I mixed up two visits." in html
    assert '<p class="words" dir="rtl">قالت الأم' in html
    assert '<p class="words" dir="ltr">Visited Maya at school; she was cheerful.' in html


def child_entries(child):
    return list(
        db.session.scalars(
            select(RecordEntry).where(RecordEntry.child_id == child.id).order_by(RecordEntry.id)
        )
    )


def test_making_a_pdf_leaves_pillow_refusing_cut_off_pictures():
    from PIL import ImageFile

    export.render_pdf("<p>A copy</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # WeasyPrint's import turns it on
