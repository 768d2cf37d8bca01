"""Who is acting in this request: a signed-in staff user, a child in their own space, or
nobody (a background job, a command).

Lower layers (the audit chain) ask here rather than reading the child's space or the
sign-in themselves. The child's space keeps itself in the session under
``CHILD_SPACE_KEY``; while it is open the child is acting, even during a handover when the
practitioner who handed the tablet over is still signed in. A family member acting in
their own space will join here as a third kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import has_request_context, session
from flask_login import current_user

#: The session key the child's space is kept under (voice_app.child_space.session).
CHILD_SPACE_KEY = "child_space"


class ActorKind(StrEnum):
    STAFF = "staff"
    CHILD = "child"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    #: The signed-in ``accounts.models.User`` when a member of staff is acting, else None.
    user: Any = None


def current_actor() -> Actor:
    """Who is acting now: the child in their space comes before a signed-in practitioner."""
    if not has_request_context():
        return Actor(ActorKind.NOBODY)
    if CHILD_SPACE_KEY in session:
        return Actor(ActorKind.CHILD)
    if current_user.is_authenticated:
        return Actor(ActorKind.STAFF, current_user._get_current_object())
    return Actor(ActorKind.NOBODY)
