"""Who is in the child's space on this device, kept in the signed session cookie."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import session

from voice_app.core.actor import CHILD_SPACE_KEY as SESSION_KEY


@dataclass(frozen=True)
class ChildSpace:
    child_id: int
    #: The interface language the child's space opened in.
    locale: str
    invitation_id: int | None = None
    #: The practitioner who handed their signed-in tablet over, if that is how the child came.
    handover_by: int | None = None


def current_space() -> ChildSpace | None:
    data = session.get(SESSION_KEY)
    return ChildSpace(**data) if isinstance(data, dict) else None


def enter(space: ChildSpace) -> None:
    session[SESSION_KEY] = asdict(space)


def leave() -> None:
    session.pop(SESSION_KEY, None)
