"""Reports about a child for a meeting: versions, sections, the child's words, sharing
the draft with the family, their comments and the practitioner's answers, sign-off.

Everything is append-only. A section's text is a row per change (the newest is the
current one); a new version starts as a copy of the one before. A signed-off version is
never changed (``guard_reports``). What a family member writes (``ReportComment``,
``ReportFinalView``) is never changed by anyone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from voice_app.core.db import Base, UTCDateTime, append_only, str_enum, utcnow

AUTOINCREMENT = {"sqlite_autoincrement": True}


class ReportKind(StrEnum):
    CP_INITIAL_CONFERENCE = "cp_initial_conference"
    CP_REVIEW_CONFERENCE = "cp_review_conference"
    CHILD_IN_NEED_REVIEW = "child_in_need_review"
    LOOKED_AFTER_REVIEW = "looked_after_review"
    ASSESSMENT = "assessment"


class ReportSection(StrEnum):
    REASON = "reason"
    WORRIED = "worried"
    WORKING_WELL = "working_well"
    NEEDS_TO_HAPPEN = "needs_to_happen"
    CHILD_VIEWS = "child_views"
    FAMILY_VIEWS = "family_views"
    ANALYSIS = "analysis"
    RECOMMENDATIONS = "recommendations"
    PROGRESS = "progress"
    CARE_PLAN = "care_plan"
    DEVELOPMENT = "development"
    PARENTING = "parenting"
    FAMILY_ENVIRONMENT = "family_environment"


COMMON = [
    ReportSection.WORRIED,
    ReportSection.WORKING_WELL,
    ReportSection.NEEDS_TO_HAPPEN,
    ReportSection.CHILD_VIEWS,
    ReportSection.FAMILY_VIEWS,
    ReportSection.ANALYSIS,
    ReportSection.RECOMMENDATIONS,
]

#: Each kind's sections, in the order the report prints them.
SECTIONS: dict[ReportKind, list[ReportSection]] = {
    ReportKind.CP_INITIAL_CONFERENCE: [ReportSection.REASON, *COMMON],
    ReportKind.CP_REVIEW_CONFERENCE: [ReportSection.REASON, ReportSection.PROGRESS, *COMMON],
    ReportKind.CHILD_IN_NEED_REVIEW: [ReportSection.PROGRESS, *COMMON],
    ReportKind.LOOKED_AFTER_REVIEW: [ReportSection.CARE_PLAN, ReportSection.PROGRESS, *COMMON],
    ReportKind.ASSESSMENT: [
        ReportSection.REASON,
        ReportSection.DEVELOPMENT,
        ReportSection.PARENTING,
        ReportSection.FAMILY_ENVIRONMENT,
        *COMMON,
    ],
}

#: Sections the practitioner writes as free text (the others are composed).
WRITTEN = frozenset(set(ReportSection) - {ReportSection.CHILD_VIEWS, ReportSection.FAMILY_VIEWS})

#: Working days before the meeting by which the draft reaches the family (published
#: procedures: 3 before an initial conference, 5 before a review).
SHARE_DAYS: dict[ReportKind, int] = {
    ReportKind.CP_INITIAL_CONFERENCE: 3,
    ReportKind.CP_REVIEW_CONFERENCE: 5,
    ReportKind.CHILD_IN_NEED_REVIEW: 5,
    ReportKind.LOOKED_AFTER_REVIEW: 5,
    ReportKind.ASSESSMENT: 3,
}


class PointKind(StrEnum):
    """How a line of the analysis is marked: the three of the record's classifications
    (``record.models.Classification``, same values) that an analysis line may carry. Kept
    apart on purpose: the record's also has assessment and decision, which this type (the
    column, ``drafting.add_point``) refuses, and the form's choices are built from it."""

    FACT = "fact"
    OPINION = "opinion"
    JUDGEMENT = "judgement"


class Stance(StrEnum):
    AGREE = "agree"
    PARTLY_AGREE = "partly_agree"
    DISAGREE = "disagree"


class AnswerOutcome(StrEnum):
    CHANGED = "changed"
    KEPT = "kept"


class Report(Base):
    """A report about one child for one meeting."""

    __tablename__ = "reports"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, 30))
    meeting_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number"
    )


