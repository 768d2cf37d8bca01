"""The signed-in reader and the child a request names, or a 404 that never hints."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.children.services import find_visible_child


def reader() -> User:
    """The signed-in user, as the model object services expect."""
    user: User = current_user._get_current_object()
    return user


def child_or_404(child_id: int) -> Child:
    """The child if the signed-in user may see them; a 404 otherwise, never a hint."""
    child = find_visible_child(child_id, reader())
    if child is None:
        abort(404)
    return child
