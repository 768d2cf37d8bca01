"""Signing out ends the sign-in on the server, not only in the browser that asked.

A session is a signed cookie. Until now, signing out only told the browser to drop it, so a
copy of the cookie that came back afterwards was as good as before: an answer already on
its way when someone signed out (a ``/still-here`` call, a transcript poll, a page in
another tab) carried the cookie as it was when its request left, and landing after the
sign-out it put the person back in. On a shared tablet that is the next person seeing
their cases, or the next child seeing the first one's space.

So every sign-in gets a random id that its session carries: a member of staff's
(``accounts.views.login``), a family member's (``family.access.start_session``) and each
visit to a child's space (``child_space.session.enter``). Signing out, handing a tablet
back, a child's "finish", and someone else signing in on the device write that id here as
ended. The staff and family sign-in checks (``services.load_user``,
``family.authentication.load_account``) refuse an ended id in the same statement that
loads the account, so they cost no extra query; the child's space asks once a request.
Only ended ids are kept, and only for as long as a cookie could still be accepted
(``PERMANENT_SESSION_LIFETIME`` after its last request, when Flask refuses the cookie
itself). Signing out everywhere still replaces the account's session token, which ends
every sign-in at once.
"""

from __future__ import annotations

import secrets

from flask import current_app, session
from sqlalchemy import ColumnElement, delete, exists, select

from voice_app.accounts.models import EndedSignIn
from voice_app.core.actor import CHILD_SPACE_KEY, FAMILY_SPACE_KEY
from voice_app.core.db import utcnow
from voice_app.extensions import db

#: The session key a staff sign-in's id is kept under (a family sign-in keeps its own in
#: ``family.session.FamilySpace.sign_in``, so handing a tablet back ends only that one).
SESSION_KEY = "sign_in"


def new_id() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def begin_staff() -> None:
    """Give the staff sign-in this request makes its own id."""
    session[SESSION_KEY] = new_id()


def staff_sign_in_id() -> str | None:
    value = session.get(SESSION_KEY)
    return value if isinstance(value, str) and value else None


def end(*sign_in_ids: str | None) -> None:
    """End these sign-ins for good (in this transaction); forget ids no cookie can carry now."""
    ending = {sign_in_id for sign_in_id in sign_in_ids if sign_in_id}
    if not ending:
        return
    now = utcnow()
    oldest_live = now - current_app.permanent_session_lifetime
    db.session.execute(delete(EndedSignIn).where(EndedSignIn.ended_at < oldest_live))
    already = set(
        db.session.scalars(select(EndedSignIn.sign_in).where(EndedSignIn.sign_in.in_(ending)))
    )
    db.session.add_all(
        EndedSignIn(sign_in=sign_in_id, ended_at=now) for sign_in_id in ending - already
    )


def end_all_on_this_device() -> None:
    """Before this device's session is cleared (signing out, or another person signing in
    on it): end every sign-in it holds, staff, family or a child's visit, so that no copy of
    the cookie still on its way brings any of them back to the next person."""
    spaces = [session.get(key) for key in (FAMILY_SPACE_KEY, CHILD_SPACE_KEY)]
    end(
        staff_sign_in_id(),
        *(space.get("sign_in") for space in spaces if isinstance(space, dict)),
    )


def has_ended(sign_in_id: str) -> bool:
    """For a session checked on its own (the child's space): whether it was ended."""
    found = select(EndedSignIn.id).where(EndedSignIn.sign_in == sign_in_id)
    return db.session.scalar(found) is not None


def not_ended(sign_in_id: ColumnElement[str]) -> ColumnElement[bool]:
    """A condition for an account's loading statement: this sign-in was not signed out."""
    return ~exists(select(EndedSignIn.id).where(EndedSignIn.sign_in == sign_in_id))
