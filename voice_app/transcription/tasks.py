"""The background job that turns a recording into a draft transcript.

The job claims the transcript (so two workers never do the same one), commits, transcribes
with the process's Whisper model, and commits the draft. A worker that dies part-way leaves
the transcript queued or running; ``requeue_stalled_transcriptions`` finds it and runs it
again. The audio itself is never touched.
"""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path

from flask import current_app
from huey import crontab

from voice_app.contributions import services as contributions
from voice_app.contributions.language_hint import transcription_language_hint
from voice_app.core.db import utcnow
from voice_app.core.queue import huey, job, task_context
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.transcription.engine import get_engine


@job(retries=2, retry_delay=30)
def transcribe_recording(transcript_id: int) -> None:
    """Transcribe one recording and store the machine draft."""
    claim = contributions.claim_transcription(transcript_id)
    db.session.commit()
    if claim is None:
        return
    try:
        audio = media_store().get(claim.media_id)
        suffix = mimetypes.guess_extension(claim.content_type) or ".audio"
        engine = get_engine(
            current_app.config["WHISPER_MODEL_DIR"], current_app.config["WHISPER_CPU_THREADS"]
        )
        # The engine call: the child's usual language is a hint it checks against the audio.
        hint = None if claim.language else transcription_language_hint(transcript_id)
        db.session.commit()  # no transaction (on SQLite, the write lock) is held while it runs
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"recording{suffix}"
            path.write_bytes(audio)
            result = engine.transcribe(path, language=claim.language, hint=hint)
    except Exception as error:
        db.session.rollback()
        contributions.record_transcription_error(transcript_id, f"{type(error).__name__}: {error}")
        db.session.commit()
        raise  # Huey retries it
    contributions.save_transcription(transcript_id, result)
    db.session.commit()


@huey.periodic_task(crontab(minute="*"))
def requeue_stalled_transcriptions() -> None:
    """Run again any transcription whose worker died; see contributions.STALLED_AFTER_SECONDS."""
    with task_context():
        for transcript_id in contributions.stalled_transcriptions(utcnow()):
            transcribe_recording(transcript_id)
