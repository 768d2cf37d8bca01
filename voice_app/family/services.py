"""Family accounts: invitations, the passphrase, signing in, lockout and settings.

A family account is never a staff user. It is opened by an invitation (a link and a short
code, made the same way as the child's), and kept by a sign-in name and a password or
passphrase the family member chooses: no email, no phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from voice_app.accounts import invitations as shared_codes
from voice_app.accounts.models import User, new_session_token
from voice_app.accounts.services import password_hasher
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
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


def record_accounts_viewed(child: Child) -> None:
    audit.record(AuditAction.FAMILY_ACCOUNTS_VIEWED, child_id=child.id)


def end_access(account: FamilyAccount, by: User) -> None:
    """Stop a family account: its sessions end and its invitations stop working.

    The account and what the family member gave stay; a new invitation opens it again.
    """
    account.active = False
    account.session_token = new_session_token()
    now = utcnow()
    for invitation in db.session.scalars(
        select(FamilyInvitation).where(
            FamilyInvitation.account_id == account.id, FamilyInvitation.revoked_at.is_(None)
        )
    ):
        invitation.revoked_at = now
    audit.record(
        AuditAction.FAMILY_ACCESS_ENDED,
        child_id=account.child_id,
        target=f"family_account:{account.id}",
        actor=by,
    )


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
    if not child_is_open(invitation.account.child_id):
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


def child_is_open(child_id: int) -> bool:
    child = db.session.get(Child, child_id)
    return child is not None and child.closed_at is None and child.purged_at is None


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
