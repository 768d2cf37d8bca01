"""Plans made with the child and family: versions, the three columns, actions and reviews.

A plan has one working draft and the versions agreed before it. An agreed version is
never changed (``guard_agreed_versions``): the next one starts as a copy. Reviews,
their decisions and scale ratings, sign-offs and the notes that words were taken out are
only ever added.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from voice_app.core.db import Base, UTCDateTime, append_only, str_enum, utcnow

AUTOINCREMENT = {"sqlite_autoincrement": True}


class Voice(StrEnum):
    """Whose view a line of the plan gives."""

    CHILD = "child"
    FAMILY = "family"
    PROFESSIONAL = "professional"


class PlanKind(StrEnum):
    CHILD_PROTECTION = "child_protection"
    LOOKED_AFTER = "looked_after"
    CHILD_IN_NEED = "child_in_need"


class Column(StrEnum):
    """The three Signs of Safety columns, and the family's network beside them."""

    WORRIED = "worried"
    WORKING_WELL = "working_well"
    NEEDS_TO_HAPPEN = "needs_to_happen"
    NETWORK = "network"


class Section(StrEnum):
    HARM = "harm"
    DANGER_STATEMENT = "danger_statement"
    COMPLICATING_FACTOR = "complicating_factor"
    STRENGTH = "strength"
    EXISTING_SAFETY = "existing_safety"
    SAFETY_GOAL = "safety_goal"
    NETWORK = "network"


COLUMN_OF: dict[Section, Column] = {
    Section.HARM: Column.WORRIED,
    Section.DANGER_STATEMENT: Column.WORRIED,
    Section.COMPLICATING_FACTOR: Column.WORRIED,
    Section.STRENGTH: Column.WORKING_WELL,
    Section.EXISTING_SAFETY: Column.WORKING_WELL,
    Section.SAFETY_GOAL: Column.NEEDS_TO_HAPPEN,
    Section.NETWORK: Column.NETWORK,
}


class OwnerKind(StrEnum):
    STAFF = "staff"
    FAMILY = "family"
    CHILD = "child"
    AGENCY = "agency"


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    DONE = "done"
    NOT_DONE = "not_done"


class Outcome(StrEnum):
    """Every Child Matters outcomes."""

    BE_HEALTHY = "be_healthy"
    STAY_SAFE = "stay_safe"
    ENJOY_AND_ACHIEVE = "enjoy_and_achieve"
    POSITIVE_CONTRIBUTION = "positive_contribution"
    ECONOMIC_WELLBEING = "economic_wellbeing"


class ReviewKind(StrEnum):
    REVIEW_CONFERENCE = "review_conference"
    CORE_GROUP = "core_group"
    LOOKED_AFTER_REVIEW = "looked_after_review"
    CHILD_IN_NEED_REVIEW = "child_in_need_review"


class ParticipantKind(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    FAMILY = "family"
    PRACTITIONER = "practitioner"
    AGENCY = "agency"


class Plan(Base):
    """A child's plan: one per child, its kind, and the dates its timetable runs from."""

    __tablename__ = "plans"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), unique=True)
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind, 20))
    #: The initial conference (CP), the day the child became looked after, or the plan start.
    started_on: Mapped[date] = mapped_column(Date)
    #: A child-in-need plan's next review, as the practitioner sets it.
    next_review_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number"
    )
    reviews: Mapped[list[PlanReview]] = relationship(
        order_by="PlanReview.held_on, PlanReview.id", lazy="selectin"
    )


