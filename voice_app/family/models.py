"""Family members' own accounts (never staff users) and the invitations that open them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.accounts.models import User, new_session_token
from voice_app.children.models import Child, FamilyMember
from voice_app.core.db import Base, UTCDateTime, utcnow


class FamilyAccount(Base):
    """A way in for one family member already on a child's record.

    It has no email or phone: the family member chooses a sign-in name and a password or
    passphrase when they open their invitation.
    """

    __tablename__ = "family_accounts"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Deleted with the family member: the retention purge removes family members in bulk.
    family_member_id: Mapped[int] = mapped_column(
        ForeignKey("family_members.id", ondelete="CASCADE"), unique=True
    )
    #: The child whose record the family member is on (copied from the family member).
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    #: Chosen by the family member, in lower case; None until the first invitation is opened.
    sign_in_name: Mapped[str | None] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: The family member's own interface language; None follows their record's language.
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    #: Part of every family session; replacing it signs them out on every device.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    #: Why a carer without parental responsibility was given an account, in the
    #: practitioner's words; None for a parent with parental responsibility.
    reason_for_access: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    family_member: Mapped[FamilyMember] = relationship()
    #: Loaded with the account on every family request (``load_account``): the session's
    #: identity map keeps only what something holds, and the page reads the child again.
    child: Mapped[Child] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def ready(self) -> bool:
        """Whether the family member has set their sign-in name and passphrase."""
        return self.sign_in_name is not None and self.password_hash is not None


class FamilyInvitation(Base):
    """A link and a short code that let a family member set (or reset) their passphrase.

    Only hashes are stored. A newer invitation ends every older one for the same account.
    """

    __tablename__ = "family_invitations"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("family_accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the family member set their passphrase with it; it works once.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[FamilyAccount] = relationship()

    def usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.used_at is None and moment < self.expires_at
