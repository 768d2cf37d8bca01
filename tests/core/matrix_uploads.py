"""Permission-matrix rows for the child's resumable uploads: only the child's own device."""

from __future__ import annotations

import hashlib
import uuid

from tests.core.matrix import Row, World, child_only
from voice_app.contributions import upload_sessions

CHUNK = b"a chunk of a drawing"
UPLOAD_ID = "7d0c3b8e-5a61-4d7b-9a52-3f4a1c2b9e10"

ROWS = {
    "child_space.begin_upload": [
        Row(
            "POST",
            lambda w: "/me/contributions/uploads",
            child_only(200),
            lambda w: {
                "client_id": str(uuid.uuid4()),
                "kind": "drawing",
                "size": 1000,
                "sha256": "0" * 64,
            },
            as_json=True,
        )
    ],
    "child_space.upload_chunk": [
        Row(
            "PUT",
            lambda w: f"/me/contributions/uploads/{UPLOAD_ID}?offset=0",
            child_only(200),
            lambda w: {"body": CHUNK},
        )
    ],
}


def extend_world(world: World) -> None:
    """An upload the child's device began, waiting for its first chunk."""
    upload_sessions.begin(
        world.child_id, UPLOAD_ID, len(CHUNK), hashlib.sha256(CHUNK).hexdigest(), 10_000
    )