class PlanVersion(Base):
    """One version: the draft (``agreed_at`` empty) or a version agreed and kept as it was."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Name and post title of whoever agreed it, at the time.
    agreed_by_label: Mapped[str | None] = mapped_column(String(400))
    #: The review at which it was agreed, if it was agreed at one.
    review_id: Mapped[int | None] = mapped_column(ForeignKey("plan_reviews.id"))

    plan: Mapped[Plan] = relationship(back_populates="versions")
    items: Mapped[list[PlanItem]] = relationship(order_by="PlanItem.id")
    actions: Mapped[list[PlanAction]] = relationship(order_by="PlanAction.id")
    words: Mapped[list[PlacedWords]] = relationship(order_by="PlacedWords.id")
    taken_out: Mapped[list[WordsTakenOut]] = relationship(order_by="WordsTakenOut.id")
    sign_offs: Mapped[list[PlanSignOff]] = relationship(order_by="PlanSignOff.id")

    @property
    def agreed(self) -> bool:
        return self.agreed_at is not None


class PlanItem(Base):
    """A line in one of the columns, or a person in the network and how they help."""

    __tablename__ = "plan_items"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    #: The same for a line and its copies in later versions, so versions can be compared.
    key: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    section: Mapped[Section] = mapped_column(str_enum(Section, 30))
    text: Mapped[str] = mapped_column(Text)
    #: For the network: who the person is (the text says how they help).
    who: Mapped[str | None] = mapped_column(String(200))
    #: Whose view the line gives: the child's, the family's, or the professionals'.
    voice: Mapped[Voice] = mapped_column(str_enum(Voice, 20), default=Voice.PROFESSIONAL)
    #: A short sentence the practitioner writes for the child, shown in the child's version.
    child_text: Mapped[str | None] = mapped_column(Text)
    show_to_child: Mapped[bool] = mapped_column(default=False)

    version: Mapped[PlanVersion] = relationship(back_populates="items")


class PlanAction(Base):
    """Something that needs to happen: who does it, by when, and what came of it."""

    __tablename__ = "plan_actions"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    #: The same for a line and its copies in later versions, so versions can be compared.
    key: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    what: Mapped[str] = mapped_column(Text)
    owner_kind: Mapped[OwnerKind] = mapped_column(str_enum(OwnerKind, 10))
    #: The staff member, family member or agency, named in text.
    owner_name: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, 20))
    not_done_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 30))
    planned_outcome: Mapped[str | None] = mapped_column(Text)
    actual_outcome: Mapped[str | None] = mapped_column(Text)
    child_text: Mapped[str | None] = mapped_column(Text)
    show_to_child: Mapped[bool] = mapped_column(default=False)

    version: Mapped[PlanVersion] = relationship(back_populates="actions")


class PlacedWords(Base):
    """A contribution placed in a section of a version; the words are read from it, verbatim."""

    __tablename__ = "plan_placed_words"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    section: Mapped[Section] = mapped_column(str_enum(Section, 30))
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    placed_by_label: Mapped[str] = mapped_column(String(400))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    child_text: Mapped[str | None] = mapped_column(Text)
    show_to_child: Mapped[bool] = mapped_column(default=False)

    version: Mapped[PlanVersion] = relationship(back_populates="words")


class WordsTakenOut(Base):
    """A version says that words placed in the one before were taken out, and why."""

    __tablename__ = "plan_words_taken_out"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    section: Mapped[Section] = mapped_column(str_enum(Section, 30))
    #: True when consent was withdrawn; False for any other reason they may not be shared.
    consent_withdrawn: Mapped[bool] = mapped_column(default=True)


class PlanReview(Base):
    """A review meeting: when, who was there, what changed. Never edited."""

    __tablename__ = "plan_reviews"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, 30))
    held_on: Mapped[date] = mapped_column(Date)
    what_changed: Mapped[str] = mapped_column(Text)
    recorded_by_label: Mapped[str] = mapped_column(String(400))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participants: Mapped[list[ReviewParticipant]] = relationship(
        order_by="ReviewParticipant.id", lazy="selectin"
    )
    decisions: Mapped[list[ReviewDecision]] = relationship(
        order_by="ReviewDecision.id", lazy="selectin"
    )
    scales: Mapped[list[ScaleRating]] = relationship(order_by="ScaleRating.id", lazy="selectin")


class ReviewParticipant(Base):
    __tablename__ = "plan_review_participants"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: False: invited but absent.
    present: Mapped[bool] = mapped_column(default=True)


class ReviewDecision(Base):
    """A decision made at a review; it is also written into the chronology."""

    __tablename__ = "plan_review_decisions"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(400))
    reasons: Mapped[str] = mapped_column(Text)
    record_entry_id: Mapped[int] = mapped_column(ForeignKey("record_entries.id"))


class ScaleRating(Base):
    """A participant's 0-10 safety scale at a review, with their reason."""

    __tablename__ = "plan_scale_ratings"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    participant_kind: Mapped[ParticipantKind] = mapped_column(str_enum(ParticipantKind, 20))
    participant_name: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    #: Shown in the child's space beside their own answers, when the practitioner chooses.
    show_to_child: Mapped[bool] = mapped_column(default=False)


class PlanSignOff(Base):
    """A manager's sign-off of an agreed version."""

    __tablename__ = "plan_sign_offs"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    signed_off_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_off_by_label: Mapped[str] = mapped_column(String(400))
    signed_off_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class AgreedVersionChanged(RuntimeError):
    """Code tried to change an agreed version or a review: history is never rewritten."""


append_only(
    PlanReview,
    ReviewParticipant,
    ReviewDecision,
    ScaleRating,
    PlanSignOff,
    WordsTakenOut,
    error=AgreedVersionChanged,
)
IN_A_VERSION = (PlanItem, PlanAction, PlacedWords)


def _was_agreed(version: PlanVersion) -> bool:
    history = inspect(version).attrs.agreed_at.history
    before = history.deleted[0] if history.deleted else version.agreed_at
    return before is not None and bool(inspect(version).persistent)


@event.listens_for(Session, "before_flush")
def guard_agreed_versions(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse changes to what was agreed: lines added, changed or removed (reviews and
    sign-offs are never changed at all: ``append_only`` above)."""
    for obj in session.new:
        if isinstance(obj, IN_A_VERSION):
            version = session.get(PlanVersion, obj.version_id)
            if version is not None and version.agreed_at is not None:
                raise AgreedVersionChanged(f"{type(obj).__name__} added to an agreed version")
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    for obj in changed:
        if isinstance(obj, PlanVersion) and _was_agreed(obj):
            raise AgreedVersionChanged(f"plan version {obj.id} was agreed")
        if isinstance(obj, IN_A_VERSION):
            version = session.get(PlanVersion, obj.version_id)
            if version is not None and version.agreed_at is not None:
                raise AgreedVersionChanged(f"{type(obj).__name__} {obj.id} is in an agreed version")
