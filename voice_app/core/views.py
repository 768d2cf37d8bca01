"""The front door: send each person to where their work is."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from voice_app.core.permissions import Permission

bp = Blueprint("core", __name__)


@bp.get("/")
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    if current_user.can(Permission.CASE_LIST):
        return redirect(url_for("children.case_list"))
    return redirect(url_for("admin.users"))
