"""The child's space: invitations, handover, contributions whole or not at all, transcripts."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import speak, stored_media
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import (
    Contribution,
    SafetyResponse,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.permissions import Role
from voice_app.extensions import db

SPOKEN = "I want to live with my grandma. I feel happy at school and I like drawing."


@pytest.fixture(scope="module")
def voice_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return speak(SPOKEN, "en-gb", tmp_path_factory.mktemp("voice") / "voice.wav").read_bytes()


def drawing_png() -> bytes:
    image = Image.new("RGB", (400, 300), "white")
    for x in range(50, 350):
        image.putpixel((x, 150), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def family(make_client):
    """A child, their practitioner, and a browser the child opened an invitation in."""
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team, full_name="Maya Thompson", preferred_name="Maya")
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "before my meeting", sam, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    assert tablet.get(f"/i/{made.token}").headers["Location"] == "/me"
    return child, sam, tablet, made


def upload(browser, fields: dict, media: bytes | None = None, filename: str = "voice.wav"):
    data = {"client_id": str(uuid.uuid4()), "sharing": "my_worker", **fields}
    if media is not None:
        data["media"] = (io.BytesIO(media), filename)
    return browser.post(
        "/me/contributions",
        data=data,
        content_type="multipart/form-data",
        headers={"X-CSRFToken": browser.csrf_token()},
    )


def stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution)) or 0


def media_files(app) -> list[bytes]:
    """Every stored media file, sealed, from the app's store (a folder or a bucket)."""
    return stored_media()


def test_the_code_opens_the_childs_space_and_shows_their_name(make_client, family):
    _child, _sam, _tablet, made = family
    browser = make_client()
    response = browser.submit("/join", {"code": made.display_code.lower().replace("-", " ")})
    assert response.headers["Location"] == "/me"
    assert "Maya" in browser.get("/me").get_data(as_text=True)


def test_wrong_revoked_and_expired_codes_do_not_open_it(make_client, family):
    child, sam, _tablet, _made = family
    browser = make_client()
    page = browser.submit("/join", {"code": "AAAA-AAAA"}).get_data(as_text=True)
    assert "That code does not work" in page
    expired = create_invitation(child, "old", sam, timedelta(seconds=-1))
    db.session.commit()
    assert browser.get(f"/i/{expired.token}").status_code == 200
    assert browser.get("/me").status_code == 401


def test_the_childs_space_reaches_nothing_of_the_case(family):
    child, _sam, tablet, _made = family
    for url in ("/children/", f"/children/{child.id}", "/audit/", "/account", "/admin/users"):
        assert tablet.get(url).headers["Location"] == "/me", url


def test_handover_needs_the_practitioners_password_to_come_back(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team, preferred_language="ar")
    AssignmentFactory(child=child, user=sam)
    tablet = make_client(sam.email)
    assert tablet.submit(f"/children/{child.id}/handover").headers["Location"] == "/me"
    home = tablet.get("/me").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in home  # the child's language, not the practitioner's
    assert tablet.get(f"/children/{child.id}").headers["Location"] == "/me"
    assert tablet.submit("/logout").headers["Location"] == "/me"
    wrong = tablet.submit("/me/exit", {"password": "not it"})
    assert wrong.status_code == 200
    assert tablet.get("/children/").headers["Location"] == "/me"
    back = tablet.submit("/me/exit", {"password": "correct horse battery staple"})
    assert back.headers["Location"] == f"/children/{child.id}/contributions"
    assert tablet.get("/children/").status_code == 200


def test_coming_back_the_child_sees_each_answer_and_who_can_see_it(family):
    _child, _sam, tablet, _made = family
    upload(tablet, {"kind": "feeling", "feeling": "worried", "sharing": "my_family_too"})
    upload(tablet, {"kind": "scale", "scale": "3", "text": "at night"})
    upload(tablet, {"kind": "text", "unsafe": "1"})
    home = tablet.get("/me").get_data(as_text=True)
    assert "face-worried" in home  # the face the child chose, not just "a feeling"
    assert "3 out of 10" in home and "at night" in home
    assert home.count('<p class="cs-thing__sharing">') == 3
    assert "You said you do not feel safe" in home


