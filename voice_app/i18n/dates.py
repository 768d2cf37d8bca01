"""Dates and times in each reader's own formats, through Flask-Babel.

A language code alone ("en") makes Babel use that language's default territory, and for
English that is the United States ("11/27/26, 4:48 PM"). English here is British English,
so every date is formatted for the language's territory in :data:`FORMAT_TERRITORIES`
("27/11/2026, 16:48"); the other languages keep their own formats. This holds under
``force_locale`` too (an export made in the requester's language), because the Jinja
filters every template uses (``datetimeformat``, ``dateformat``, ``timeformat``) are
replaced by the ones here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import flask_babel
from babel import Locale
from flask import Flask, current_app

#: The territory whose formats a language's dates follow where the language alone would
#: pick another country's (Babel's "en" is American English).
FORMAT_TERRITORIES: dict[str, str] = {"en": "GB"}


def formatting_locale(locale: Locale | str | None = None) -> Locale:
    """The locale whose date formats a reader of ``locale`` (default: this request's) expects."""
    if locale is None:
        locale = flask_babel.get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]
    parsed = Locale.parse(locale)
    territory = FORMAT_TERRITORIES.get(parsed.language)
    if parsed.territory or territory is None:
        return parsed
    return Locale(parsed.language, territory, script=parsed.script)


def format_datetime(value: datetime | None = None, format: str | None = None) -> str:
    """A moment, in the reader's time zone and formats (``short``, ``medium``, ``long``...)."""
    with flask_babel.force_locale(formatting_locale()):
        return flask_babel.format_datetime(value, format)


def format_date(value: date | datetime | None = None, format: str | None = None) -> str:
    with flask_babel.force_locale(formatting_locale()):
        return flask_babel.format_date(value, format)


def format_time(value: time | datetime | None = None, format: str | None = None) -> str:
    with flask_babel.force_locale(formatting_locale()):
        return flask_babel.format_time(value, format)


def format_moment(value: datetime) -> str:
    """A day and a time a child can read: the long date and the short time, joined as the
    language joins them ("27 November 2026, 16:48"; "27 listopada 2026, 16:48")."""
    locale = formatting_locale()
    joined = str(locale.datetime_formats["medium"])
    pattern = joined.replace("{0}", locale.time_formats["short"].pattern).replace(
        "{1}", locale.date_formats["long"].pattern
    )
    with flask_babel.force_locale(locale):
        return flask_babel.format_datetime(value, pattern)


def init_dates(app: Flask) -> None:
    """Make every template's date filters use :func:`formatting_locale`."""
    filters: dict[str, Any] = {
        "datetimeformat": format_datetime,
        "dateformat": format_date,
        "timeformat": format_time,
        "momentformat": format_moment,
    }
    app.jinja_env.filters.update(filters)
