"""Permission-matrix rows for read-aloud: prompt audio for the child's device and staff,
the prompt-recording page for staff who record prompts, and the public "about" page."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from tests.core.matrix import CHILD_SPACE, LOGIN, ROLES, Row, World, everyone, only
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.read_aloud import named
from voice_app.read_aloud.models import PromptRecording
from voice_app.read_aloud.prompts import digest, normalise

#: A prompt every language has, as the matrix's rows ask for it (Welsh).
PROMPT = "Please choose who can see this."

#: Prompt audio: the child on their device and anyone signed in as staff; nobody else.
LISTENERS: dict[str, int | str] = {
    **everyone(200),
    "anonymous": 401,
    "family": 401,
    "other_family": 401,
}
#: Staff who record prompts; admins run the system and do not.
RECORDERS = only(
    {
        "practitioner": 200,
        "unassigned_practitioner": 200,
        "manager": 200,
        "other_team_manager": 200,
        "interpreter": 200,
    }
)
RECORDERS_POST = {key: 302 if value == 200 else value for key, value in RECORDERS.items()}
#: A prompt with the child's name in it is case data: their own space and staff who may
#: read the child; to anyone else the child is not there.
NAMED = {
    **{role: 404 for role in ROLES},
    "anonymous": 401,
    "family": 401,
    "other_family": 401,
    "child": 200,
    "practitioner": 200,
    "manager": 200,
}
#: A take not yet published: heard only by staff who record prompts.
DRAFT = {**LISTENERS, "child": 404, "admin": 404}


def extend_world(world: World) -> None:
    practitioner = world.users["practitioner"]
    with force_locale("cy"):
        text = normalise(gettext(PROMPT))
    key = digest("cy", text)

    def take(published: bool) -> int:
        row = PromptRecording(
            language="cy",
            prompt_key=key,
            text=text,
            media_id=media_store().put(b"not played in the matrix"),
            content_type="audio/ogg",
            duration_seconds=1.0,
            recorded_by_id=practitioner.id,
        )
        if published:
            row.published_at = utcnow()
            row.published_by_id = practitioner.id
        db.session.add(row)
        db.session.flush()
        return row.id

    child = db.session.get_one(Child, world.child_id)
    named_key = next(iter(named.prompts_for(child, "cy")))
    world.extra.update(
        prompt_key=key, draft_take=take(False), published_take=take(True), named_key=named_key
    )


ROWS = {
    "read_aloud.index": [Row("GET", lambda w: "/read-aloud/cy/prompts.json", LISTENERS)],
    "read_aloud.audio": [
        Row("GET", lambda w: f"/read-aloud/cy/{w.extra['prompt_key']}.ogg", LISTENERS)
    ],
    "read_aloud.named_audio": [
        Row(
            "GET",
            lambda w: f"/read-aloud/children/{w.child_id}/cy/{w.extra['named_key']}.ogg",
            NAMED,
        )
    ],
    "read_aloud.recording": [
        Row("GET", lambda w: f"/read-aloud/recordings/{w.extra['draft_take']}", DRAFT),
        Row("GET", lambda w: f"/read-aloud/recordings/{w.extra['published_take']}", LISTENERS),
    ],
    "read_aloud.prompts": [Row("GET", lambda w: "/read-aloud/prompts?language=cy", RECORDERS)],
    "read_aloud.record": [
        # No file: refused with a message on the page it came from, for those who may record.
        Row("POST", lambda w: f"/read-aloud/prompts/cy/{w.extra['prompt_key']}", RECORDERS_POST)
    ],
    "read_aloud.publish": [
        Row(
            "POST",
            lambda w: f"/read-aloud/recordings/{w.extra['draft_take']}/publish",
            RECORDERS_POST,
        )
    ],
    "read_aloud.about": [Row("GET", lambda w: "/about/pictures-and-voices", everyone(200))],
}

assert set(ROLES) == set(LISTENERS) and RECORDERS["child"] == CHILD_SPACE
assert RECORDERS["anonymous"] == LOGIN
