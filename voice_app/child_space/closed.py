"""A child's space that no longer leads anywhere: the case closed, the link ended, the record gone.

Every request from a device holding a child's space is checked here first
(``child_space.views.keep_the_child_in_their_space``). While the case is open and the
invitation valid, nothing changes. When the case has closed (or the invitation ended)
while the child was in their space, the child is told kindly, in their band's words, and
what their tablet still holds is kept: uploads are still stored, and the practitioner's
timeline marks them "arrived after the case was closed". When the record has been
destroyed, the space ends at once (410), nothing can be added, and the device is cleared.
"""

from __future__ import annotations

from enum import StrEnum

from flask import Response, g, jsonify, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voice_app.accounts.models import Invitation
from voice_app.child_space.session import ChildSpace
from voice_app.children.models import Child, DevelopmentalBand
from voice_app.children.services import today
from voice_app.core.db import READING, read_first, utcnow
from voice_app.extensions import db


class SpaceState(StrEnum):
    OPEN = "open"
    #: The case was closed while the child was in their space.
    CASE_CLOSED = "case_closed"
    #: The invitation was revoked or ran out while the child was in their space.
    INVITATION_ENDED = "invitation_ended"
    #: The record was destroyed: nothing can be added.
    GONE = "gone"


#: Endpoints that still answer when the case has closed: what the tablet still holds is
#: sent and kept, and a practitioner who handed the tablet over can take it back.
STILL_ANSWERING = frozenset(
    {
        "child_space.upload",
        "child_space.begin_upload",
        "child_space.upload_chunk",
        "child_space.exit",
    }
)

CASE_CLOSED_WORDS = {
    DevelopmentalBand.EARLY: _l(
        "Your worker has finished working with you here, so this space is closed now. "
        "Everything you made is safe, and your worker will see it."
    ),
    DevelopmentalBand.MIDDLE: _l(
        "Your worker has finished working with you, so this space is closed now. What you "
        "were making has been saved, and your worker will see it."
    ),
    DevelopmentalBand.TEEN: _l(
        "Your case has been closed, so this space does not take anything new. Anything you "
        "were sending has been saved, and your social worker will see it."
    ),
}
INVITATION_ENDED_WORDS = {
    DevelopmentalBand.EARLY: _l(
        "This link has finished. Everything you made is safe. Ask your worker if you want "
        "to say more."
    ),
    DevelopmentalBand.MIDDLE: _l(
        "This link has finished. What you were making has been saved. Ask your worker for "
        "a new link if you want to say more."
    ),
    DevelopmentalBand.TEEN: _l(
        "This link has ended. Anything you were sending has been saved. Ask your social "
        "worker for a new one if you want to add more."
    ),
}
GONE_WORDS = _l("This space has closed. Please give the tablet back to a grown-up. Thank you.")


def state_of(space: ChildSpace) -> SpaceState:
    """Whether the child's space still leads to an open case through a valid invitation."""
    child = db.session.get(Child, space.child_id)
    if child is None or child.purged_at is not None:
        return SpaceState.GONE
    if child.closed_at is not None:
        return SpaceState.CASE_CLOSED
    if space.invitation_id is not None:
        invitation = db.session.get(Invitation, space.invitation_id)
        if invitation is None:
            return SpaceState.GONE
        if not invitation.usable_at(utcnow()):
            return SpaceState.INVITATION_ENDED
    return SpaceState.OPEN


def words_for(state: SpaceState, child: Child | None) -> str:
    """What the child is told, in their band's words."""
    if state is SpaceState.GONE or child is None:
        return str(GONE_WORDS)
    band = child.band(today())
    table = CASE_CLOSED_WORDS if state is SpaceState.CASE_CLOSED else INVITATION_ENDED_WORDS
    return str(table[band])


def _wants_json() -> bool:
    """The outbox and the space's scripts get JSON; a page or a form gets the page."""
    return (
        request.is_json
        or request.path.startswith("/me/contributions")
        or request.accept_mimetypes.best == "application/json"
    )


def ended_answer(space: ChildSpace, endpoint: str) -> Response | tuple[Response | str, int] | None:
    """The answer for a request from a space that no longer leads anywhere, or None to go on."""
    # Read without SQLite's write lock, and end the transaction at once: an upload's body
    # is read after this, and a slow tablet must never hold the lock while it arrives.
    before = g.get(READING)
    read_first(db.session)
    try:
        state = state_of(space)
        child = db.session.get(Child, space.child_id) if state is not SpaceState.OPEN else None
        message = words_for(state, child) if state is not SpaceState.OPEN else ""
    finally:
        db.session.commit()
        if before is None:
            g.pop(READING, None)
    g.space_state = state
    if state is SpaceState.OPEN:
        return None
    if state is SpaceState.GONE:
        # Nothing is left to send to, and a handed-over tablet must not fall back into the
        # practitioner's own view: the whole device session ends.
        session.clear()
    elif endpoint in STILL_ANSWERING:
        return None
    if _wants_json():
        return jsonify({"error": message, "reason": "ended", "ended": True}), 410
    return render_template(
        "child_space/closed.html",
        message=message,
        upload_url=url_for("child_space.upload") if state is not SpaceState.GONE else None,
        title=_("This space has closed"),
    ), 410
