"""Around the meeting: spoken family comments, who attended, giving the final report to
those who did not, and the signed-off report's stored PDF in the chronology.

All append-only: a correction is a new row. The one value ever filled in later is
``SpokenComment.comment_id``, once, when the family member confirms their words.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from voice_app.core.db import Base, UTCDateTime, append_only, str_enum, utcnow
from voice_app.reports.models import AUTOINCREMENT, ReportHistoryChanged, ReportSection, Stance


class SpokenComment(Base):
    """A family member's comment spoken instead of typed: their recording (a family
    contribution, transcribed by the same Whisper path) waits here until they confirm
    the words, which then become the ``ReportComment``."""

    __tablename__ = "report_spoken_comments"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    section: Mapped[ReportSection] = mapped_column(str_enum(ReportSection, 30))
    #: Empty for the family's own section.
    stance: Mapped[Stance | None] = mapped_column(str_enum(Stance, 20))
    family_member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id"))
    #: The recording, kept as the family member's own contribution.
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), unique=True)
    #: The comment made from the confirmed words; empty until they confirm.
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("report_comments.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingAttendance(Base):
    """Whether one invited person attended the meeting; the newest row about a person counts."""

    __tablename__ = "report_meeting_attendances"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    #: A family member on the child's record; empty for anyone else.
    family_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    name: Mapped[str] = mapped_column(String(400))
    #: Their part, as written: "mother", "class teacher, Hill Primary".
    role: Mapped[str | None] = mapped_column(String(400))
    attended: Mapped[bool] = mapped_column()
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_by_label: Mapped[str] = mapped_column(String(400))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportGiving(Base):
    """The signed-off report given to someone invited who did not attend."""

    __tablename__ = "report_givings"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    #: A family member's account: they read it in their space, filtered for them.
    family_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_accounts.id"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(400))
    #: How it was given, for the record: "in their family space", "posted to school".
    how: Mapped[str] = mapped_column(Text)
    given_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    given_by_label: Mapped[str] = mapped_column(String(400))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignedOffPdf(Base):
    """The PDF made at sign-off, encrypted in the media store, on the chronology entry.

    ``point_ids`` and ``word_ids`` say what of the record it holds, so it is served only
    to a reader who may see all of that; anyone else gets a copy made for them."""

    __tablename__ = "report_signed_off_pdfs"
    __table_args__ = (UniqueConstraint("version_id"), AUTOINCREMENT)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    record_entry_id: Mapped[int] = mapped_column(ForeignKey("record_entries.id"), index=True)
    pdf_media_id: Mapped[str] = mapped_column(String(32))
    #: Analysis points printed in it, each with the entry numbers beside it ("12:3,4"),
    #: space-separated.
    point_ids: Mapped[str] = mapped_column(Text, default="")
    #: The child's contributions printed in it, space-separated.
    word_ids: Mapped[str] = mapped_column(Text, default="")
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


append_only(MeetingAttendance, ReportGiving, SignedOffPdf, error=ReportHistoryChanged)
# A spoken comment's link to its comment is filled in once, when the words are confirmed.
append_only(
    SpokenComment,
    error=ReportHistoryChanged,
    changed="spoken comment {id} is never changed",
    deleted="spoken comment {id} is never deleted",
    fill_once={"comment_id"},
)
