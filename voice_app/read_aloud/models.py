"""Prompts recorded by a person (an interpreter or a practitioner) in one language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from voice_app.core.db import Base, UTCDateTime, utcnow


class PromptRecording(Base):
    """One take of one prompt. A new take is a new row; the newest published take of a
    prompt is the one children hear."""

    __tablename__ = "prompt_recordings"
    __table_args__ = (
        Index("ix_prompt_recordings_language_prompt_key", "language", "prompt_key"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(10))
    #: ``read_aloud.prompts.digest`` of the language and the words: a changed translation
    #: is a different prompt, so an old recording never speaks words no longer on screen.
    prompt_key: Mapped[str] = mapped_column(String(32))
    #: The words that were on screen when it was recorded.
    text: Mapped[str] = mapped_column(Text)
    #: The sound as uploaded, encrypted in the media store.
    media_id: Mapped[str] = mapped_column(String(32))
    content_type: Mapped[str] = mapped_column(String(100))
    duration_seconds: Mapped[float] = mapped_column(Float)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set once, when it is published; until then only staff hear it.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class NamedPromptAudio(Base):
    """espeak-ng's audio of one prompt with a person's name in it, for one child's space.

    It holds a name, so it is case data: encrypted in the media store like the child's own
    recordings, heard only by the child's space and staff who may read the child, and
    destroyed with the record (``record.retention`` finds it by ``child_id`` and
    ``media_id``). It is never changed: a renamed child's prompt is a new key.
    """

    __tablename__ = "named_prompt_audio"
    __table_args__ = (
        UniqueConstraint("child_id", "key", "fmt"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    #: ``read_aloud.prompts.named_key``: a keyed hash of language, voice and words.
    key: Mapped[str] = mapped_column(String(40))
    #: A ``read_aloud.speech.FORMATS`` key ("ogg", "mp3"...).
    fmt: Mapped[str] = mapped_column(String(4))
    media_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
