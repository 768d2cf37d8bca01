"""Switching the interface language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.i18n import CHILD_SPACE_KEY, FAMILY_SPACE_KEY, LANGUAGES, SESSION_KEY

bp = Blueprint("i18n", __name__)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only ever redirect within this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.post("/language")
def set_language() -> Response:
    locale = request.form.get("locale", "")
    if locale not in LANGUAGES:
        abort(400)
    session[SESSION_KEY] = locale
    # In a child's (or family's) space the choice is theirs: it must not change a
    # handing-over practitioner's own setting.
    in_child_space = CHILD_SPACE_KEY in session or FAMILY_SPACE_KEY in session
    if current_user.is_authenticated and not in_child_space and current_user.locale != locale:
        current_user.locale = locale
        audit.record(AuditAction.SETTINGS_CHANGED, details={"locale": locale})
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))
