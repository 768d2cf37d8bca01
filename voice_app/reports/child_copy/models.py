"""What goes into the child's copy of a report, and when it was given to the child.

Append-only: a line is taken out by a later row that names it (``removes_id``), and the
child sees the copy as it stood when it was last given to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from voice_app.core.db import Base, UTCDateTime, str_enum, utcnow
from voice_app.reports.models import AUTOINCREMENT, ReportSection


class ChildCopyLine(Base):
    """A line of the child's copy: a sentence written for the child, one of the child's
    own contributions from the report's child section, or the removal of an earlier line."""

    __tablename__ = "report_child_lines"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    #: The report section the line stands for in the child's copy.
    section: Mapped[ReportSection] = mapped_column(str_enum(ReportSection, 30))
    #: A short plain-language sentence the practitioner wrote for the child.
    body: Mapped[str | None] = mapped_column(Text)
    #: One of the child's own contributions, shown verbatim (a quote or a drawing).
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    #: The earlier line this row takes out of the copy.
    removes_id: Mapped[int | None] = mapped_column(ForeignKey("report_child_lines.id"))
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_by_label: Mapped[str] = mapped_column(String(400))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChildCopyGiven(Base):
    """The child's copy given to the child: from then they see it as it stood."""

    __tablename__ = "report_child_copies"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    #: The newest line id included when given (lines are append-only, ids only grow).
    up_to_line_id: Mapped[int] = mapped_column(default=0)
    given_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
