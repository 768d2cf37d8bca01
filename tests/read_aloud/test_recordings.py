"""Prompts recorded by a person: uploaded safely, heard by children only once published,
heard before any synthetic voice, audited; languages with no voice show what is missing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.factories import UserFactory
from tests.read_aloud.conftest import prompt_in, spoken_ogg
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import services
from voice_app.read_aloud.models import PromptRecording


def send_take(client, language: str, key: str, audio: bytes, name: str = "take.ogg"):
    return client.post(
        f"/read-aloud/prompts/{language}/{key}",
        data={"csrf_token": client.csrf_token(), "audio": (io.BytesIO(audio), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def interpreter(make_client, tablet):
    _device, _child, sam = tablet
    person = UserFactory(team=sam.team, role=Role.INTERPRETER, name="Aled Jones")
    db.session.commit()
    return make_client(person.email), person


def test_a_recorded_prompt_is_heard_first_once_published(tablet, interpreter):
    device, _child, _sam = tablet
    browser, person = interpreter
    key, text = prompt_in("cy")
    take_audio = spoken_ogg(text)

    sent = send_take(browser, "cy", key, take_audio)
    assert sent.status_code == 302
    take = db.session.scalars(select(PromptRecording)).one()
    assert (take.language, take.prompt_key, take.text) == ("cy", key, text)
    assert take.published_at is None and take.recorded_by_id == person.id
    # The interpreter plays it back; the child hears the computer voice until it is published.
    assert browser.get(f"/read-aloud/recordings/{take.id}").data == take_audio
    assert device.get(f"/read-aloud/recordings/{take.id}").status_code == 404
    assert device.get("/read-aloud/cy/prompts.json").get_json()["prompts"][text]["human"] is False

    page = browser.get("/read-aloud/prompts?language=cy").get_data(as_text=True)
    assert f'action="/read-aloud/recordings/{take.id}/publish"' in page
    assert browser.submit(f"/read-aloud/recordings/{take.id}/publish").status_code == 302

    entry = device.get("/read-aloud/cy/prompts.json").get_json()["prompts"][text]
    assert entry == {"url": f"/read-aloud/recordings/{take.id}", "human": True}
    heard = device.get(entry["url"])
    assert heard.status_code == 200 and heard.data == take_audio
    assert heard.mimetype == "audio/ogg"
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target == f"prompt_recording:{take.id}")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [AuditAction.PROMPT_RECORDED, AuditAction.PROMPT_PUBLISHED]


def test_recording_again_keeps_the_old_take_and_the_newest_published_is_heard(tablet, interpreter):
    device, _child, _sam = tablet
    browser, _person = interpreter
    key, text = prompt_in("cy")
    for _ in range(2):
        send_take(browser, "cy", key, spoken_ogg(text))
    first, second = db.session.scalars(select(PromptRecording).order_by(PromptRecording.id))
    browser.submit(f"/read-aloud/recordings/{first.id}/publish")
    browser.submit(f"/read-aloud/recordings/{second.id}/publish")
    entry = device.get("/read-aloud/cy/prompts.json").get_json()["prompts"][text]
    assert entry["url"] == f"/read-aloud/recordings/{second.id}"
    page = browser.get("/read-aloud/prompts?language=cy").get_data(as_text=True)
    assert page.count(f'data-prompt="{key}"') == 1
    assert f'data-take="{first.id}"' in page and f'data-take="{second.id}"' in page


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "take.ogg"),  # a picture called a sound
        (b"OggS" + b"\0" * 500, "take.ogg"),  # a broken Ogg file
        (b"", "take.ogg"),
    ],
)
def test_what_is_not_playable_sound_is_refused_and_not_stored(interpreter, body, name):
    browser, _person = interpreter
    key, _text = prompt_in("cy")
    sent = send_take(browser, "cy", key, body, name)
    assert sent.status_code == 302
    assert db.session.scalars(select(PromptRecording)).all() == []
    page = browser.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'class="flash flash--error"' in page
    assert "Recorded. Listen to it" not in page


def test_a_take_for_words_that_are_no_prompt_is_refused(interpreter):
    browser, _person = interpreter
    key, text = prompt_in("cy")
    assert send_take(browser, "pl", key, spoken_ogg(text)).status_code == 404
    assert send_take(browser, "xx", key, spoken_ogg(text)).status_code == 404


def test_a_language_espeak_ng_cannot_speak_shows_what_still_needs_a_voice(
    interpreter, tablet, monkeypatch
):
    """Somali: no espeak-ng voice, so each prompt is heard only once a person records it."""
    device, _child, _sam = tablet
    browser, _person = interpreter
    monkeypatch.setitem(LANGUAGES, "so", "Soomaali")
    assert services.awaiting_human_recording() == ["so"]
    somali = next(entry for entry in services.coverage() if entry.language == "so")
    assert somali.without_audio == somali.prompts > 150

    page = browser.get("/read-aloud/prompts?language=so").get_data(as_text=True)
    assert page.count('data-has-audio="no"') == somali.prompts
    assert "No sound yet" in page

    key, text = prompt_in("so")
    send_take(browser, "so", key, spoken_ogg(text, voice="sw"))
    take = db.session.scalars(select(PromptRecording)).one()
    browser.submit(f"/read-aloud/recordings/{take.id}/publish")
    after = next(entry for entry in services.coverage() if entry.language == "so")
    assert after.without_audio == somali.prompts - 1
    page = browser.get("/read-aloud/prompts?language=so").get_data(as_text=True)
    assert page.count('data-has-audio="no"') == somali.prompts - 1
    index = device.get("/read-aloud/so/prompts.json").get_json()["prompts"]
    assert index == {text: {"url": f"/read-aloud/recordings/{take.id}", "human": True}}
