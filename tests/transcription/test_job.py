"""The transcription job's engine call: the hint it passes, and no open transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.child_space import test_child_space as child_space
from voice_app.contributions.models import Transcript, TranscriptStatus
from voice_app.core.storage import MediaStore
from voice_app.extensions import db
from voice_app.transcription import tasks

# The child's-space fixtures: a child with an open invitation, and a spoken clip.
family = child_space.family
voice_clip = child_space.voice_clip


def test_the_engine_gets_the_childs_language_and_no_transaction_is_held_while_it_runs(
    app,
    family,
    voice_clip,
    monkeypatch,
):
    seen: list[dict[str, Any]] = []
    paths: list[Path] = []
    real_get_engine = tasks.get_engine

    class Watched:
        def __init__(self, engine: Any) -> None:
            self.engine = engine

        def transcribe(self, audio: Any, language: Any = None, hint: Any = None) -> Any:
            # On SQLite a job's transaction holds the write lock: uploads would wait on it.
            seen.append({"open": db.session().in_transaction(), "hint": hint, "given": language})
            # A file the engine reads by path, holding exactly the recording as sent.
            paths.append(Path(audio))
            assert paths[0].read_bytes() == voice_clip
            return self.engine.transcribe(audio, language=language, hint=hint)

    monkeypatch.setattr(tasks, "get_engine", lambda *a: Watched(real_get_engine(*a)))

    def whole(*args: Any) -> bytes:
        raise AssertionError("the job read the whole recording into memory")

    monkeypatch.setattr(MediaStore, "get", whole)
    _child, _sam, tablet, _made = family
    assert child_space.upload(tablet, {"kind": "voice"}, voice_clip).status_code == 201
    assert seen == [{"open": False, "hint": "en", "given": None}]
    assert not paths[0].exists()  # the temporary copy is gone once the job ends
    transcript = db.session.scalars(select(Transcript)).one()
    assert transcript.status is TranscriptStatus.DRAFT and transcript.language == "en"
    assert "grandma" in (transcript.machine_text or "").lower()
