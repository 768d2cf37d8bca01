"""What an interpreter may see of one child: only what their requests name, while assigned.

The interpreting area says what each request names (``InterpreterScope``); this module
decides what of it the interpreter may see. Nothing at all once their assignment to the
child has ended; never a record entry; a confidential contribution only when a manager
who holds the permission to grant and a live grant for the child included it in the
request (and still does: a grant revoked since takes the item away again).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from voice_app.accounts.models import User
from voice_app.children.models import AssignmentRole, CaseAssignment
from voice_app.core.db import utcnow
from voice_app.core.permissions import Permission, Role
from voice_app.extensions import db


@dataclass(frozen=True)
class InterpreterScope:
    """The items an interpreter's requests for one child name, as facts."""

    #: Contributions named by a request.
    contribution_ids: frozenset[int] = frozenset()
    #: (contribution id, manager id): a confidential contribution a manager included.
    included: frozenset[tuple[int, int]] = frozenset()
    #: Reports (a section or the whole draft) and plans named by a request.
    report_ids: frozenset[int] = frozenset()
    plan_ids: frozenset[int] = frozenset()


def interpreter_assigned(user: User, child_id: int) -> bool:
    """A live interpreter assignment to this child, now."""
    if not user.is_authenticated or user.role is not Role.INTERPRETER:
        return False
    moment = utcnow()
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CaseAssignment.child_id == child_id,
                    CaseAssignment.user_id == user.id,
                    CaseAssignment.role_on_case == AssignmentRole.INTERPRETER,
                    CaseAssignment.starts_at <= moment,
                    or_(CaseAssignment.ends_at.is_(None), CaseAssignment.ends_at > moment),
                )
            )
        )
    )


def may_include_confidential(manager: User, child_id: int) -> bool:
    """A manager who may grant, and holds a live grant for this child, themselves."""
    from voice_app.record.disclosure.readers import may_read_confidential

    return manager.can(Permission.CONFIDENTIAL_GRANT) and may_read_confidential(manager, child_id)


def visible_contribution_ids(
    user: User, child_id: int, scope: InterpreterScope, confidential: frozenset[int]
) -> frozenset[int]:
    """The named contributions the interpreter may see now (``confidential``: the ids in
    the child's confidential section and everything following it)."""
    if not interpreter_assigned(user, child_id):
        return frozenset()
    allowed = set(scope.contribution_ids - confidential)
    for contribution_id, manager_id in scope.included:
        manager = db.session.get(User, manager_id)
        if (
            contribution_id in scope.contribution_ids
            and manager is not None
            and may_include_confidential(manager, child_id)
        ):
            allowed.add(contribution_id)
    return frozenset(allowed)
