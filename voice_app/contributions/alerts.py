"""What is done about "I don't feel safe": the practitioner's response, and the child's
"I pressed it by mistake".

Who sees which alert, and with which words, is answered by ``record.disclosure.alerts``.
Neither a response nor a mistake deletes anything: the press stays with the contribution.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import Contribution, MistakenPress, SafetyResponse
from voice_app.contributions.services import SubmissionRejected
from voice_app.extensions import db


def respond_to_unsafe_flag(contribution: Contribution, note: str, by: User) -> SafetyResponse:
    """Record what was done after the child pressed "I don't feel safe"."""
    if not contribution.flagged_unsafe:
        raise SubmissionRejected("not_flagged", _("This contribution did not raise an alert."))
    if not note.strip():
        raise SubmissionRejected("empty", _("Please say what was done, and by whom."))
    response = SafetyResponse(
        contribution_id=contribution.id,
        note=note.strip(),
        responded_by_id=by.id,
        responded_by_label=by.display,
    )
    db.session.add(response)
    db.session.flush()
    audit.record(
        AuditAction.UNSAFE_FLAG_RESPONDED,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
    )
    return response


def respond_to_all(
    contributions: Sequence[Contribution], note: str, by: User
) -> list[SafetyResponse]:
    """One note for every open alert of a child: each press keeps its own copy of it."""
    if not note.strip():
        raise SubmissionRejected("empty", _("Please say what was done, and by whom."))
    if not contributions:
        raise SubmissionRejected("none_open", _("There is no alert waiting for a response."))
    return [respond_to_unsafe_flag(contribution, note, by) for contribution in contributions]


def mistake_for(contribution_id: int) -> MistakenPress | None:
    return db.session.scalar(
        select(MistakenPress).where(MistakenPress.contribution_id == contribution_id)
    )


def say_it_was_a_mistake(contribution: Contribution) -> MistakenPress:
    """The child says the press was a mistake. The alert stays for the practitioner to
    decide; saying it twice keeps the first time."""
    if not contribution.flagged_unsafe:
        raise SubmissionRejected("not_flagged", _("That did not work. Please try again."))
    existing = mistake_for(contribution.id)
    if existing is not None:
        return existing
    mistake = MistakenPress(contribution_id=contribution.id)
    db.session.add(mistake)
    db.session.flush()
    audit.record(
        AuditAction.UNSAFE_FLAG_MISTAKE,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
    )
    return mistake
