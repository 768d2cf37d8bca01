"""Permissions named ``"<resource>:<action>"`` and the one map from role to permissions."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    INTERPRETER = "interpreter"
    ADMIN = "admin"


class Permission(StrEnum):
    CASE_LIST = "case:list"
    CASE_READ = "case:read"
    #: Enough of a case to interpret for it: names, languages, communication needs.
    CASE_READ_INTERPRETING = "case:read_interpreting"
    CASE_CREATE = "case:create"
    CASE_EDIT = "case:edit"
    CASE_ASSIGN = "case:assign"
    CASE_CLOSE = "case:close"
    RECORD_READ = "record:read"
    RECORD_WRITE = "record:write"
    CONSENT_RECORD = "consent:record"
    #: A precondition only: reading also needs a live per-case grant (record.visibility).
    CONFIDENTIAL_READ = "confidential:read"
    CONFIDENTIAL_PLACE = "confidential:place"
    CONFIDENTIAL_GRANT = "confidential:grant"
    SUBJECT_ACCESS_REQUEST = "subject_access:request"
    SUBJECT_ACCESS_AUTHORISE = "subject_access:authorise"
    #: Write a reply to the child about what they said ("you said, we did").
    REPLY_WRITE = "reply:write"
    #: The team view: counts of overdue work per practitioner.
    TEAM_READ = "team:read"
    AUDIT_READ = "audit:read"
    PLAN_READ = "plan:read"
    PLAN_EDIT = "plan:edit"
    PLAN_SIGN_OFF = "plan:sign_off"
    REPORT_READ = "report:read"
    REPORT_EDIT = "report:edit"
    REPORT_SIGN_OFF = "report:sign_off"
    USER_MANAGE = "user:manage"
    #: Ask an interpreter for a translation or for interpreting at a session.
    INTERPRETING_REQUEST = "interpreting:request"
    #: Work on the requests sent to oneself: what each needs, and nothing else.
    INTERPRETING_WORK = "interpreting:work"
    #: Record the child's-space prompts of a language in one's own voice, and publish them.
    PROMPTS_RECORD = "prompts:record"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PRACTITIONER: frozenset(
        {
            Permission.CASE_LIST,
            Permission.CASE_READ,
            Permission.CASE_CREATE,
            Permission.CASE_EDIT,
            Permission.CASE_CLOSE,
            Permission.RECORD_READ,
            Permission.RECORD_WRITE,
            Permission.CONSENT_RECORD,
            Permission.CONFIDENTIAL_READ,
            Permission.CONFIDENTIAL_PLACE,
            Permission.SUBJECT_ACCESS_REQUEST,
            Permission.REPLY_WRITE,
            Permission.PLAN_READ,
            Permission.PLAN_EDIT,
            Permission.REPORT_READ,
            Permission.REPORT_EDIT,
            Permission.INTERPRETING_REQUEST,
            Permission.PROMPTS_RECORD,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Permission.CASE_LIST,
            Permission.CASE_READ,
            Permission.CASE_CREATE,
            Permission.CASE_EDIT,
            Permission.CASE_ASSIGN,
            Permission.CASE_CLOSE,
            Permission.RECORD_READ,
            Permission.RECORD_WRITE,
            Permission.CONSENT_RECORD,
            Permission.CONFIDENTIAL_READ,
            Permission.CONFIDENTIAL_PLACE,
            Permission.CONFIDENTIAL_GRANT,
            Permission.SUBJECT_ACCESS_REQUEST,
            Permission.SUBJECT_ACCESS_AUTHORISE,
            Permission.AUDIT_READ,
            Permission.REPLY_WRITE,
            Permission.TEAM_READ,
            Permission.PLAN_READ,
            Permission.PLAN_SIGN_OFF,
            Permission.REPORT_READ,
            Permission.REPORT_SIGN_OFF,
            Permission.INTERPRETING_REQUEST,
            Permission.PROMPTS_RECORD,
        }
    ),
    # Interpreters see a plan, a report or a contribution only through a request sent to
    # them (voice_app.interpreting), and only what record.disclosure lets it show.
    # Recording prompts shows no case at all: only the words of the child's space.
    Role.INTERPRETER: frozenset(
        {
            Permission.CASE_LIST,
            Permission.CASE_READ_INTERPRETING,
            Permission.INTERPRETING_WORK,
            Permission.PROMPTS_RECORD,
        }
    ),
    # Admins run the system; they never open case content.
    Role.ADMIN: frozenset({Permission.USER_MANAGE}),
}


def role_has(role: Role | str, permission: Permission | str) -> bool:
    """Whether ``role`` carries ``permission``.

    A name that is no permission raises ``ValueError`` rather than answering no: templates
    write ``user.can('case:edit')``, and a typo there must fail loudly, not hide a button.
    """
    return Permission(permission) in ROLE_PERMISSIONS.get(Role(role), frozenset())


def require(*permissions: Permission) -> Callable[[F], F]:
    """View decorator: signed in (else to the login page) and holding one of ``permissions``.

    Anyone signed in without any of them gets a 403.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            from voice_app.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(current_user.can(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate
