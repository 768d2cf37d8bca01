""" "I don't feel safe" from the pages of the child's space that have no outbox: choosing or
tapping the picture PIN, giving the tablet back, the child's plan.

The button there is a plain form: the alert is stored at once, with or without scripts, and
the child is told a grown-up has been told. On the page that asks for the picture PIN the
child has opened their invitation but not yet tapped their pictures; the alert is taken
all the same (a child who has forgotten their pictures must still be able to say it). It
shows nothing of the space, and the practitioner sees it and decides.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.accounts import invitations
from voice_app.child_space.session import current_space
from voice_app.child_space.views import PIN_PENDING_KEY, bp
from voice_app.children.services import get_child
from voice_app.contributions import services as contributions
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.extensions import db


# No rate limit, as for the outbox: children on one school or care-home network share an
# address, and a safety alert is never refused. Only a device holding a child's session can
# reach it.
@bp.post("/unsafe")
def tell_unsafe() -> Response:
    """Raise the alert for the child whose space (or picture PIN) is open on this device."""
    space = current_space()
    pending = session.get(PIN_PENDING_KEY)
    if space is not None:
        child_id, locale = space.child_id, space.locale
        author = contributions.Author(
            AuthorKind.CHILD,
            invitation_id=space.invitation_id,
            with_practitioner_id=space.handover_by,
        )
    elif isinstance(pending, int) and (invitation := invitations.get_invitation(pending)):
        child_id, locale = invitation.child_id, None
        author = contributions.Author(AuthorKind.CHILD, invitation_id=invitation.id)
    else:
        return _nobody_to_tell()
    child = get_child(child_id)
    if child is None:
        return _nobody_to_tell()
    pressed = contributions.Submission(
        str(uuid.uuid4()),
        ContributionKind.TEXT,
        SharingChoice.MY_WORKER,
        language=locale or child.preferred_language,
        unsafe=True,
    )
    contributions.add_contribution(child, pressed, author)
    db.session.commit()
    # In the child's language even before their space is open (the picture-PIN page has
    # no child session yet, so the request's own language would be the browser's).
    with force_locale(locale or child.preferred_language):
        # i18n: shown to a child (any age) after they pressed "I don't feel safe".
        thanks = _(
            "Thank you for telling us. A grown-up has been told. They will help to keep you safe."
        )
    flash(thanks, "success")
    if space is None:
        return redirect(url_for("child_space.enter_pin"))
    return redirect(url_for("child_space.home"))


def _nobody_to_tell() -> Response:
    """The space on this device has ended (or never opened): no error page for a child who
    pressed the safety button, but the words the space always shows beside it."""
    flash(_("If you are in danger right now, tell a grown-up who is near you."), "error")
    return redirect(url_for("child_space.join"))