def test_typed_words_are_kept_exactly_and_a_retry_does_not_duplicate(family):
    _child, _sam, tablet, _made = family
    words = "Ich möchte bei Oma wohnen 🙂\nأريد أن أعيش مع جدتي"
    client_id = str(uuid.uuid4())
    first = upload(tablet, {"client_id": client_id, "kind": "text", "text": words})
    again = upload(tablet, {"client_id": client_id, "kind": "text", "text": words})
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]
    assert stored_count() == 1
    assert db.session.scalar(select(Contribution.text)) == words


def test_a_voice_note_is_stored_encrypted_and_transcribed_to_a_draft(app, family, voice_clip):
    _child, _sam, tablet, _made = family
    response = upload(tablet, {"kind": "voice"}, voice_clip)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # The test app runs jobs at once; a real worker does the same in the background.
    assert body["transcript"]["status"] == "draft"
    assert "grandma" in body["transcript"]["text"].lower()
    transcript = db.session.scalars(select(Transcript)).one()
    assert transcript.model_name and transcript.language == "en" and transcript.audio_seconds > 3
    files = media_files(app)
    assert len(files) == 1 and b"RIFF" not in files[0][:64]
    played = tablet.get(f"/me/media/{body['id']}/original")
    assert played.status_code == 200 and played.data == voice_clip


def test_the_child_confirms_or_corrects_and_the_machine_draft_stays(family, voice_clip):
    _child, _sam, tablet, _made = family
    contribution_id = upload(tablet, {"kind": "voice"}, voice_clip).get_json()["id"]
    corrected = "I want to live with my nan. I am happy at school and I like drawing."
    response = tablet.send_json(f"/me/contributions/{contribution_id}/confirm", {"text": corrected})
    assert response.status_code == 200
    assert response.get_json()["transcript"] == {
        "status": "confirmed",
        "text": corrected,
        "doubtful": False,
    }
    transcript = db.session.scalars(select(Transcript)).one()
    assert transcript.confirmed_by_child and transcript.corrected
    assert "grandma" in transcript.machine_text.lower()


def test_a_drawing_is_re_encoded_with_a_thumbnail(app, family):
    _child, _sam, tablet, _made = family
    response = upload(tablet, {"kind": "drawing", "text": "my house"}, drawing_png(), "d.png")
    assert response.status_code == 201
    body = response.get_json()
    assert len(media_files(app)) == 2
    original = tablet.get(f"/me/media/{body['id']}/original")
    assert original.mimetype == "image/png"
    assert Image.open(io.BytesIO(original.data)).size == (400, 300)
    assert tablet.get(f"/me/media/{body['id']}/thumbnail").status_code == 200


@pytest.mark.parametrize(
    ("fields", "media", "message"),
    [
        ({"kind": "voice"}, b"", "did not arrive"),
        ({"kind": "voice"}, b"this is not audio at all", None),
        ({"kind": "drawing"}, b"<svg onload=alert(1)></svg>", None),
        ({"kind": "text", "text": "   "}, None, "nothing to send"),
        ({"kind": "scale", "scale": "11"}, None, "from 0 to 10"),
        ({"kind": "feeling", "feeling": "sneaky"}, None, "did not work"),
        ({"kind": "text", "text": "hi", "client_id": "not-a-uuid"}, None, "did not work"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    app, family, fields, media, message
):
    _child, _sam, tablet, _made = family
    response = upload(tablet, fields, media, "x.bin")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error and (message is None or message in error)
    assert stored_count() == 0
    assert media_files(app) == []


def test_a_recording_over_the_limit_is_refused_in_the_childs_language(app, family, voice_clip):
    _child, _sam, tablet, _made = family
    tablet.submit("/language", {"locale": "cy"})
    app.config["MAX_AUDIO_SECONDS"] = 2
    try:
        response = upload(tablet, {"kind": "voice"}, voice_clip)
    finally:
        app.config["MAX_AUDIO_SECONDS"] = 600
    assert response.status_code == 400
    assert response.get_json()["reason"] == "audio_too_long"
    assert "minutes" not in response.get_json()["error"]  # Welsh, not English
    assert stored_count() == 0 and media_files(app) == []


def test_i_dont_feel_safe_alerts_the_practitioner_and_manager(make_client, family):
    _child, sam, tablet, _made = family
    assert upload(tablet, {"kind": "text", "unsafe": "1"}).status_code == 201
    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    assert "Children who said they do not feel safe" in page and "Maya Thompson" in page
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UNSAFE_FLAG_RAISED)
    )


