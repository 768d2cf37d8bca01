"""``GET /healthz``: whether the app is ready to serve, and the state of each part.

Ready means: the database answers, its schema is at the newest migration, the media store
(a folder or an S3 bucket) can be written, a worker has written its heartbeat recently,
and — on a demo database (``VOICE_APP_DEMO``, set by
``make run``) — the demo accounts are seeded. Anything else answers 503 and names the
failing parts, so a load balancer or a script waits until sign-in works. The speech model
only degrades the app (transcripts wait), so it is reported but not required.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text
from werkzeug.wrappers import Response

from voice_app.core.queue import queue_status
from voice_app.core.storage import media_store
from voice_app.extensions import db, limiter
from voice_app.transcription.engine import model_status

bp = Blueprint("health", __name__)


def database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return "unavailable"
    finally:
        db.session.rollback()
    return "ok"


@lru_cache(maxsize=4)
def _migration_heads(directory: str) -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory(directory).get_heads()))


def schema_status() -> dict[str, Any]:
    """The database's migration revision beside the newest one the code ships."""
    head = _migration_heads(current_app.extensions["migrate"].directory)
    try:
        current = tuple(
            sorted(MigrationContext.configure(db.session.connection()).get_current_heads())
        )
    except Exception as exc:
        return {"status": "unavailable", "error": type(exc).__name__}
    finally:
        db.session.rollback()
    if current == head:
        status = "at_head"
    elif not current:
        status = "empty"
    else:
        status = "behind"
    return {"status": status, "current": list(current), "head": list(head)}


def demo_status() -> str:
    """``seeded`` when every demo account exists (``flask demo`` seeds in one transaction)."""
    from voice_app.accounts.models import User
    from voice_app.core.demo import DEMO_STAFF

    emails = [email for email, *_rest in DEMO_STAFF]
    try:
        found = db.session.scalar(
            select(func.count()).select_from(User).where(User.email.in_(emails))
        )
    finally:
        db.session.rollback()
    return "seeded" if found == len(emails) else "not_seeded"


def media_status() -> str:
    try:
        return "ok" if media_store().blobs.check() else "unavailable"
    except Exception:  # a store that cannot even be built (a malformed MEDIA_URL)
        return "unavailable"


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    database = database_status()
    schema = schema_status() if database == "ok" else {"status": "unavailable"}
    demo = demo_status() if schema["status"] == "at_head" else "unknown"
    queue = queue_status()
    speech_model = model_status(current_app.config["WHISPER_MODEL_DIR"])
    media = media_status()
    failing = [
        part
        for part, ok in (
            ("database", database == "ok"),
            ("schema", schema["status"] == "at_head"),
            ("media", media == "ok"),
            ("queue", queue["status"] != "unavailable"),
            ("worker", queue["status"] == "ok"),
            ("demo", demo == "seeded" or not current_app.config["DEMO"]),
        )
        if not ok
    ]
    degraded = "ok" if speech_model == "ready" else "degraded"
    status = "not_ready" if failing else degraded
    body = {
        "status": status,
        "ready": not failing,
        "failing": failing,
        "database": database,
        "schema": schema,
        "demo": demo,
        "queue": queue,
        "media": media,
        "speech_model": speech_model,
    }
    return jsonify(body), 503 if failing else 200
