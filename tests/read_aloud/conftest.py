"""Helpers for read-aloud tests: a child's tablet, a prompt, a real recorded take."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.extensions import db
from voice_app.read_aloud.prompts import digest, normalise

#: A prompt every panel shows ("Who can see this?" is in every band).
PROMPT = "Please choose who can see this."


def prompt_in(language: str, msgid: str = PROMPT) -> tuple[str, str]:
    """``(key, text)`` of a prompt as the page in ``language`` shows it."""
    with force_locale(language):
        text = normalise(gettext(msgid))
    return digest(language, text), text


def spoken_ogg(text: str, voice: str = "cy") -> bytes:
    """A real take: espeak-ng's voice as Ogg/Vorbis, the way a phone's recorder might send it."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "--stdout", text], capture_output=True, check=True
    ).stdout
    return subprocess.run(
        ["sox", "-t", "wav", "-", "-t", "ogg", "-"], input=wav, capture_output=True, check=True
    ).stdout


@pytest.fixture
def tablet(make_client):
    """A Welsh-speaking child's space open on a tablet, and their practitioner."""
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team, preferred_name="Cerys", preferred_language="cy")
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "read aloud", sam, timedelta(days=3))
    db.session.commit()
    device = make_client()
    assert device.get(f"/i/{made.token}").headers["Location"] == "/me"
    return device, child, sam
