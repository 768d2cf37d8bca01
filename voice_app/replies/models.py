"""Replies to the child: what the practitioner tells them happened because they spoke.

Replies are append-only: a new reply supersedes the one before, which stays in the
history. The newest reply to a contribution is the one the child sees.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from voice_app.core.db import Base, UTCDateTime, append_only, utcnow


class ChildReply(Base):
    """One reply to one contribution, in words for the child. Never edited or deleted
    (except by the retention purge, which removes the whole record)."""

    __tablename__ = "child_replies"
    __table_args__ = (
        # The current reply to a contribution is its newest row.
        Index("ix_child_replies_contribution_id_id", "contribution_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    #: The words the child sees and hears, written for them.
    text: Mapped[str] = mapped_column(Text)
    #: The language ``text`` is written in, as a locale code.
    language: Mapped[str] = mapped_column(String(10))
    #: What was done, in the practitioner's words, for the record.
    what_we_did: Mapped[str | None] = mapped_column(Text)
    #: The plan action the reply is about: its key, which stays the same in every version.
    plan_action_key: Mapped[str | None] = mapped_column(String(32))
    #: The reply this one replaces, if any; the replaced one stays in the history.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("child_replies.id"))
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and post title at the time.
    written_by_label: Mapped[str] = mapped_column(String(400))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReplyRewritten(RuntimeError):
    """Code tried to change or delete a reply: a new reply supersedes it instead."""


# History is never rewritten.
append_only(ChildReply, error=ReplyRewritten, changed="reply {id} is append-only")
