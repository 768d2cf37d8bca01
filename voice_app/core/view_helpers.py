"""What a form view does with a service's answer, written once.

A refused change is rolled back and its problems are shown beside the form's fields; an
accepted one is committed, flashed and redirected to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from voice_app.core.errors import Refused
from voice_app.extensions import db

T = TypeVar("T")


def show_problems(form: FlaskForm, problems: dict[str, str], summary: str | None = None) -> None:
    """Put a service's refusals beside the fields they concern, and a summary on top."""
    if summary is not None:
        form.form_errors.append(summary)
    for name, message in problems.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def commit_or_show(
    form: FlaskForm,
    action: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    redirect_to: str | Callable[[T], str],
    summary: str | None = None,
) -> BaseResponse | None:
    """Run ``action`` (the service call) as the view's one unit of work.

    Refused: roll back, show the problems on ``form`` (``summary`` on top, if given) and
    return None, so the view shows the form again. Otherwise commit, flash ``success`` and
    return the redirect to ``redirect_to``; either may be a function of what ``action``
    returned, called after the commit.
    """
    try:
        result = action()
    except Refused as refused:
        db.session.rollback()
        show_problems(form, refused.problems, summary)
        return None
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
