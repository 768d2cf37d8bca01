"""Friendly error pages in the reader's language; never a stack trace, in the page or the log.

And ``Refused``: the one error a service raises when it will not make a change.
"""

from __future__ import annotations

import sqlalchemy.exc
from flask import Flask, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from voice_app.core.logs import describe_exception
from voice_app.i18n import locale_without_the_database, text_direction


class Refused(ValueError):
    """A service refused the change and stored nothing.

    ``problems`` maps form fields to messages in the reader's language; each area names
    its own subclass (``EntryRefused``, ``PlanRefused``...) so call sites read well.
    """

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


ERROR_TEXT = {
    400: (_l("We could not understand that request"), _l("Please go back and try again.")),
    403: (
        _l("You do not have permission to do that"),
        _l("If you think you should, ask your manager or an administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("The page may have moved, or you may not have access to it."),
    ),
    405: (_l("That cannot be done here"), _l("Please go back and try again.")),
    413: (
        _l("That file is too big"),
        _l("Please choose a smaller file and try again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Please wait a few minutes before trying again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Please try again in a moment."),
    ),
    503: (
        _l("We are very busy just now"),
        _l("Nothing you did caused this. Please try again in a moment."),
    ),
}
#: Seconds a client is asked to wait before sending again when every connection is busy.
BUSY_RETRY_AFTER = 5


def _render(code: int, message: str | None = None) -> tuple[Response | str, int]:
    title, hint = ERROR_TEXT.get(code, ERROR_TEXT[500])
    if request.accept_mimetypes.best == "application/json" or request.path == "/healthz":
        return jsonify({"error": str(title)}), code
    return render_template("errors/error.html", code=code, title=title, hint=message or hint), code


def _busy_answer() -> Response | str:
    """The "busy, try again" answer, made without the database: the usual error page reads
    the signed-in account (its name in the header, its language), which is what could
    not be reached."""
    locale = locale_without_the_database()
    with force_locale(locale):
        title, hint = (str(text) for text in ERROR_TEXT[503])
    if request.accept_mimetypes.best == "application/json" or request.path == "/healthz":
        return jsonify({"error": title})
    return BUSY_PAGE.format(
        lang=escape(locale), dir=text_direction(locale), title=escape(title), hint=escape(hint)
    )


BUSY_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main><h1>{title}</h1><p>{hint}</p></main></body>
</html>
"""


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[Response | str, int]:
        return _render(
            400, str(_l("This form had expired. Please go back, reload the page and try again."))
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return _render(error.code or 500)

    def too_busy(what: str) -> tuple[Response | str, int, dict[str, str]]:
        # The machine is overloaded, not broken. Nothing was written; the client (a
        # tablet's outbox, a person) is told to try again shortly.
        app.logger.warning("Busy: %s for %s %s", what, request.method, request.endpoint)
        from voice_app.extensions import db

        db.session.rollback()
        return _busy_answer(), 503, {"Retry-After": str(BUSY_RETRY_AFTER)}

    @app.errorhandler(sqlalchemy.exc.TimeoutError)
    def no_connection(
        error: sqlalchemy.exc.TimeoutError,
    ) -> tuple[Response | str, int, dict[str, str]]:
        # Every pooled connection stayed busy for the pool's timeout.
        return too_busy("no database connection")

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    def database_error(
        error: sqlalchemy.exc.OperationalError,
    ) -> tuple[Response | str, int] | tuple[Response | str, int, dict[str, str]]:
        # SQLite's write lock stayed taken for its whole busy_timeout (core.db): busy too.
        if "database is locked" in str(error.orig):
            return too_busy("the SQLite write lock stayed taken")
        return unexpected_error(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        # The type and where, never the message, the form or the body: they can hold a
        # child's words (voice_app.core.logs).
        app.logger.error(
            "Unhandled error in %s %s: %s",
            request.method,
            request.endpoint or "(no endpoint)",
            describe_exception(error),
        )
        from voice_app.extensions import db

        db.session.rollback()
        return _render(InternalServerError.code)
