"""Prompts with a person's name in them, spoken by espeak-ng on demand for one child.

"Hello, Maya!" cannot be rendered ahead like the other prompts, and its audio holds the
child's name: it is case data. So it is not kept in the shared prompt cache but in the
media store, encrypted, one ``NamedPromptAudio`` row per child, key and format, heard only
in that child's space and by staff who may read the child, and destroyed with the record
(``record.retention`` empties every table with a ``child_id`` and deletes every file its
rows name in a ``media_id`` column). Keys are keyed hashes (``prompts.named_key``): no file
name, URL or log line carries the name.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from voice_app.children.models import Child
from voice_app.core.db import end_reading
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import speech
from voice_app.read_aloud.models import NamedPromptAudio
from voice_app.read_aloud.prompts import named_prompts


def names_in_space(child: Child) -> list[str]:
    """The names the child's space shows in its prompts: the child's own, as shown."""
    return [child.display_name]


def prompts_for(child: Child, language: str) -> dict[str, str]:
    """``{key: text}`` of the named prompts of ``language`` for this child; empty when
    espeak-ng cannot speak the language (a person cannot record every child's name)."""
    voice = speech.voice_for(language)
    if voice is None or language not in LANGUAGES:
        return {}
    return named_prompts(language, voice, names_in_space(child))


def audio_index(child: Child, language: str) -> dict[str, dict[str, object]]:
    """Entries for ``services.audio_index`` (``{text: {"url", "fallback", "human"}}``)."""
    fmt, fallback = speech.default_format(), speech.fallback_format()

    def url(key: str, chosen: str) -> str:
        return url_for(
            "read_aloud.named_audio", child_id=child.id, language=language, key=key, fmt=chosen
        )

    return {
        text: {"url": url(key, fmt), "fallback": url(key, fallback), "human": False}
        for key, text in prompts_for(child, language).items()
    }


def named_audio(child: Child, language: str, key: str, fmt: str) -> bytes | None:
    """The audio of one named prompt of this child, rendered and stored on its first
    request; None if no named prompt of the child has this key. ``SpeechUnavailable`` if
    it cannot be spoken here. The caller commits (a new row is flushed)."""
    stored = db.session.scalar(
        select(NamedPromptAudio).where(
            NamedPromptAudio.child_id == child.id,
            NamedPromptAudio.key == key,
            NamedPromptAudio.fmt == fmt,
        )
    )
    if stored is not None:
        return media_store().get(stored.media_id)
    text = prompts_for(child, language).get(key)
    if text is None:
        return None
    audio = speech.render(language, text, fmt)
    # Staff GET requests read first on SQLite (core.db): take the write lock to store it.
    end_reading(db.session)
    row = NamedPromptAudio(child_id=child.id, key=key, fmt=fmt, media_id=media_store().put(audio))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # Another request stored the same audio a moment ago: keep theirs, drop this file.
        media_store().delete(row.media_id)
    return audio
