"""The front door: send each person to where their work is; the site's icon; "still
here" while someone types."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from voice_app.core.actor import actor_key
from voice_app.core.permissions import Permission

bp = Blueprint("core", __name__)


@bp.get("/")
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    if current_user.can(Permission.INTERPRETING_WORK):
        # An interpreter's home is their queue of requests.
        return redirect(url_for("interpreter_work.queue"))
    if current_user.can(Permission.CASE_LIST):
        return redirect(url_for("children.case_list"))
    return redirect(url_for("admin.users"))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for on every page (static/favicon.ico), so none of them 404s."""
    icon = _icon_bytes(current_app.static_folder or "static")
    response = Response(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@cache
def _icon_bytes(folder: str) -> bytes:
    # A few hundred bytes, read once: no open file is left to a client that never reads it.
    return (Path(folder) / "favicon.ico").read_bytes()


@bp.post("/still-here")
def still_here() -> Response:
    """Someone signed in is typing on this device: their session's idle clock starts again.

    The session ends after ``SESSION_IDLE_MINUTES`` without a request, for devices left
    alone; but a person writing a long note makes no request while they type, and met the
    sign-in page when they sent it. ``static/js/app.js`` ("still here") calls this while
    they type into a form, at most once every third of the limit, so typing counts as
    activity and a device left alone still ends its session on time. Answering renews
    the session cookie, as every request does; nothing else is read or written. Nobody
    signed in (an ended session included, which this never revives): 401.
    """
    return Response(status=204 if actor_key() else 401)
