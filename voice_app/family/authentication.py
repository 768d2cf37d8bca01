"""Signing in to the family's space: the passphrase check, lockout, and who is signed in.

Lockout counts failed sign-ins for a name in the audit log with staff sign-in's own
``locked_out``, so the limit holds however many processes serve the app.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from voice_app.accounts import sign_ins
from voice_app.accounts.models import User
from voice_app.accounts.services import LoginOutcome, locked_out, password_hasher
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.family.services import child_is_open, normalise_name
from voice_app.family.session import FamilySpace

#: A family sign-in ends the three ways a staff one does.
FamilyLoginOutcome = LoginOutcome


@dataclass(frozen=True)
class FamilyLoginResult:
    outcome: FamilyLoginOutcome
    account: FamilyAccount | None = None


def _failure_target(name: str) -> str:
    return f"family:{normalise_name(name)[:90]}"


def authenticate(sign_in_name: str, passphrase: str) -> FamilyLoginResult:
    """Check a family sign-in, audit it, and lock the name after too many failures."""
    target = _failure_target(sign_in_name)
    if locked_out(AuditAction.FAMILY_LOGIN_FAILED, target):
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
        if not account.active or not child_is_open(account.child_id):
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


@functools.cache
def _account_with_child() -> Select[FamilyAccount]:
    """``load_account``'s statement, built once per process (every family request runs it)."""
    return (
        select(FamilyAccount)
        .where(
            FamilyAccount.id == bindparam("account_id"),
            sign_ins.not_ended(bindparam("sign_in")),
        )
        .options(joinedload(FamilyAccount.child))
    )


def load_account(space: FamilySpace) -> FamilyAccount | None:
    """The signed-in family account, if this sign-in is still good and the case is open.

    One query for the account and its child, which stays loaded for the rest of the request.
    A sign-in that was signed out (``accounts.sign_ins``) or a new passphrase ends it.
    """
    if not space.sign_in:
        return None
    account = db.session.scalar(
        _account_with_child(), {"account_id": space.account_id, "sign_in": space.sign_in}
    )
    if account is None or not account.active or account.session_token != space.session_token:
        return None
    if not child_is_open(account.child_id):
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
