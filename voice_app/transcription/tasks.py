"""The background job that turns a recording into a draft transcript.

The job claims the transcript (so two workers never do the same one), commits, transcribes
with the process's Whisper model, and commits the draft. While it runs, a heartbeat thread
renews the claim's lease (``Transcript.lease_expires_at``) every third of
``TRANSCRIPTION_LEASE_SECONDS``. A worker that dies part-way stops renewing it; the
minute-by-minute ``requeue_stalled_transcriptions`` finds the expired lease and runs the job
again, so a child still at the tablet gets their read-back about a minute later, not ten.
The audio itself is never touched: it is decrypted from the store frame by frame into a
temporary file that faster-whisper reads by path, removed when the job ends.
"""

from __future__ import annotations

import mimetypes
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
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
        # Opened now (a missing or damaged file fails before the engine is loaded), read
        # frame by frame into the temporary file below: never whole in memory.
        audio = media_store().open(claim.media_id)
        suffix = mimetypes.guess_extension(claim.content_type) or ".audio"
        engine = get_engine(
            current_app.config["WHISPER_MODEL_DIR"], current_app.config["WHISPER_CPU_THREADS"]
        )
        # The engine call: the child's usual language is a hint it checks against the audio.
        hint = None if claim.language else transcription_language_hint(transcript_id)
        db.session.commit()  # no transaction (on SQLite, the write lock) is held while it runs
        with tempfile.TemporaryDirectory() as folder, lease_kept(claim):
            path = Path(folder) / f"recording{suffix}"
            with path.open("wb") as copy:
                for piece in audio.stream():
                    copy.write(piece)
            result = engine.transcribe(path, language=claim.language, hint=hint)
    except Exception as error:
        db.session.rollback()
        contributions.record_transcription_error(transcript_id, f"{type(error).__name__}: {error}")
        db.session.commit()
        raise  # Huey retries it
    contributions.save_transcription(transcript_id, result)
    db.session.commit()


@contextmanager
def lease_kept(claim: contributions.TranscriptionClaim) -> Iterator[None]:
    """Renew the claim's lease from a thread of its own while the body runs."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = app.config["TRANSCRIPTION_LEASE_SECONDS"] / 3
    stop = threading.Event()

    def beat() -> None:
        # Its own app context, so its own session and transaction beside the job's.
        with app.app_context():
            try:
                while not stop.wait(interval):
                    try:
                        mine = contributions.renew_transcription_lease(claim)
                        db.session.commit()
                    except Exception:
                        db.session.rollback()
                        app.logger.exception("could not renew transcript %s", claim.transcript_id)
                        continue
                    if not mine:
                        return  # finished, failed, or taken over after an expired lease
            finally:
                db.session.remove()

    heartbeat = threading.Thread(target=beat, name=f"lease-{claim.transcript_id}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()


@huey.periodic_task(crontab(minute="*"))
def requeue_stalled_transcriptions() -> None:
    """Run again any transcription whose lease expired (its worker died)."""
    with task_context():
        for transcript_id in contributions.stalled_transcriptions(utcnow()):
            transcribe_recording(transcript_id)
