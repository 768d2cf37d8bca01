"""Invitations into a child's space: made by a practitioner, opened by the child."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from voice_app.accounts.models import Invitation, User
from voice_app.accounts.services import password_hasher
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.extensions import db

#: No 0/O, 1/I/L: a child copies the code from paper or a screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class CaseClosed(ValueError):
    """A closed case takes no new invitation or handover."""


@dataclass(frozen=True)
class NewInvitation:
    """What is shown once to the practitioner; only hashes are kept."""

    invitation: Invitation
    token: str
    code: str

    @property
    def display_code(self) -> str:
        return display_code(self.code)


def display_code(code: str) -> str:
    """A short code as people copy it: ``K7QF-4MZP``."""
    return f"{code[:4]}-{code[4:]}"


def new_secrets() -> tuple[str, str]:
    """A fresh link token and short code; the family's invitations use the same ones."""
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return token, code


def digest(secret: str) -> str:
    """The keyed hash under which a token or code is stored."""
    return _digest(secret)


def _digest(secret: str) -> str:
    # Keyed, so a copy of the database alone does not let anyone test codes offline.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def normalise_code(typed: str) -> str:
    """What a child typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def create_invitation(
    child: Child, purpose: str, created_by: User, expires_in: timedelta
) -> NewInvitation:
    """Make an invitation for ``child`` valid for ``expires_in``; never for a closed case."""
    if child.closed_at is not None or child.purged_at is not None:
        raise CaseClosed(child.id)
    token, code = new_secrets()
    invitation = Invitation(
        child_id=child.id,
        purpose=purpose.strip(),
        token_hash=_digest(token),
        code_hash=_digest(code),
        expires_at=utcnow() + expires_in,
        created_by_id=created_by.id,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        AuditAction.INVITATION_CREATED, child_id=child.id, target=f"invitation:{invitation.id}"
    )
    return NewInvitation(invitation, token, code)


def still_opens(invitation: Invitation, child: Child | None = None) -> bool:
    """Whether the invitation still leads into the child's space: valid, and the case open."""
    child = child or db.session.get(Child, invitation.child_id)
    return (
        invitation.usable_at(utcnow())
        and child is not None
        and child.closed_at is None
        and child.purged_at is None
    )


def _usable(column: InstrumentedAttribute[str], secret: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(column == _digest(secret)))
    if invitation is None or not still_opens(invitation):
        return None
    return invitation


def open_by_token(token: str) -> Invitation | None:
    """The usable invitation behind a link, if any; audited when used."""
    return _opened(_usable(Invitation.token_hash, token))


def open_by_code(typed_code: str) -> Invitation | None:
    """The usable invitation behind a typed code, if any; audited when used."""
    code = normalise_code(typed_code)
    if len(code) != CODE_LENGTH:
        return None
    return _opened(_usable(Invitation.code_hash, code))


def _opened(invitation: Invitation | None) -> Invitation | None:
    if invitation is not None:
        invitation.last_used_at = utcnow()
        audit.record(
            AuditAction.INVITATION_OPENED,
            child_id=invitation.child_id,
            target=f"invitation:{invitation.id}",
        )
    return invitation


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()
    audit.record(
        AuditAction.INVITATION_REVOKED,
        child_id=invitation.child_id,
        target=f"invitation:{invitation.id}",
    )


def invitations_for(child: Child) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.child_id == child.id)
            .order_by(Invitation.created_at.desc())
        )
    )


#: The pictures a child chooses a PIN from (file names in static/img/pictures/).
PIN_PICTURES = ("cat", "dog", "sun", "star", "tree", "car", "fish", "ball", "flower")
PIN_LENGTH = 3
MAX_PIN_FAILURES = 5


class PinOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    #: Too many wrong tries: the invitation no longer works.
    LOCKED = "locked"


def valid_pin(pictures: list[str]) -> bool:
    return len(pictures) == PIN_LENGTH and all(p in PIN_PICTURES for p in pictures)


def set_pin(invitation: Invitation, pictures: list[str]) -> None:
    """Keep (a hash of) the three pictures the child chose, in order."""
    if not valid_pin(pictures):
        raise ValueError("a picture PIN is three of the offered pictures")
    invitation.pin_hash = password_hasher().hash("|".join(pictures))
    invitation.pin_failures = 0
    audit.record(
        AuditAction.PICTURE_PIN_SET,
        child_id=invitation.child_id,
        target=f"invitation:{invitation.id}",
    )


def check_pin(invitation: Invitation, pictures: list[str]) -> PinOutcome:
    """Compare a try with the child's PIN; after too many wrong tries, stop the invitation."""
    if invitation.pin_hash is None or not invitation.usable_at(utcnow()):
        return PinOutcome.LOCKED
    try:
        if valid_pin(pictures) and password_hasher().verify(
            invitation.pin_hash, "|".join(pictures)
        ):
            invitation.pin_failures = 0
            return PinOutcome.OK
    except (VerificationError, InvalidHashError):
        pass
    invitation.pin_failures += 1
    if invitation.pin_failures >= MAX_PIN_FAILURES:
        revoke(invitation)
        return PinOutcome.LOCKED
    return PinOutcome.WRONG


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)
