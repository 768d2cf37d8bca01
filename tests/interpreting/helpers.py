"""Interpreters around a child, and requests made to them, for interpreting tests."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import AssignmentFactory, UserFactory
from voice_app.accounts.models import User
from voice_app.children.models import AssignmentRole, Child
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest, RequestKind
from voice_app.interpreting.services import requests


def interpreter_for(child: Child, language: str = "pl", days: int = 7, **kwargs) -> User:
    """An interpreter account working in ``language``, assigned to the child for ``days``."""
    user = UserFactory(team=child.team, role=Role.INTERPRETER, post_title="Interpreter", **kwargs)
    AssignmentFactory(
        child=child,
        user=user,
        role_on_case=AssignmentRole.INTERPRETER,
        ends_at=utcnow() + timedelta(days=days),
    )
    requests.add_language(user, language)
    db.session.commit()
    return user


def ask(
    child: Child,
    interpreter: User,
    by: User,
    kind: RequestKind = RequestKind.CONTRIBUTION,
    language: str = "pl",
    due_in: int = 3,
    **item,
) -> InterpretingRequest:
    draft = requests.RequestDraft(
        kind, language, interpreter.id, date.today() + timedelta(days=due_in), **item
    )
    row = requests.create_request(child, draft, by, date.today())
    db.session.commit()
    return row
