"""What the permission matrix is made of, shared by the matrix test and each area's rows.

An area adds its endpoints in ``tests/core/matrix_<area>.py``: a ``ROWS`` dict in the form
of ``MATRIX`` and an ``extend_world(world)`` that adds what its rows need to
``world.extra``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

ROLES = (
    "anonymous",
    "practitioner",
    "unassigned_practitioner",
    "manager",
    "other_team_manager",
    "interpreter",
    "admin",
    "child",  # a device on which a child opened their invitation
    "family",  # a phone signed in to the family's space as Matrix Child's mother
    "other_family",  # a phone signed in as the parent of another child
)
FAMILY_ROLES = ("family", "other_family")
LOGIN = "login"  # a redirect to the sign-in page
CHILD_SPACE = "child_space"  # a redirect back into the child's space
FAMILY_SIGN_IN = "family_sign_in"  # a redirect to the family's sign-in page


@dataclass
class World:
    """A child, the people around them, and people who should not see them."""

    child_id: int
    users: dict[str, Any]
    assignment_id: int
    invitation_id: int
    invitation_token: str
    drawing_id: int
    voice_id: int
    #: Objects an area's rows need (record entries, exports...), by name.
    extra: dict[str, Any] = field(default_factory=dict)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


@dataclass
class Row:
    method: str
    url: Callable[[World], str]
    expected: dict[str, int | str]
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    #: Send ``data`` as JSON, as the child's space's fetch() calls do.
    as_json: bool = False


def everyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int | str, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    """Staff pages: the anonymous are asked to sign in, a child is sent back to their space.

    A family member is never a staff user: to a staff page they are as the anonymous.
    """
    family = dict.fromkeys(FAMILY_ROLES, anonymous)
    return {**everyone(status), "anonymous": anonymous, "child": CHILD_SPACE, **family}


def only(allowed: dict[str, int | str], others: int | str = 403) -> dict[str, int | str]:
    return {**signed_in(others), **allowed}


def child_only(status: int) -> dict[str, int | str]:
    """The child's space: only the child who opened it, nobody else at all."""
    return {**everyone(401), "child": status}


def family_only(
    status: int | str, other_family: int | str | None = None, method: str = "GET"
) -> dict[str, int | str]:
    """The family's space: only a signed-in family member (anyone else is sent to the
    family sign-in page, or gets a 401 for a POST); a child's space stays the child's.
    ``other_family`` is what the parent of another child gets (their own space, or a 404
    for anything of this family)."""
    others = status if other_family is None else other_family
    refused: int | str = FAMILY_SIGN_IN if method == "GET" else 401
    return {**everyone(refused), "child": CHILD_SPACE, "family": status, "other_family": others}


CASE_READERS = {
    "practitioner": 200,
    "unassigned_practitioner": 404,
    "manager": 200,
    "other_team_manager": 404,
}
CASE_EDITORS_POST = {key: 302 if value == 200 else value for key, value in CASE_READERS.items()}
ADMIN_ONLY = only({"admin": 200})
