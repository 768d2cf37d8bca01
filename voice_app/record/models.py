"""The professional record: append-only entries, consent decisions, the confidential section.

Nothing here is ever updated in place. A correction is a new entry pointing at the one it
corrects; a withdrawal of consent is a new decision; a placement in the confidential
section is a row of its own. ``core.db.append_only`` refuses any ORM update or delete
of these rows; only the retention purge removes them, with bulk statements and an audit
tombstone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.accounts.models import User
from voice_app.contributions.models import AuthorKind, Contribution
from voice_app.core.db import Base, UTCDateTime, append_only, str_enum, utcnow


class EntryKind(StrEnum):
    CASE_NOTE = "case_note"
    CONTACT = "contact"
    ASSESSMENT = "assessment"
    DECISION = "decision"
    #: A child's or family member's own contribution, attached with a consent decision.
    CONTRIBUTION = "contribution"


class Classification(StrEnum):
    """What kind of statement an entry makes: records keep fact and opinion apart."""

    FACT = "fact"
    OPINION = "opinion"
    ASSESSMENT = "assessment"
    JUDGEMENT = "judgement"
    DECISION = "decision"


class Source(StrEnum):
    FIRST_HAND = "first_hand"
    #: Someone told the author; ``source_detail`` says who.
    THIRD_PARTY = "third_party"


class RecordEntry(Base):
    """One entry in a child's chronology, numbered in sequence per child."""

    __tablename__ = "record_entries"
    __table_args__ = (
        UniqueConstraint("child_id", "sequence", name="uq_record_entries_child_id_sequence"),
        Index("ix_record_entries_child_id_occurred_at", "child_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    #: 1, 2, 3 ... per child, in the order entries were recorded.
    sequence: Mapped[int] = mapped_column()
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind, 20))
    #: The author's words; for a contribution, the practitioner's note about it (may be empty).
    body: Mapped[str] = mapped_column(Text, default="")
    #: When what the entry describes happened.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When it was written down.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The author's name and post title as they were when the entry was written.
    author_name: Mapped[str] = mapped_column(String(200))
    author_post_title: Mapped[str] = mapped_column(String(200))
    classification: Mapped[Classification] = mapped_column(str_enum(Classification, 20))
    source: Mapped[Source] = mapped_column(str_enum(Source, 20))
    #: Who said it, for third-party information.
    source_detail: Mapped[str | None] = mapped_column(Text)
    #: The third party agreed that what they said may be disclosed (subject access).
    source_consents_to_disclosure: Mapped[bool] = mapped_column(default=False)
    #: For decisions: who made the decision and why (both required).
    decision_maker: Mapped[str | None] = mapped_column(String(300))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    #: Recorded later than the late-entry threshold after the event; the reason is required.
    is_late: Mapped[bool] = mapped_column(default=False)
    late_reason: Mapped[str | None] = mapped_column(Text)
    #: The entry this one corrects; the corrected entry stays readable.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("record_entries.id"), index=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    #: For kind "contribution": the contribution, and its words verbatim as attached.
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"), index=True)
    contribution_words: Mapped[str | None] = mapped_column(Text)
    contribution_author: Mapped[AuthorKind | None] = mapped_column(str_enum(AuthorKind, 30))
    #: The consent decision made when the contribution was attached.
    consent_decision_id: Mapped[int | None] = mapped_column(ForeignKey("consent_decisions.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    corrects: Mapped[RecordEntry | None] = relationship(remote_side=[id])
    contribution: Mapped[Contribution | None] = relationship()
    consent_decision: Mapped[ConsentDecision | None] = relationship()


class ConsentFrom(StrEnum):
    CHILD = "child"
    #: A family member with parental responsibility; ``family_member_id`` says who.
    PARENT = "parent"


class ConsentAnswer(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"
    WITHDRAWN = "withdrawn"


class ShareWithoutConsentReason(StrEnum):
    """Why information is shared although consent was refused or not sought."""

    RISK_OF_SIGNIFICANT_HARM = "risk_of_significant_harm"
    PREVENT_OR_DETECT_CRIME = "prevent_or_detect_crime"
    SEEKING_CONSENT_WOULD_PLACE_AT_RISK = "seeking_consent_would_place_at_risk"
    COURT_ORDER_OR_STATUTORY_DUTY = "court_order_or_statutory_duty"
    LACKS_CAPACITY_AND_BEST_INTERESTS = "lacks_capacity_and_best_interests"


class ConsentDecision(Base):
    """A decision about sharing one contribution, with its reasons. Never edited.

    The newest decision for a contribution is the one in force; earlier ones stay as history.
    """

    __tablename__ = "consent_decisions"
    __table_args__ = (Index("ix_consent_decisions_contribution_id_id", "contribution_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    consent_from: Mapped[ConsentFrom] = mapped_column(str_enum(ConsentFrom, 10))
    family_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    #: What information the decision is about, in the practitioner's words.
    information: Mapped[str] = mapped_column(Text)
    share_with_family: Mapped[bool] = mapped_column(default=False)
    #: When shared with the family: the one family member it is shared with (two parents
    #: who live apart, say); empty for all the family.
    shared_with_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    share_with_meeting: Mapped[bool] = mapped_column(default=False)
    share_with_agencies: Mapped[bool] = mapped_column(default=False)
    #: The agencies by name, when shared with agencies.
    agencies: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[ConsentAnswer] = mapped_column(str_enum(ConsentAnswer, 20))
    decided_on: Mapped[date] = mapped_column(Date)
    #: Shared although consent was refused or not sought: the reasons below are required.
    shared_without_consent: Mapped[bool] = mapped_column(default=False)
    reason_category: Mapped[ShareWithoutConsentReason | None] = mapped_column(
        str_enum(ShareWithoutConsentReason, 50)
    )
    #: The reasons for this decision to share or not to share, in full.
    reasons: Mapped[str | None] = mapped_column(Text)
    decision_maker: Mapped[str | None] = mapped_column(String(300))
    manager_consulted: Mapped[bool | None] = mapped_column()
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_by_label: Mapped[str] = mapped_column(String(400))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship()
    contribution: Mapped[Contribution] = relationship()

    @property
    def permits_sharing(self) -> bool:
        """Whether this decision lets the contribution go beyond the professional record."""
        if self.answer is ConsentAnswer.GIVEN:
            return True
        return self.shared_without_consent and self.answer in (
            ConsentAnswer.REFUSED,
            ConsentAnswer.NOT_SOUGHT,
        )


class ConfidentialReason(StrEnum):
    SERIOUS_HARM = "serious_harm"
    GIVEN_IN_CONFIDENCE = "given_in_confidence"
    THIRD_PARTY_REQUEST = "third_party_request"


class ConfidentialPlacement(Base):
    """An entry or a contribution placed in the confidential section, and why."""

    __tablename__ = "confidential_placements"
    __table_args__ = (
        CheckConstraint("(entry_id IS NULL) <> (contribution_id IS NULL)", name="one_thing_placed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("record_entries.id"), unique=True, index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id"), unique=True, index=True
    )
    reason: Mapped[ConfidentialReason] = mapped_column(str_enum(ConfidentialReason, 30))
    note: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_by_label: Mapped[str] = mapped_column(String(400))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_on: Mapped[date] = mapped_column(Date)

    placed_by: Mapped[User] = relationship()


class ConfidentialAccessGrant(Base):
    """Permission to read one child's confidential section, given by a manager.

    It is never implied by access to the case; a grant ends when ``revoked_at`` is set
    (the one column that changes, so the grant's history stays in one row).
    """

    __tablename__ = "confidential_access_grants"
    __table_args__ = (
        Index("ix_confidential_access_grants_child_id_user_id", "child_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why the manager ended the grant.
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])


class RequesterKind(StrEnum):
    #: The child, when of sufficient understanding.
    CHILD = "child"
    #: A family member with parental responsibility.
    PARENT = "parent"


class SubjectAccessStatus(StrEnum):
    REQUESTED = "requested"
    AUTHORISED = "authorised"
    PRODUCED = "produced"
    FAILED = "failed"


class SubjectAccessRequest(Base):
    """A person's request for their record: requested, authorised by a manager, produced."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    requester_kind: Mapped[RequesterKind] = mapped_column(str_enum(RequesterKind, 10))
    family_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    #: The language the export is written in.
    language: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SubjectAccessStatus] = mapped_column(str_enum(SubjectAccessStatus, 20))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    authorised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Encrypted files in the media store: the PDF, and the zip of the PDF with media.
    pdf_media_id: Mapped[str | None] = mapped_column(String(32))
    zip_media_id: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    authorised_by: Mapped[User | None] = relationship(foreign_keys=[authorised_by_id])


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete a record entry, consent decision or placement."""


#: Nothing about these rows is ever changed or deleted by the ORM (``core.db.append_only``).
append_only(
    RecordEntry,
    ConsentDecision,
    ConfidentialPlacement,
    error=AppendOnlyViolation,
    changed="{name} {id} is append-only",
)
