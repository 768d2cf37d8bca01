"""Interpretation and translation requests, and translations kept beside their originals.

A ``Translation`` is never changed: a correction, or an interpreter's check of the
machine's draft, is a new row, and the newest confirmed row is the one readers see. The
original words, recording or drawing are never touched (``core.db.append_only``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.accounts.models import User
from voice_app.core.db import Base, UTCDateTime, append_only, str_enum, utcnow

AUTOINCREMENT = {"sqlite_autoincrement": True}


class RequestKind(StrEnum):
    #: A child's or family member's contribution, into English.
    CONTRIBUTION = "contribution"
    #: One written section of a report draft, into the family's language.
    REPORT_SECTION = "report_section"
    #: Every written section of a report draft, into the family's language.
    REPORT_DRAFT = "report_draft"
    #: The current version of the child's plan, into the family's language.
    PLAN = "plan"
    #: Interpreting at a meeting or visit: a date, a place, a language.
    LIVE_SESSION = "live_session"


class RequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class SourceKind(StrEnum):
    """What a translation translates."""

    CONTRIBUTION = "contribution"
    #: A report section's text as written at one moment (``ReportText``).
    REPORT_TEXT = "report_text"
    #: A plan version's written items and actions.
    PLAN_VERSION = "plan_version"
    #: A family member's comment on a report, written in their language.
    REPORT_COMMENT = "report_comment"


class TranslationStatus(StrEnum):
    #: Whisper's English, never shown as a translation until an interpreter confirms it.
    MACHINE_DRAFT = "machine_draft"
    #: An interpreter's work in progress, seen by them only.
    DRAFT = "draft"
    CONFIRMED = "confirmed"


class InterpreterLanguage(Base):
    """A language an interpreter account works in (set with ``flask interpreting``)."""

    __tablename__ = "interpreter_languages"
    __table_args__ = (UniqueConstraint("user_id", "language"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: A locale code from ``voice_app.i18n.LANGUAGES``.
    language: Mapped[str] = mapped_column(String(10))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InterpretingRequest(Base):
    """A practitioner's request to one interpreter for one specific thing."""

    __tablename__ = "interpreting_requests"
    __table_args__ = (
        Index("ix_interpreting_requests_interpreter_id_status", "interpreter_id", "status"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, 20))
    #: The language other than English: the one translated from or into, or spoken.
    language: Mapped[str] = mapped_column(String(10))
    #: Who interprets: always an interpreter account, never a family member or the child.
    interpreter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and post title at the time of the request.
    interpreter_label: Mapped[str] = mapped_column(String(400))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, 10), default=RequestStatus.OPEN
    )
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    #: For ``REPORT_SECTION``: which section (a ``ReportSection`` value).
    report_section: Mapped[str | None] = mapped_column(String(30))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    session_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_place: Mapped[str | None] = mapped_column(String(200))
    #: What the practitioner needs, in a sentence.
    note: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A manager with a grant who let a confidential item go to the interpreter.
    confidential_included_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confidential_included_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    interpreter: Mapped[User] = relationship(foreign_keys=[interpreter_id])


class Translation(Base):
    """A translation of one item, beside its original; never changed."""

    __tablename__ = "translations"
    __table_args__ = (
        Index("ix_translations_source_kind_source_id", "source_kind", "source_id"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("interpreting_requests.id"))
    source_kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, 20))
    source_id: Mapped[int] = mapped_column()
    language_from: Mapped[str] = mapped_column(String(10))
    language_to: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[TranslationStatus] = mapped_column(str_enum(TranslationStatus, 20))
    #: None for the machine's draft.
    translated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "Name (post title)" at the time, or the model's name for a machine draft.
    translated_by_label: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TranslationChanged(RuntimeError):
    """Something tried to change or delete a translation row."""


#: Translations are append-only: corrections are new rows (``core.db.append_only``).
append_only(Translation, error=TranslationChanged, changed="translation {id} is never changed")
