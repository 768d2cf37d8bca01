"""Permission-matrix rows for replies to the child and the manager's team view."""

from __future__ import annotations

from datetime import date, timedelta

from tests.core.matrix import CASE_EDITORS_POST, CASE_READERS, Row, World, only
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind, SharingChoice
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.record.confidential import services as confidential
from voice_app.record.models import ConfidentialReason
from voice_app.replies import services


def extend_world(world: World) -> None:
    """A contribution with a reply, and a confidential one whose section only the
    practitioner holds a grant for (``matrix_record`` gives that grant)."""
    practitioner = world.users["practitioner"]
    child = db.session.get(Child, world.child_id)
    assert child is not None

    def words(text: str, client_id: str) -> Contribution:
        contribution = Contribution(
            child_id=child.id,
            client_id=client_id,
            kind=ContributionKind.TEXT,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_WORKER,
            text=text,
            created_at=utcnow() - timedelta(days=10),
        )
        db.session.add(contribution)
        db.session.flush()
        return contribution

    answered = words("I want to see Grandad.", "matrix-replied")
    services.write_reply(
        answered, services.ReplyDraft("Grandad visits on Saturdays.", "en"), practitioner
    )
    secret = words("Matrix secret words.", "matrix-secret")
    confidential.place_contribution(
        secret,
        confidential.PlacementDraft(
            ConfidentialReason.SERIOUS_HARM, "Said in confidence.", date.today()
        ),
        practitioner,
    )
    world.extra.update(replied=answered.id, secret_words=secret.id)


def _reply_url(key: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/children/{w.child_id}/contributions/{w.extra[key]}/reply"


#: Only the practitioner holds a grant for the confidential section of this child.
WITH_GRANT = only({**CASE_READERS, "manager": 404})
WITH_GRANT_POST = only({**CASE_EDITORS_POST, "manager": 404})

ROWS: dict[str, list[Row]] = {
    "replies.reply_page": [
        Row("GET", _reply_url("replied"), only(CASE_READERS)),
        Row("GET", _reply_url("secret_words"), WITH_GRANT),
    ],
    "replies.write_reply": [
        Row(
            "POST",
            _reply_url("replied"),
            only(CASE_EDITORS_POST),
            lambda w: {"text": "We talked to your teacher.", "language": "en"},
        ),
        Row(
            "POST",
            _reply_url("secret_words"),
            WITH_GRANT_POST,
            lambda w: {"text": "We kept you safe.", "language": "en"},
        ),
    ],
    "team.overview": [
        Row("GET", lambda w: "/team/", only({"manager": 200, "other_team_manager": 200}))
    ],
}