def test_the_alert_stays_until_someone_records_what_was_done(make_client, family):
    child, sam, tablet, _made = family
    manager = UserFactory(team=sam.team, role=Role.MANAGER)
    flagged = upload(tablet, {"kind": "text", "unsafe": "1"}).get_json()["id"]
    db.session.commit()
    desk, boss = make_client(sam.email), make_client(manager.email)
    url = f"/children/{child.id}/contributions/{flagged}/safety-response"

    response = desk.submit(url, {"note": "   "})
    assert response.status_code == 302
    assert "Please say what was done" in desk.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(SafetyResponse)) == 0
    assert "Maya Thompson" in boss.get("/children/").get_data(as_text=True)  # still alerting

    desk.submit(url, {"note": "Rang Maya's school; her teacher sat with her. Visit tomorrow."})
    timeline = desk.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Rang Maya&#39;s school; her teacher sat with her. Visit tomorrow." in timeline
    assert "Sam Okafor" in timeline
    for browser in (desk, boss):
        page = browser.get("/children/").get_data(as_text=True)
        assert "Children who said they do not feel safe" not in page
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UNSAFE_FLAG_RESPONDED)
    )


def test_the_practitioner_sees_the_timeline_and_confirms_for_the_child(
    make_client, family, voice_clip
):
    child, sam, tablet, _made = family
    contribution_id = upload(tablet, {"kind": "voice"}, voice_clip).get_json()["id"]
    upload(tablet, {"kind": "drawing", "text": "my dog"}, drawing_png(), "d.png")
    desk = make_client(sam.email)
    page = desk.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Machine transcript, not yet confirmed" in page
    assert "my dog" in page
    only_drawings = desk.get(f"/children/{child.id}/contributions?kind=drawing").get_data(
        as_text=True
    )
    assert "my dog" in only_drawings and "Machine transcript" not in only_drawings
    desk.submit(
        f"/children/{child.id}/contributions/{contribution_id}/confirm",
        {"text": "I want to live with my grandma."},
    )
    transcript = db.session.scalars(select(Transcript)).one()
    assert transcript.status is TranscriptStatus.CONFIRMED
    assert not transcript.confirmed_by_child and transcript.confirmed_by_id == sam.id


def test_a_transcription_left_by_a_dead_worker_runs_again(app, family, voice_clip):
    from voice_app.core.db import utcnow
    from voice_app.transcription.tasks import requeue_stalled_transcriptions

    _child, _sam, tablet, _made = family
    upload(tablet, {"kind": "voice"}, voice_clip)
    transcript = db.session.scalars(select(Transcript)).one()
    # As if a worker had claimed it and been killed half an hour ago.
    transcript.status = TranscriptStatus.RUNNING
    transcript.machine_text = None
    transcript.started_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    requeue_stalled_transcriptions()
    db.session.expire_all()
    transcript = db.session.scalars(select(Transcript)).one()
    assert (
        transcript.status is TranscriptStatus.DRAFT and "grandma" in transcript.machine_text.lower()
    )
    assert transcript.attempts == 2


PICTURES = {"first": "cat", "second": "sun", "third": "fish"}


def test_a_picture_pin_brings_the_child_back_and_guessing_stops_the_invitation(make_client, family):
    _child, _sam, tablet, made = family
    assert tablet.submit("/me/pin", PICTURES).headers["Location"] == "/me"
    # Next time, on another device, the code alone is not enough.
    other = make_client()
    assert other.get(f"/i/{made.token}").headers["Location"] == "/pin"
    assert other.get("/me").status_code == 401
    wrong = other.submit("/pin", {**PICTURES, "third": "dog"})
    assert "Those are not your pictures" in wrong.get_data(as_text=True)
    assert other.submit("/pin", PICTURES).headers["Location"] == "/me"
    assert other.get("/me").status_code == 200
    guesser = make_client()
    guesser.get(f"/i/{made.token}")
    for _ in range(5):
        last = guesser.submit("/pin", {**PICTURES, "first": "dog"})
    assert "ask your worker for a new code" in last.get_data(as_text=True)
    assert make_client().get(f"/i/{made.token}").status_code == 200  # no longer opens
