"""The front door: send each person to where their work is; the site's icon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

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
