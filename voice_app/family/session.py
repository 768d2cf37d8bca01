"""Who is in the family's space on this device, kept in the signed session cookie.

Its own key, apart from Flask-Login's staff user: a family member is never a staff user.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import session

from voice_app.core.actor import FAMILY_SPACE_KEY as SESSION_KEY  # read by core.actor


@dataclass(frozen=True)
class FamilySpace:
    account_id: int
    #: Must match the account's session token; a new passphrase ends every older session.
    session_token: str
    child_id: int
    family_member_id: int
    #: The interface language: the family member's own setting.
    locale: str
    #: How the audit chain names them, without their name: "family member #12 (mother)".
    label: str
    #: The practitioner whose signed-in tablet this is, for an assisted sign-in.
    assisted_by: int | None = None
    #: This sign-in's id (``accounts.sign_ins``): signing out or handing back ends it.
    sign_in: str = ""


def current_family_space() -> FamilySpace | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return FamilySpace(**data)
    except TypeError:
        return None


def enter(space: FamilySpace) -> None:
    session[SESSION_KEY] = asdict(space)


def leave() -> None:
    session.pop(SESSION_KEY, None)
