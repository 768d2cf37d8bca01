"""Parts of a plan page rendered once and kept while what they show stays the same: the
whole page's body, the actions table and the scaling chart with its table.

The body (``page_body``) is kept by the child's case revision (``core.case_revisions``: a
new token whenever anything in the case is written, the plan's rows and the child's words
alike) together with the reader's language, time zone and right to change the plan, and
the day (reviews fall due). Nothing read for the body can change without the revision
changing: what consent and the confidential section allow is decided, through the
disclosure owner, while the body is made, from rows of the case. A body is kept only when
the revision is still the one it was made under. The reader's own CSRF token is written
into the kept body on the way out; the body holds a placeholder.

A long plan's actions table (hundreds of rows) was about a third of the page's time, and
it reads the same on every request until an action changes. It is kept in the process,
keyed by everything it shows: every row as read for this request, the reader's language
(labels and dates), whether they may change actions, and the link it starts from. An
action changed makes a new key, and the old table ages out; nothing is ever served for a
key its reader did not compute from the rows they read. Actions are the professionals'
lines, never the child's words, so no consent or confidential-section decision is part
of what is kept. The chart's key holds the very points its reader was allowed (the
child's own answers as the disclosure owner lets this reader see them now): the decision
is made for every request, and only the drawing of its result is kept.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from flask import current_app, g, render_template
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from voice_app.plans import chart
from voice_app.plans.labels import day_formatter, resolved_labels
from voice_app.plans.services.reading import ScaleSeries


class _Kept:
    """Rendered HTML kept per process: at most ``most`` entries, the least recently read
    going first, and none older than ``KEPT_SECONDS`` (a purged record's words must not
    stay in a server's memory for long after its rows are gone)."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._entries: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if time.monotonic() - found[0] > KEPT_SECONDS:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, html: str) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), html)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)


#: How long anything is kept, at most.
KEPT_SECONDS = 600.0
#: Tables kept per process (a few hundred KiB each at most).
_kept = _Kept(64)
#: Page bodies kept per process (up to a few hundred KiB each for the longest plans).
_pages = _Kept(32)
#: Stands for the reader's CSRF token in a kept body; random, so no text can forge it.
_TOKEN_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def _kept_or_made(key: Hashable, make: Callable[[], str]) -> Markup:
    html = _kept.get(key)
    if html is None:
        html = make()
        _kept.put(key, html)
    return Markup(html)  # noqa: S704 - templates rendered with autoescaping


def page_body(key: Hashable, make: Callable[[], str], still_current: Callable[[], bool]) -> Markup:
    """The page's body for ``key``, made by ``make`` when not kept; kept only if
    ``still_current()`` says the case was not written while it was made."""
    html = _pages.get(key)
    if html is None:
        html = _made_with_placeholder(make)
        if still_current():
            _pages.put(key, html)
    return Markup(html.replace(_TOKEN_PLACEHOLDER, generate_csrf()))  # noqa: S704


def _made_with_placeholder(make: Callable[[], str]) -> str:
    """``make()`` with every CSRF token it writes (Flask-WTF keeps the request's token in
    ``g``) written as the placeholder."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own = g.pop(name, None)
    setattr(g, name, _TOKEN_PLACEHOLDER)
    try:
        return make()
    finally:
        g.pop(name, None)
        if own is not None:
            setattr(g, name, own)


def actions_table(actions: Sequence[Any], editable: bool, action_link: str) -> Markup:
    """The version's actions as the page's table; ``action_link`` (each row's "Change"
    link without the action's id) only when ``editable``."""
    return _kept_or_made(
        ("actions", str(get_locale()), editable, action_link, tuple(actions)),
        lambda: render_template(
            "plans/_actions_table.html",
            actions=actions,
            editable=editable,
            action_link=action_link,
            day=day_formatter(),
            **resolved_labels(),
        ),
    )


def chart_section(series: list[ScaleSeries], labels: list[str], title: str, rtl: bool) -> Markup:
    """The scaling chart and its table. ``series`` are the points this reader may see (the
    child's own answers as consent allows them now), so they are the key itself: the same
    figures, labels and language make the same chart for whoever reads them."""
    key = (
        "chart",
        str(get_locale()),
        rtl,
        title,
        tuple(labels),
        tuple((s.kind, s.label, tuple(s.points)) for s in series),
    )

    def make() -> str:
        lines = chart.lines(series, labels, rtl)
        days, rows = chart.table_rows(series)
        return render_template(
            "plans/_chart.html",
            chart_svg=chart.render_svg(lines, title, rtl) if days else None,
            chart_lines=lines,
            chart_days=days,
            chart_rows=rows,
            day=day_formatter(),
        )

    return _kept_or_made(key, make)


def scale_fields(form: Any) -> Markup:
    """The empty "add a scale" form's fields (not its token, which is the reader's own).

    The page always shows the form empty (a refused scale goes back with a message), so
    its fields change only with the reviews offered and the language; built and rendered
    per request, the select of every review was a tenth of a long plan's page.
    """
    choices = tuple(form.review_id.choices)
    return _kept_or_made(
        ("scale", str(get_locale()), choices),
        lambda: render_template("plans/_scale_fields.html", scale_form=form),
    )
