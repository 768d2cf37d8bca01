"""The child's usual language, handed to the engine as a hint."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.factories import ChildFactory
from voice_app.children.models import Child
from voice_app.contributions.language_hint import transcription_language_hint
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.extensions import db


def recording(child: Child, spoken: str, **transcript_fields: object) -> Transcript:
    transcript = Transcript(**{"status": TranscriptStatus.QUEUED, **transcript_fields})
    db.session.add(
        Contribution(
            child_id=child.id,
            client_id=str(uuid.uuid4()),
            kind=ContributionKind.VOICE,
            author_kind=AuthorKind.CHILD,
            language=spoken,
            sharing=SharingChoice.MY_WORKER,
            transcript=transcript,
        )
    )
    db.session.commit()
    return transcript


def confirmed(child: Child, language: str, hours_ago: float) -> Transcript:
    return recording(
        child,
        "en",
        language=language,
        confirmed_text="words",
        confirmed_at=utcnow() - timedelta(hours=hours_ago),
        status=TranscriptStatus.CONFIRMED,
    )


def test_the_hint_is_the_language_of_the_childs_last_confirmed_recording(app):
    child = ChildFactory(preferred_language="en")
    confirmed(child, "cy", hours_ago=30)
    confirmed(child, "pl", hours_ago=2)
    recording(ChildFactory(), "en", language="ar", status=TranscriptStatus.DRAFT)
    new = recording(child, "en")
    assert transcription_language_hint(new.id) == "pl"


def test_without_a_confirmed_recording_the_hint_is_the_recordings_own_language(app):
    child = ChildFactory(preferred_language="pl")
    recording(child, "en", language="cy", status=TranscriptStatus.DRAFT)  # not confirmed
    confirmed(ChildFactory(), "ar", hours_ago=1)  # another child's
    assert transcription_language_hint(recording(child, "pt_BR").id) == "pt"
    assert transcription_language_hint(recording(child, "pl").id) == "pl"


def test_a_missing_transcript_has_no_hint(app):
    assert transcription_language_hint(10_000) is None