class ReportVersion(Base):
    """One version: a draft, or signed off by a manager and kept as it was."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Why the report holds no word from the child, when it holds none.
    no_child_words_reason: Mapped[str | None] = mapped_column(Text)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_by_label: Mapped[str | None] = mapped_column(String(400))
    #: The chronology entry the signed-off report became.
    record_entry_id: Mapped[int | None] = mapped_column(ForeignKey("record_entries.id"))

    report: Mapped[Report] = relationship(back_populates="versions")
    texts: Mapped[list[ReportText]] = relationship(order_by="ReportText.id")
    points: Mapped[list[AnalysisPoint]] = relationship(order_by="AnalysisPoint.id")
    decisions: Mapped[list[ReportDecision]] = relationship(order_by="ReportDecision.id")
    words: Mapped[list[ReportWords]] = relationship(order_by="ReportWords.id")


class ReportText(Base):
    """A section's text as written at one moment; the newest row is the current text."""

    __tablename__ = "report_texts"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    section: Mapped[ReportSection] = mapped_column(str_enum(ReportSection, 30))
    body: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The family comment this text answers, when it was changed because of one.
    answers_comment_id: Mapped[int | None] = mapped_column(ForeignKey("report_comments.id"))


class AnalysisPoint(Base):
    """A line of the practitioner's analysis: fact, opinion or judgement, and its entries."""

    __tablename__ = "report_analysis_points"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    kind: Mapped[PointKind] = mapped_column(str_enum(PointKind, 20))
    body: Mapped[str] = mapped_column(Text)
    #: Record entry ids it rests on, space-separated (each one the writer may see).
    entry_ids: Mapped[str] = mapped_column(String(400), default="")


class ReportDecision(Base):
    """A recommendation or decision: what, who decided, and why."""

    __tablename__ = "report_decisions"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(400))
    reasons: Mapped[str] = mapped_column(Text)


class ReportWords(Base):
    """One of the child's contributions chosen for the child's section, shown verbatim."""

    __tablename__ = "report_words"
    __table_args__ = (UniqueConstraint("version_id", "contribution_id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    #: A caption for a drawing, in the child's words where they gave one.
    caption: Mapped[str | None] = mapped_column(String(400))


class ReportShare(Base):
    """The draft shared with one family member, by a deadline before the meeting."""

    __tablename__ = "report_shares"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    family_account_id: Mapped[int] = mapped_column(ForeignKey("family_accounts.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    #: Empty while it is planned; the day it reached the family once shared.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportComment(Base):
    """A family member's words on a section (or the family's own section): never changed."""

    __tablename__ = "report_comments"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    section: Mapped[ReportSection] = mapped_column(str_enum(ReportSection, 30))
    family_member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id"))
    #: How the comment is attributed, at the time: "Claire Thompson (mother)".
    author_label: Mapped[str] = mapped_column(String(400))
    #: Empty for the family's own section.
    stance: Mapped[Stance | None] = mapped_column(str_enum(Stance, 20))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportAnswer(Base):
    """The practitioner's answer to a comment: changed (with the new text) or kept (why)."""

    __tablename__ = "report_answers"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("report_comments.id"), index=True)
    outcome: Mapped[AnswerOutcome] = mapped_column(str_enum(AnswerOutcome, 20))
    body: Mapped[str] = mapped_column(Text)
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_by_label: Mapped[str] = mapped_column(String(400))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportFinalView(Base):
    """Whether a family member agrees with the signed-off report, and in their words why."""

    __tablename__ = "report_final_views"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), index=True)
    family_member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id"))
    author_label: Mapped[str] = mapped_column(String(400))
    agrees: Mapped[bool] = mapped_column()
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportHistoryChanged(RuntimeError):
    """Code tried to rewrite a report's history or a family member's words."""


append_only(ReportText, ReportComment, ReportAnswer, ReportFinalView, error=ReportHistoryChanged)
IN_A_VERSION = (ReportText, AnalysisPoint, ReportDecision, ReportWords)


def _signed(session: Session, version_id: int | None) -> bool:
    version = session.get(ReportVersion, version_id) if version_id else None
    return version is not None and version.signed_off_at is not None


@event.listens_for(Session, "before_flush")
def guard_reports(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse changes to a signed-off version (what is never changed at all is refused by
    ``append_only``)."""
    for obj in session.new:
        if isinstance(obj, IN_A_VERSION) and _signed(session, obj.version_id):
            raise ReportHistoryChanged(f"{type(obj).__name__} added to a signed-off report")
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    for obj in changed:
        if isinstance(obj, IN_A_VERSION) and _signed(session, obj.version_id):
            raise ReportHistoryChanged(f"{type(obj).__name__} {obj.id} is signed off")
        if isinstance(obj, ReportVersion) and obj in session.deleted:
            raise ReportHistoryChanged(f"report version {obj.id} is never deleted")


# The tables around the meeting live beside these; importing them here puts them in the
# metadata wherever the report models are loaded.
from voice_app.reports import meeting_models  # noqa: E402,F401
