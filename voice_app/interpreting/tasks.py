"""The background job that drafts an English translation of a recording for its interpreter.

The same Whisper model as transcription, with ``task="translate"``. Its draft is stored as
a ``MACHINE_DRAFT`` translation, shown only to the interpreter, labelled "machine
translation, not checked", until they confirm or correct it (a new row).
"""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path

from flask import current_app

from voice_app.contributions.models import Contribution
from voice_app.core.queue import job
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest
from voice_app.interpreting.services.translations import add_machine_draft
from voice_app.transcription.engine import get_engine


@job(retries=1, retry_delay=60)
def translate_recording(request_id: int) -> None:
    """Store Whisper's English for the recording a request names."""
    row = db.session.get(InterpretingRequest, request_id)
    contribution = db.session.get(Contribution, row.contribution_id or 0) if row else None
    if row is None or contribution is None or not contribution.media_id:
        return
    audio = media_store().get(contribution.media_id)
    suffix = mimetypes.guess_extension(contribution.media_content_type or "") or ".audio"
    # The request says which language is spoken; the space's language may be English.
    language = row.language if row.language != "en" else None
    engine = get_engine(
        current_app.config["WHISPER_MODEL_DIR"], current_app.config["WHISPER_CPU_THREADS"]
    )
    db.session.commit()  # no transaction held while the model runs
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"recording{suffix}"
        path.write_bytes(audio)
        text = engine.translate(path, language=language)
    if text:
        add_machine_draft(row, text, engine.model_name)
        db.session.commit()
