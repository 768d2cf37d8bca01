"""Permission-matrix rows for safety alerts: a child's alerts page, one response for all,
"I don't feel safe" from the pages without the outbox, and "I pressed it by mistake"."""

from __future__ import annotations

import uuid

from tests.core.matrix import (
    CASE_EDITORS_POST,
    CASE_READERS,
    Row,
    World,
    child_only,
    everyone,
    only,
)
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.extensions import db


def extend_world(world: World) -> None:
    """A press of "I don't feel safe" by the matrix child."""
    child = db.session.get(Child, world.child_id)
    assert child is not None
    pressed, _ = add_contribution(
        child,
        Submission(str(uuid.uuid4()), ContributionKind.TEXT, SharingChoice.MY_WORKER, unsafe=True),
        Author(AuthorKind.CHILD, invitation_id=world.invitation_id),
    )
    world.extra["unsafe"] = pressed.id


ROWS: dict[str, list[Row]] = {
    "alerts.child_alerts": [
        Row("GET", lambda w: f"/children/{w.child_id}/safety-alerts", only(CASE_READERS))
    ],
    "alerts.respond_to_alerts": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/safety-alerts",
            only(CASE_EDITORS_POST),
            lambda w: {"note": "Her teacher spoke with her the same morning."},
        )
    ],
    # "I don't feel safe" on the pages without the outbox: stored, then back to the space;
    # with no child's space open, the join page says to tell a grown-up nearby.
    "child_space.tell_unsafe": [Row("POST", lambda w: "/unsafe", everyone(302))],
    "child_space.pressed_by_mistake": [
        Row(
            "POST",
            lambda w: f"/me/contributions/{w.extra['unsafe']}/mistake",
            child_only(200),
            as_json=True,
        )
    ],
}
