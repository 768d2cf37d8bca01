"""Permission-matrix rows for interpreting: a child's requests (practitioners and
managers), the interpreter's queue, the item a request shows, translating, finishing.

Matrix Child's interpreter has two requests (their voice recording and their drawing);
only they open them. Including a confidential item needs a manager with a live grant:
the matrix manager has none, so they are refused.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.core.matrix import ADMIN_ONLY, CASE_EDITORS_POST, CASE_READERS, Row, World, only
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.interpreting.models import RequestKind
from voice_app.interpreting.services import requests


def extend_world(world: World) -> None:
    interpreter = world.users["interpreter"]
    requests.add_language(interpreter, "pl")
    child = db.session.get_one(Child, world.child_id)
    made = {}
    for name, contribution_id in (("voice", world.voice_id), ("drawing", world.drawing_id)):
        draft = requests.RequestDraft(
            RequestKind.CONTRIBUTION,
            "pl",
            interpreter.id,
            date.today() + timedelta(days=3),
            contribution_id=contribution_id,
        )
        made[name] = requests.create_request(
            child, draft, world.users["practitioner"], date.today()
        ).id
    session = requests.RequestDraft(
        RequestKind.LIVE_SESSION,
        "pl",
        interpreter.id,
        date.today() + timedelta(days=3),
        session_at=utcnow() + timedelta(days=3),
        session_place="Matrix Family Centre",
    )
    made["session"] = requests.create_request(
        child, session, world.users["practitioner"], date.today()
    ).id
    world.extra.update(
        voice_request=made["voice"],
        drawing_request=made["drawing"],
        session_request=made["session"],
    )


def _i(w: World) -> str:
    return f"/interpreting/{w.extra['voice_request']}"


INTERPRETER_ONLY = only({"interpreter": 200})


ROWS: dict[str, list[Row]] = {
    "interpreting.child_requests": [
        Row("GET", lambda w: f"/children/{w.child_id}/interpreting", only(CASE_READERS))
    ],
    "interpreting.ask": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/interpreting",
            only(CASE_EDITORS_POST),
            lambda w: {
                "kind": "contribution",
                "language": "pl",
                "interpreter_id": str(w.users["interpreter"].id),
                "due_on": (date.today() + timedelta(days=5)).isoformat(),
                "contribution_id": str(w.voice_id),
            },
        )
    ],
    "interpreting.include_confidential": [
        Row(
            "POST",
            lambda w: (
                f"/children/{w.child_id}/interpreting/{w.extra['voice_request']}"
                "/include-confidential"
            ),
            only({"other_team_manager": 404}),
        )
    ],
    "interpreter_work.queue": [Row("GET", lambda w: "/interpreting", INTERPRETER_ONLY)],
    "interpreter_work.item": [Row("GET", _i, INTERPRETER_ONLY)],
    "interpreter_work.translate": [
        Row(
            "POST",
            lambda w: f"{_i(w)}/translations",
            only({"interpreter": 302}),
            lambda w: {
                "source": f"contribution:{w.voice_id}",
                "text": "I like school",
                "action": "draft",
            },
        )
    ],
    "interpreter_work.done": [Row("POST", lambda w: f"{_i(w)}/done", only({"interpreter": 302}))],
    "interpreter_work.two_languages_for_interpreter": [
        Row(
            "GET",
            lambda w: f"/interpreting/{w.extra['session_request']}/two-languages",
            INTERPRETER_ONLY,
        )
    ],
    "interpreting.two_languages_for_practitioner": [
        Row(
            "GET",
            lambda w: (
                f"/children/{w.child_id}/interpreting/{w.extra['session_request']}/two-languages"
            ),
            only(CASE_READERS),
        )
    ],
    # Setting an interpreter's languages is user administration: admins only.
    "interpreter_languages.overview": [Row("GET", lambda w: "/admin/interpreters", ADMIN_ONLY)],
    "interpreter_languages.edit": [
        Row("GET", lambda w: f"/admin/interpreters/{w.users['interpreter'].id}", ADMIN_ONLY),
        Row(
            "POST",
            lambda w: f"/admin/interpreters/{w.users['interpreter'].id}",
            only({"admin": 302}),
            lambda w: {"languages": ["pl", "ar"], "other": ""},
        ),
    ],
    "interpreter_work.original": [
        Row(
            "GET",
            lambda w: f"/interpreting/{w.extra['drawing_request']}/original",
            INTERPRETER_ONLY,
        )
    ],
}
