"""Prompts recorded by a person (an interpreter or a practitioner) in one language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text
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
