"""Contributions, each kept with its original media and its author's sharing choice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.children.models import FamilyMember
from voice_app.core.db import Base, UTCDateTime, str_enum, utcnow


class ContributionKind(StrEnum):
    TEXT = "text"
    VOICE = "voice"
    DRAWING = "drawing"
    FEELING = "feeling"
    HOUSE = "house"  # one of the Three Houses
    SCALE = "scale"  # 0-10


class Feeling(StrEnum):
    HAPPY = "happy"
    OK = "ok"
    SAD = "sad"
    WORRIED = "worried"
    ANGRY = "angry"
    SCARED = "scared"


class House(StrEnum):
    """The Three Houses: what I worry about, what is good, what I dream of."""

    WORRIES = "worries"
    GOOD_THINGS = "good_things"
    DREAMS = "dreams"


class SharingChoice(StrEnum):
    """Who the child said may see this; the consent decision comes later, in the record."""

    MY_WORKER = "my_worker"
    MY_FAMILY_TOO = "my_family_too"
    MY_MEETING = "my_meeting"


class AuthorKind(StrEnum):
    CHILD = "child"
    FAMILY_MEMBER = "family_member"
    #: A practitioner writing down the child's words with them.
    PRACTITIONER_FOR_CHILD = "practitioner_for_child"


class Contribution(Base):
    __tablename__ = "contributions"
    __table_args__ = (
        # The browser's id for the item: a retried upload finds the first one.
        UniqueConstraint("child_id", "client_id", name="uq_contributions_child_id_client_id"),
        Index("ix_contributions_child_id_created_at", "child_id", "created_at"),
        # Dashboards look for "I don't feel safe" presses on every page load.
        Index("ix_contributions_flagged_unsafe_created_at", "flagged_unsafe", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    client_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[ContributionKind] = mapped_column(str_enum(ContributionKind, 20))
    author_kind: Mapped[AuthorKind] = mapped_column(str_enum(AuthorKind, 30))
    #: The invitation the child came in by; None when a practitioner handed a tablet over.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))
    #: The practitioner who was with the child (handover), if any.
    with_practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who said it, when the author is a family member (``AuthorKind.FAMILY_MEMBER``).
    family_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_members.id"), index=True
    )
    #: Language of the child's words, as a locale code.
    language: Mapped[str] = mapped_column(String(10))
    sharing: Mapped[SharingChoice] = mapped_column(str_enum(SharingChoice, 20))
    #: With "my family too": the one grown-up in the family the child chose (Mum, say,
    #: when parents live apart); None for all the family. ``record.disclosure`` applies it.
    shared_with_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    #: Typed words, or the caption of a drawing, exactly as given.
    text: Mapped[str | None] = mapped_column(Text)
    feeling: Mapped[Feeling | None] = mapped_column(str_enum(Feeling, 20))
    house: Mapped[House | None] = mapped_column(str_enum(House, 20))
    scale_value: Mapped[int | None] = mapped_column()
    #: The child pressed "I don't feel safe".
    flagged_unsafe: Mapped[bool] = mapped_column(default=False)
    media_id: Mapped[str | None] = mapped_column(String(32))
    media_content_type: Mapped[str | None] = mapped_column(String(50))
    thumbnail_media_id: Mapped[str | None] = mapped_column(String(32))
    #: Length of a recording in seconds.
    duration_seconds: Mapped[float | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    transcript: Mapped[Transcript | None] = relationship(back_populates="contribution")
    family_member: Mapped[FamilyMember | None] = relationship(foreign_keys=[family_member_id])
    safety_responses: Mapped[list[SafetyResponse]] = relationship(
        order_by="SafetyResponse.id", viewonly=True
    )


class TranscriptStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    #: The machine's draft is ready and waits for the child or practitioner to confirm it.
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class Transcript(Base):
    """What Whisper heard in a recording, and what the child confirmed they said."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), unique=True)
    status: Mapped[TranscriptStatus] = mapped_column(str_enum(TranscriptStatus, 20), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    machine_text: Mapped[str | None] = mapped_column(Text)
    #: JSON list of segments with start, end, text and the reasons each may be invented.
    segments_json: Mapped[str | None] = mapped_column(Text)
    doubtful_segments: Mapped[int] = mapped_column(default=0)
    model_name: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(10))
    language_probability: Mapped[float | None] = mapped_column()
    language_was_given: Mapped[bool] = mapped_column(default=False)
    audio_seconds: Mapped[float | None] = mapped_column()
    speech_seconds: Mapped[float | None] = mapped_column()
    seconds_taken: Mapped[float | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: While running: the job's heartbeat. Past this moment without a renewal, its worker
    #: is taken to be dead and the stall sweep runs the job again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The child's own words once checked: the draft as it was, or their correction.
    confirmed_text: Mapped[str | None] = mapped_column(Text)
    confirmed_by_child: Mapped[bool] = mapped_column(default=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contribution: Mapped[Contribution] = relationship(back_populates="transcript")

    @property
    def corrected(self) -> bool:
        return self.confirmed_text is not None and self.confirmed_text != self.machine_text


class SafetyResponse(Base):
    """What a practitioner did after a child pressed "I don't feel safe". Never edited.

    The first response takes the alert off the case list; every response stays with the
    contribution, so the record shows who acted, when, and what they did.
    """

    __tablename__ = "safety_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    responded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and post title at the time.
    responded_by_label: Mapped[str] = mapped_column(String(400))
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MistakenPress(Base):
    """The child said they pressed "I don't feel safe" by mistake. Never edited.

    It does not cancel the alert: the practitioner sees both, and decides.
    """

    __tablename__ = "mistaken_presses"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id"), unique=True, index=True
    )
    said_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
