"""A family member's own words: spoken (transcribed by Whisper, read back, confirmed) and
drawn, stored through the contributions area and served only through the family's view."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import speak
from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.family.helpers import family_account, sign_in, signed_out
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    TranscriptStatus,
)
from voice_app.extensions import db

SPOKEN = "We moved house in the summer. Maya sleeps better now and she likes her new school."


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("family") / "mum.wav").read_bytes()


@pytest.fixture
def phone(make_client):
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team, preferred_name="Maya")
    AssignmentFactory(child=child, user=practitioner)
    mother = FamilyMemberFactory(child=child, name="Claire Thompson")
    account = family_account(mother, practitioner, "claire")
    browser = make_client()
    sign_in(browser, account)
    return browser, practitioner, child


def test_a_spoken_view_is_transcribed_read_back_and_confirmed(make_client, phone, clip):
    browser, practitioner, child = phone
    sent = browser.submit(
        "/family/contributions",
        {"kind": "voice", "sharing": "my_worker", "media": (io.BytesIO(clip), "mum.wav")},
        content_type="multipart/form-data",
    )
    contribution = db.session.scalar(select(Contribution))
    assert sent.headers["Location"] == f"/family/contributions/{contribution.id}/read-back"
    assert contribution.author_kind is AuthorKind.FAMILY_MEMBER
    assert contribution.kind is ContributionKind.VOICE
    # The test app runs the Whisper job at once; a worker does the same in the background.
    page = browser.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Is this what you said?" in page
    assert "school" in page.lower() and "Yes, these are my words" in page
    # What only a report comment's read-back says is not said here.
    assert "Nothing is sent until you confirm." not in page
    played = browser.get(f"/family/media/{contribution.id}/original")
    assert played.status_code == 200 and played.data == clip
    mine = "We moved house in the summer. Maya sleeps better and likes her new school."
    done = browser.submit(sent.headers["Location"], {"text": mine})
    assert done.status_code == 302
    db.session.refresh(contribution.transcript)
    transcript = contribution.transcript
    assert transcript.status is TranscriptStatus.CONFIRMED
    assert transcript.confirmed_text == mine and not transcript.confirmed_by_child
    assert "school" in (transcript.machine_text or "").lower()
    assert mine in browser.get("/family/").get_data(as_text=True)
    # The practitioner sees it, attributed and confirmed.
    staff = make_client(practitioner.email)
    timeline = staff.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Claire Thompson, mother, spoken, " in timeline and mine in timeline
    reads = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == AuditAction.FAMILY_MEDIA_VIEWED)
    ).all()
    assert len(reads) == 1


def test_a_drawing_is_re_encoded_and_only_the_family_view_serves_it(make_client, phone):
    browser, _practitioner, _child = phone
    image = Image.new("RGB", (300, 200), "white")
    out = io.BytesIO()
    image.save(out, "PNG")
    browser.submit(
        "/family/contributions",
        {
            "kind": "drawing",
            "text": "Our new house",
            "sharing": "my_worker",
            "media": (io.BytesIO(out.getvalue()), "house.png"),
        },
        content_type="multipart/form-data",
    )
    drawing = db.session.scalar(select(Contribution))
    assert drawing.kind is ContributionKind.DRAWING and drawing.thumbnail_media_id
    home = browser.get("/family/").get_data(as_text=True)
    assert f"/family/media/{drawing.id}/thumbnail" in home and "Our new house" in home
    assert browser.get(f"/family/media/{drawing.id}/thumbnail").status_code == 200
    stranger = make_client()
    assert signed_out(stranger.get(f"/family/media/{drawing.id}/thumbnail"))


def test_the_same_form_sent_twice_is_stored_once_and_never_as_anothers(make_client, phone):
    """Each page's form carries an id of its own: a second tap (or a resent request) stores
    nothing more, and the same id sent by another account stores that account's words."""
    browser, practitioner, child = phone
    page = browser.get("/family/").get_data(as_text=True)
    form_id = re.search(r'name="form_id" type="hidden" value="([0-9a-f]{32})"', page)
    assert form_id, "no form id on the family's page"
    assert form_id.group(1) not in browser.get("/family/").get_data(as_text=True)
    words = {"kind": "text", "sharing": "my_worker", "form_id": form_id.group(1)}
    for _ in range(2):
        sent = browser.submit("/family/contributions", {**words, "text": "Maya needs her sleep"})
        assert sent.status_code == 302
    assert [c.text for c in db.session.scalars(select(Contribution))] == ["Maya needs her sleep"]

    father = family_account(FamilyMemberFactory(child=child, name="Mark"), practitioner, "mark")
    other_phone = make_client()
    sign_in(other_phone, father)
    other_phone.submit("/family/contributions", {**words, "text": "Mark's own words"})
    stored = sorted(c.text for c in db.session.scalars(select(Contribution)))
    assert stored == ["Mark's own words", "Maya needs her sleep"]

    refused = browser.submit("/family/contributions", {**words, "form_id": "not-an-id"})
    assert refused.status_code == 302
    assert len(stored) == len(list(db.session.scalars(select(Contribution))))


def test_a_file_that_is_not_a_recording_is_refused(phone):
    browser, _practitioner, _child = phone
    sent = browser.submit(
        "/family/contributions",
        {"kind": "voice", "media": (io.BytesIO(b"not audio at all"), "x.wav")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    assert db.session.scalar(select(Contribution)) is None
    assert "flash--error" in browser.get("/family/").get_data(as_text=True)
