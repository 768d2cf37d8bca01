"""``GET /healthz``: the state of the database, the job queue and the speech model."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from voice_app.core.queue import queue_status
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


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    database = database_status()
    queue = queue_status()
    speech_model = model_status(current_app.config["WHISPER_MODEL_DIR"])
    all_ok = database == "ok" and queue["status"] == "ok" and speech_model == "ready"
    body = {
        "status": "ok" if all_ok else "degraded",
        "database": database,
        "queue": queue,
        "speech_model": speech_model,
    }
    # Without its database the app cannot serve anyone; the rest only degrades it.
    return jsonify(body), 200 if database == "ok" else 503
