"""Who is in the child's space on this device, kept in the signed session cookie."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import g, session

from voice_app.accounts import sign_ins
from voice_app.core.actor import CHILD_SPACE_KEY as SESSION_KEY

#: ``flask.g`` key: the visits this request has asked the database about, and the answers.
_CHECKED = "child_space_visits_checked"


@dataclass(frozen=True)
class ChildSpace:
    child_id: int
    #: The interface language the child's space opened in.
    locale: str
    invitation_id: int | None = None
    #: The practitioner who handed their signed-in tablet over, if that is how the child came.
    handover_by: int | None = None
    #: This visit's id (``accounts.sign_ins``): leaving the space ends it, so an answer still
    #: on its way (a transcript being polled) cannot open the space again on a shared
    #: tablet. Empty for a space opened before ids were given: it ends on the idle limit.
    sign_in: str = ""


def current_space() -> ChildSpace | None:
    """The child's space open on this device, or None; a space that was left is forgotten."""
    data = session.get(SESSION_KEY)
    space = ChildSpace(**data) if isinstance(data, dict) else None
    if space is not None and space.sign_in and _has_ended(space.sign_in):
        session.pop(SESSION_KEY, None)
        return None
    return space


def _has_ended(sign_in_id: str) -> bool:
    """Asked of the database once a request, however often the space is looked at."""
    checked: dict[str, bool] = g.setdefault(_CHECKED, {})
    if sign_in_id not in checked:
        checked[sign_in_id] = sign_ins.has_ended(sign_in_id)
    return checked[sign_in_id]


def enter(
    child_id: int, locale: str, *, invitation_id: int | None = None, handover_by: int | None = None
) -> None:
    """Open the child's space on this device, as a new visit with an id of its own."""
    space = ChildSpace(child_id, locale, invitation_id, handover_by, sign_in=sign_ins.new_id())
    session[SESSION_KEY] = asdict(space)


def leave() -> None:
    """Close the space on this device, and end its visit for good (in this transaction)."""
    space = current_space()
    if space is not None:
        sign_ins.end(space.sign_in)
    session.pop(SESSION_KEY, None)
