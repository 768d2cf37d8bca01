"""Family accounts: invitations, the passphrase, signing in, lockout and settings.

A family account is never a staff user. It is opened by an invitation (a link and a short
code, made the same way as the child's), and kept by a sign-in name and a password or
passphrase the family member chooses: no email, no phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from voice_app.accounts import invitations as shared_codes
from voice_app.accounts.models import User, new_session_token
from voice_app.accounts.services import password_hasher
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import Child, FamilyMember
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount, FamilyInvitation
from voice_app.i18n import LANGUAGES

SIGN_IN_NAME_LENGTH = (3, 60)
PASSPHRASE_MIN_LENGTH = 10


class ReasonNeeded(ValueError):
    """A carer without parental responsibility gets an account only with a recorded reason."""


class SignInNameTaken(ValueError):
    """Another family account already uses this sign-in name."""


@dataclass(frozen=True)
class NewFamilyInvitation:
    """What is shown once to the practitioner; only hashes are kept."""

    invitation: FamilyInvitation
    token: str
    code: str

    @property
    def display_code(self) -> str:
        return shared_codes.display_code(self.code)


def normalise_name(name: str) -> str:
    return name.strip().lower()


def account_for(member: FamilyMember) -> FamilyAccount | None:
    return db.session.scalar(
        select(FamilyAccount).where(FamilyAccount.family_member_id == member.id)
    )


def accounts_by_member(child: Child) -> dict[int, FamilyAccount]:
    """The family accounts of a child's family members, by family member id."""
    rows = db.session.scalars(select(FamilyAccount).where(FamilyAccount.child_id == child.id))
    return {account.family_member_id: account for account in rows}


def invite(
    member: FamilyMember, reason: str | None, created_by: User, expires_in: timedelta
) -> NewFamilyInvitation:
    """Make (or renew) a family member's account and an invitation to set its passphrase.

    A newer invitation ends every older one: a lost slip of paper stops working. The
    account, its sign-in name and its contributions stay.
    """
    reason = (reason or "").strip() or None
    if not member.parental_responsibility and reason is None:
        raise ReasonNeeded(member.id)
    account = account_for(member)
    if account is None:
        account = FamilyAccount(
            family_member_id=member.id,
            child_id=member.child_id,
            locale=member.preferred_language if member.preferred_language in LANGUAGES else None,
            created_by_id=created_by.id,
        )
        db.session.add(account)
    account.reason_for_access = None if member.parental_responsibility else reason
    account.active = True
    db.session.flush()
    now = utcnow()
    for older in db.session.scalars(
        select(FamilyInvitation).where(
            FamilyInvitation.account_id == account.id,
            FamilyInvitation.revoked_at.is_(None),
            FamilyInvitation.used_at.is_(None),
        )
    ):
        older.revoked_at = now
    token, code = shared_codes.new_secrets()
    invitation = FamilyInvitation(
        account_id=account.id,
        token_hash=shared_codes.digest(token),
        code_hash=shared_codes.digest(code),
        expires_at=now + expires_in,
        created_by_id=created_by.id,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        AuditAction.FAMILY_ACCOUNT_INVITED,
        child_id=member.child_id,
        target=f"family_account:{account.id}",
        details={"invitation": invitation.id, "with_reason": reason is not None},
        actor=created_by,
    )
    return NewFamilyInvitation(invitation, token, code)


def _usable(column: InstrumentedAttribute[str], secret: str) -> FamilyInvitation | None:
    invitation = db.session.scalar(
        select(FamilyInvitation).where(column == shared_codes.digest(secret))
    )
    if invitation is None or not invitation.usable_at(utcnow()):
        return None
    if not _child_is_open(invitation.account.child_id):
        return None
    return invitation


def open_by_token(token: str) -> FamilyInvitation | None:
    """The usable invitation behind a link, if any; audited when found."""
    return _opened(_usable(FamilyInvitation.token_hash, token))


def open_by_code(typed: str) -> FamilyInvitation | None:
    """The usable invitation behind a typed code, if any; audited when found."""
    code = shared_codes.normalise_code(typed)
    if len(code) != shared_codes.CODE_LENGTH:
        return None
    return _opened(_usable(FamilyInvitation.code_hash, code))


def _opened(invitation: FamilyInvitation | None) -> FamilyInvitation | None:
    if invitation is not None:
        audit.record(
            AuditAction.FAMILY_INVITATION_OPENED,
            child_id=invitation.account.child_id,
            target=f"family_account:{invitation.account_id}",
        )
    return invitation


def get_usable_invitation(invitation_id: int) -> FamilyInvitation | None:
    invitation = db.session.get(FamilyInvitation, invitation_id)
    if invitation is None or not invitation.usable_at(utcnow()):
        return None
    return invitation


