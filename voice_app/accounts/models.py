"""Staff users and the teams they work in."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice_app.core.db import Base, UTCDateTime, str_enum, utcnow
from voice_app.core.permissions import Permission, Role, role_has


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.name")


class User(UserMixin, Base):
    """A member of staff who signs in with email and password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Job title as it should appear beside their entries, e.g. "Senior Social Worker".
    post_title: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Preferred interface language; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    #: Part of every session's id; replacing it signs the user out on every device.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def can(self, permission: Permission | str) -> bool:
        """Whether this person's role carries ``permission``; an unknown name raises."""
        return role_has(self.role, permission)

    @property
    def display(self) -> str:
        """Name and post title, as attribution shows them."""
        return f"{self.name}, {self.post_title}"


class EndedSignIn(Base):
    """A sign-in on one device that was ended by signing out (``accounts.sign_ins``).

    Only a random id and a time: nothing here names a person, so nothing here needs purging.
    """

    __tablename__ = "ended_sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The random id the sign-in's session cookie carries.
    sign_in: Mapped[str] = mapped_column(String(32), unique=True)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Invitation(Base):
    """A way in to one child's space: a link (shown as a QR code) and a short code.

    Only hashes are stored; the link and code are shown once, when the invitation is made.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    #: Why the child is invited, in the practitioner's words: "before my meeting on 3 March".
    purpose: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Argon2 hash of the three pictures the child chose, in order; None until they choose.
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    #: Wrong picture PINs in a row; too many and the invitation stops working.
    pin_failures: Mapped[int] = mapped_column(default=0)

    created_by: Mapped[User] = relationship()

    def usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and moment < self.expires_at
