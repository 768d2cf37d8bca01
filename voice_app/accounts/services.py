"""Creating staff accounts, checking passwords, and the login lockout."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, select

from voice_app.accounts import sign_ins
from voice_app.accounts.models import Team, User, new_session_token
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.core.permissions import Role
from voice_app.extensions import db


class EmailTaken(Refused):
    """Another account already uses this email address."""

    def __init__(self) -> None:
        super().__init__({"email": _("Another account already uses this email address.")})


def password_hasher() -> PasswordHasher:
    """Argon2 with the configured costs, for passwords and picture PINs alike."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    *,
    email: str,
    name: str,
    post_title: str,
    role: Role,
    password: str,
    team: Team | None,
    created_by: User | None = None,
) -> User:
    """Add a staff account and audit its creation."""
    if find_user_by_email(email) is not None:
        raise EmailTaken()
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        post_title=post_title.strip(),
        role=role,
        team=team,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.USER_CREATED,
        target=f"user:{user.id}",
        details={"role": str(role)},
        actor=created_by,
    )
    return user


def update_user(
    user: User,
    *,
    name: str,
    post_title: str,
    role: Role,
    team: Team | None,
    active: bool,
    new_password: str | None,
    changed_by: User,
) -> list[str]:
    """Change an account; a new password or deactivation also ends its sessions."""
    before = {
        "name": user.name,
        "post_title": user.post_title,
        "role": user.role,
        "team": user.team_id,
        "active": user.active,
    }
    user.name, user.post_title, user.role = name.strip(), post_title.strip(), role
    user.team, user.active = team, active
    after = {
        "name": user.name,
        "post_title": user.post_title,
        "role": user.role,
        "team": team.id if team else None,
        "active": active,
    }
    changed = sorted(key for key in before if before[key] != after[key])
    if new_password:
        user.password_hash = hash_password(new_password)
        changed.append("password")
    if new_password or not active:
        user.session_token = new_session_token()
    if changed:
        audit.record(
            AuditAction.USER_UPDATED,
            target=f"user:{user.id}",
            details={"fields": changed},
            actor=changed_by,
        )
    return changed


def create_team(name: str, created_by: User | None = None) -> Team:
    team = Team(name=name.strip())
    db.session.add(team)
    db.session.flush()
    audit.record(AuditAction.TEAM_CREATED, target=f"team:{team.id}", actor=created_by)
    return team


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


def recent_failures(action: AuditAction, target: str) -> int:
    """Failed sign-ins (audited as ``action``) for ``target`` within the lockout window,
    counted from the audit log: staff by email address, family members by sign-in name.

    The log is shared by every worker process, so the limit holds however the app is served.
    """
    since = utcnow() - current_app.config["LOGIN_LOCKOUT_WINDOW"]
    return (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == action,
                AuditEntry.target == target,
                AuditEntry.occurred_at >= since,
            )
        )
        or 0
    )


def locked_out(action: AuditAction, target: str) -> bool:
    """Whether ``target`` has failed to sign in too often to try again yet; if so this
    attempt is refused, and audited as failed with the reason "locked".

    A locked name is refused even with the right password, so guessing stays pointless.
    """
    if recent_failures(action, target) < current_app.config["LOGIN_MAX_FAILURES"]:
        return False
    audit.record(action, target=target, details={"reason": "locked"})
    return True


def authenticate(email: str, password: str) -> LoginResult:
    """Check a sign-in attempt, audit it, and say whether it succeeded (or ``locked_out``)."""
    email = normalise_email(email)
    if locked_out(AuditAction.LOGIN_FAILED, f"email:{email}"):
        return LoginResult(LoginOutcome.LOCKED)
    user = find_user_by_email(email)
    hasher = password_hasher()
    try:
        if user is None:
            # Spend the same time as a real check so timing does not reveal who has an account.
            hasher.verify(_dummy_hash(), password)
            raise VerificationError
        hasher.verify(user.password_hash, password)
        if not user.active:
            raise VerificationError
    except (VerificationError, InvalidHashError):
        audit.record(
            AuditAction.LOGIN_FAILED,
            target=f"email:{email}",
            details={"reason": "bad_credentials"},
        )
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    audit.record(AuditAction.LOGIN, target=f"user:{user.id}", actor=user)
    return LoginResult(LoginOutcome.OK, user)


_dummy: dict[tuple[int, int], str] = {}


def _dummy_hash() -> str:
    config = current_app.config
    key = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])
    if key not in _dummy:
        _dummy[key] = password_hasher().hash("not a real password")
    return _dummy[key]


def password_matches(user: User, password: str) -> bool:
    """Check a signed-in user's password again, e.g. before changing it."""
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def log_out_everywhere(user: User) -> None:
    """End every session of ``user`` on every device."""
    user.session_token = new_session_token()
    audit.record(AuditAction.LOGOUT_EVERYWHERE, target=f"user:{user.id}", actor=user)


@functools.cache
def _user_still_signed_in() -> Select[User]:
    """``load_user``'s statement, built once per process (every staff request runs it)."""
    return select(User).where(
        User.id == bindparam("user_id"), sign_ins.not_ended(bindparam("sign_in"))
    )


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: the id is ``"<user id>:<session token>"``, and the session's
    sign-in must not have been signed out (``accounts.sign_ins``)."""
    user_id, _, token = session_id.partition(":")
    sign_in_id = sign_ins.staff_sign_in_id()
    if not user_id.isdigit() or not token or sign_in_id is None:
        return None
    user = db.session.scalar(
        _user_still_signed_in(), {"user_id": int(user_id), "sign_in": sign_in_id}
    )
    if user is None or not user.active or user.session_token != token:
        return None
    return user