def set_passphrase(invitation: FamilyInvitation, sign_in_name: str, passphrase: str) -> None:
    """Keep the family member's sign-in name and (a hash of) their passphrase.

    The invitation is spent, and any session signed in with the old passphrase ends.
    """
    account = invitation.account
    name = normalise_name(sign_in_name)
    taken = db.session.scalar(
        select(FamilyAccount.id).where(
            FamilyAccount.sign_in_name == name, FamilyAccount.id != account.id
        )
    )
    if taken is not None:
        raise SignInNameTaken(name)
    account.sign_in_name = name
    account.password_hash = password_hasher().hash(passphrase)
    account.session_token = new_session_token()
    invitation.used_at = utcnow()
    audit.record(
        AuditAction.FAMILY_PASSPHRASE_SET,
        child_id=account.child_id,
        target=f"family_account:{account.id}",
    )


class FamilyLoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"


@dataclass(frozen=True)
class FamilyLoginResult:
    outcome: FamilyLoginOutcome
    account: FamilyAccount | None = None


def _failure_target(name: str) -> str:
    return f"family:{normalise_name(name)[:90]}"


def recent_failures(sign_in_name: str) -> int:
    """Failed family sign-ins for this name within the staff lockout window (audit log)."""
    since = utcnow() - current_app.config["LOGIN_LOCKOUT_WINDOW"]
    return (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == AuditAction.FAMILY_LOGIN_FAILED,
                AuditEntry.target == _failure_target(sign_in_name),
                AuditEntry.occurred_at >= since,
            )
        )
        or 0
    )


def _child_is_open(child_id: int) -> bool:
    child = db.session.get(Child, child_id)
    return child is not None and child.closed_at is None and child.purged_at is None


def authenticate(sign_in_name: str, passphrase: str) -> FamilyLoginResult:
    """Check a family sign-in, audit it, and lock the name after too many failures."""
    target = _failure_target(sign_in_name)
    if recent_failures(sign_in_name) >= current_app.config["LOGIN_MAX_FAILURES"]:
        audit.record(AuditAction.FAMILY_LOGIN_FAILED, target=target, details={"reason": "locked"})
        return FamilyLoginResult(FamilyLoginOutcome.LOCKED)
    account = db.session.scalar(
        select(FamilyAccount).where(FamilyAccount.sign_in_name == normalise_name(sign_in_name))
    )
    hasher = password_hasher()
    try:
        if account is None or account.password_hash is None:
            hasher.verify(hasher.hash("not a real passphrase"), passphrase)
            raise VerificationError
        hasher.verify(account.password_hash, passphrase)
        if not account.active or not _child_is_open(account.child_id):
            raise VerificationError
    except (VerificationError, InvalidHashError):
        audit.record(
            AuditAction.FAMILY_LOGIN_FAILED, target=target, details={"reason": "bad_credentials"}
        )
        return FamilyLoginResult(FamilyLoginOutcome.BAD_CREDENTIALS)
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(passphrase)
    account.last_login_at = utcnow()
    audit.record(
        AuditAction.FAMILY_LOGIN, child_id=account.child_id, target=f"family_account:{account.id}"
    )
    return FamilyLoginResult(FamilyLoginOutcome.OK, account)


def load_account(account_id: int, session_token: str) -> FamilyAccount | None:
    """The signed-in family account, if its session is still good and the case is open."""
    account = db.session.get(FamilyAccount, account_id)
    if account is None or not account.active or account.session_token != session_token:
        return None
    if not _child_is_open(account.child_id):
        return None
    return account


def record_sign_out(account: FamilyAccount, assisted_by: User | None = None) -> None:
    action = AuditAction.FAMILY_ASSISTED_ENDED if assisted_by else AuditAction.FAMILY_LOGOUT
    audit.record(
        action, child_id=account.child_id, target=f"family_account:{account.id}", actor=assisted_by
    )


def record_assisted_start(account: FamilyAccount, practitioner: User) -> None:
    audit.record(
        AuditAction.FAMILY_ASSISTED_STARTED,
        child_id=account.child_id,
        target=f"family_account:{account.id}",
        actor=practitioner,
    )


def set_locale(account: FamilyAccount, locale: str) -> None:
    """The family member's own interface language."""
    if locale not in LANGUAGES:
        raise ValueError(locale)
    account.locale = locale
    audit.record(
        AuditAction.FAMILY_SETTINGS_CHANGED,
        child_id=account.child_id,
        target=f"family_account:{account.id}",
        details={"locale": locale},
    )


def locale_of(account: FamilyAccount) -> str:
    preferred = account.locale or account.family_member.preferred_language
    return preferred if preferred in LANGUAGES else "en"
