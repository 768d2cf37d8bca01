"""Who is acting in this request: a signed-in staff user, a child in their own space, a
family member in theirs, or nobody (a background job, a command).

Lower layers (the audit chain, locale choice) ask here rather than reading the child's
space, the family's space or the sign-in themselves. The child's space keeps itself in the
session under ``CHILD_SPACE_KEY`` and the family's under ``FAMILY_SPACE_KEY``; while one is
open its person is acting, even during a handover or an assisted sign-in when the
practitioner who handed the tablet over is still signed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import has_request_context, session
from flask_login import current_user

#: The session key the child's space is kept under (voice_app.child_space.session).
CHILD_SPACE_KEY = "child_space"
#: The session key the family's space is kept under (voice_app.family.session).
FAMILY_SPACE_KEY = "family_space"


class ActorKind(StrEnum):
    STAFF = "staff"
    CHILD = "child"
    FAMILY = "family"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    #: The signed-in ``accounts.models.User`` when a member of staff is acting, else None.
    user: Any = None
    #: How the audit log names a family member ("Claire Thompson (family member: mother)").
    label: str | None = None


def current_actor() -> Actor:
    """Who is acting now: the child in their space comes before a signed-in practitioner."""
    if not has_request_context():
        return Actor(ActorKind.NOBODY)
    if CHILD_SPACE_KEY in session:
        return Actor(ActorKind.CHILD)
    family = session.get(FAMILY_SPACE_KEY)
    if isinstance(family, dict):
        return Actor(ActorKind.FAMILY, label=str(family.get("label") or ""))
    if current_user.is_authenticated:
        return Actor(ActorKind.STAFF, current_user._get_current_object())
    return Actor(ActorKind.NOBODY)


def actor_key() -> str | None:
    """Who is acting, as a short stable name: "staff:12", "family:3" (the family account),
    "child:7"; None for nobody. For what is kept per person without naming them."""
    actor = current_actor()
    if actor.kind is ActorKind.STAFF:
        return f"staff:{actor.user.id}"
    if actor.kind is ActorKind.FAMILY:
        return f"family:{session[FAMILY_SPACE_KEY].get('account_id')}"
    if actor.kind is ActorKind.CHILD:
        space = session.get(CHILD_SPACE_KEY)
        return f"child:{space.get('child_id')}" if isinstance(space, dict) else None
    return None
