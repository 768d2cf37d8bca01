"""The language a child's recording is most likely in, as a hint for transcription.

The Whisper engine keeps the hint unless the audio makes it unlikely: it is a hint, not
the child's choice (a language the child chose is given to the
engine as such, see ``services.claim_transcription``). The job reads it; no person does,
so no audit entry is written.
"""

from __future__ import annotations

from sqlalchemy import select

from voice_app.contributions.models import Contribution, Transcript, TranscriptStatus
from voice_app.extensions import db


def transcription_language_hint(transcript_id: int) -> str | None:
    """The child's last confirmed recording's language, else the recording's own language.

    A recording's own language is the child's chosen one or, when they chose none, their
    record's preferred language. Locale codes such as ``pt-BR`` become Whisper's ``pt``.
    """
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:
        return None
    contribution = transcript.contribution
    last_confirmed = db.session.scalar(
        select(Transcript.language)
        .join(Contribution, Transcript.contribution_id == Contribution.id)
        .where(
            Contribution.child_id == contribution.child_id,
            Transcript.status == TranscriptStatus.CONFIRMED,
            Transcript.language.is_not(None),
            Transcript.language != "",
        )
        .order_by(Transcript.confirmed_at.desc(), Transcript.id.desc())
        .limit(1)
    )
    language = last_confirmed or contribution.language
    return language.replace("_", "-").split("-")[0].lower() if language else None
