"""Which audio each prompt has in each language, and recording and publishing prompts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.media import probe_audio
from voice_app.core.db import utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import named, speech
from voice_app.read_aloud.models import PromptRecording
from voice_app.read_aloud.prompts import prompts_in


class UnknownPrompt(LookupError):
    """No prompt of the child's space has this key in this language."""


def published_recordings(language: str) -> dict[str, PromptRecording]:
    """The newest published take of each prompt of ``language``, by prompt key."""
    rows = db.session.scalars(
        select(PromptRecording)
        .where(PromptRecording.language == language, PromptRecording.published_at.is_not(None))
        .order_by(PromptRecording.id)
    )
    return {row.prompt_key: row for row in rows}


def audio_index(language: str, child: Child | None = None) -> dict[str, dict[str, object]]:
    """``{text: {"url", "human"}}`` for every prompt of ``language`` that can be heard:
    a person's published recording first, else espeak-ng's (rendered on first request),
    with a ``"fallback"`` URL for devices that cannot play Ogg. With ``child`` (their own
    space), the prompts that hold their name too (``read_aloud.named``)."""
    recorded = published_recordings(language)
    synthetic = speech.speakable(language)
    fmt, fallback = speech.default_format(), speech.fallback_format()
    index: dict[str, dict[str, object]] = {}
    for key, text in prompts_in(language).items():
        if key in recorded:
            url = url_for("read_aloud.recording", recording_id=recorded[key].id)
            index[text] = {"url": url, "human": True}
        elif synthetic:
            index[text] = {
                "url": url_for("read_aloud.audio", language=language, key=key, fmt=fmt),
                "fallback": url_for("read_aloud.audio", language=language, key=key, fmt=fallback),
                "human": False,
            }
    if child is not None:
        for text, entry in named.audio_index(child, language).items():
            index.setdefault(text, entry)
    return index


@dataclass(frozen=True)
class LanguageCoverage:
    language: str
    prompts: int
    recorded: int
    #: Whether espeak-ng can speak what no person has recorded.
    synthetic: bool

    @property
    def without_audio(self) -> int:
        return 0 if self.synthetic else self.prompts - self.recorded


def coverage() -> list[LanguageCoverage]:
    """For each shipped language: how many prompts have a person's voice, and the rest."""
    found = []
    for language in LANGUAGES:
        prompts = prompts_in(language)
        recorded = published_recordings(language)
        found.append(
            LanguageCoverage(
                language,
                len(prompts),
                len(recorded.keys() & prompts.keys()),
                speech.speakable(language),
            )
        )
    return found


def awaiting_human_recording() -> list[str]:
    """Shipped languages that still have prompts no voice can speak."""
    return [entry.language for entry in coverage() if entry.without_audio > 0]


def takes(language: str) -> dict[str, list[PromptRecording]]:
    """Every take of every prompt of ``language``, oldest first, by prompt key."""
    rows = db.session.scalars(
        select(PromptRecording)
        .where(PromptRecording.language == language)
        .order_by(PromptRecording.id)
    )
    found: dict[str, list[PromptRecording]] = {}
    for row in rows:
        found.setdefault(row.prompt_key, []).append(row)
    return found


def record_prompt(language: str, key: str, audio: bytes, by: User) -> PromptRecording:
    """Keep a new take of a prompt, checked as a child's recording is (``MediaRejected``
    if it is not real, playable sound of a prompt's length). It is heard by children only
    once published."""
    text = prompts_in(language).get(key) if language in LANGUAGES else None
    if text is None:
        raise UnknownPrompt(key)
    probed = probe_audio(
        audio,
        max_bytes=current_app.config["MAX_PROMPT_RECORDING_BYTES"],
        max_seconds=current_app.config["MAX_PROMPT_RECORDING_SECONDS"],
    )
    take = PromptRecording(
        language=language,
        prompt_key=key,
        text=text,
        media_id=media_store().put(audio),
        content_type=probed.content_type,
        duration_seconds=probed.duration_seconds,
        recorded_by_id=by.id,
    )
    db.session.add(take)
    db.session.flush()
    audit.record(
        AuditAction.PROMPT_RECORDED,
        target=f"prompt_recording:{take.id}",
        details={"language": language, "prompt": key},
        actor=by,
    )
    return take


def publish(take: PromptRecording, by: User) -> None:
    """Children hear this take from now on (until a newer one is published)."""
    if take.published_at is not None:
        return
    take.published_at = utcnow()
    take.published_by_id = by.id
    db.session.flush()
    audit.record(
        AuditAction.PROMPT_PUBLISHED,
        target=f"prompt_recording:{take.id}",
        details={"language": take.language, "prompt": take.prompt_key},
        actor=by,
    )


def recording_audio(take: PromptRecording) -> bytes:
    return media_store().get(take.media_id)
