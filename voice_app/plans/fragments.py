"""Parts of a plan page rendered once and kept while what they show stays the same.

A long plan's actions table (hundreds of rows) was about a third of the page's time, and
it reads the same on every request until an action changes. It is kept in the process,
keyed by everything it shows: every row as read for this request, the reader's language
(labels and dates), whether they may change actions, and the link it starts from. An
action changed makes a new key, and the old table ages out; nothing is ever served for a
key its reader did not compute from the rows they read. Actions are the professionals'
lines, never the child's words, so no consent or confidential-section decision is part
of what is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from voice_app.plans.labels import day_formatter, resolved_labels

#: Tables kept per process (a few hundred KiB each at most), the least recently read
#: going first.
MOST_KEPT = 64

_kept: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = threading.Lock()


def actions_table(actions: Sequence[Any], editable: bool, action_link: str) -> Markup:
    """The version's actions as the page's table; ``action_link`` (each row's "Change"
    link without the action's id) only when ``editable``."""
    key = (str(get_locale()), editable, action_link, tuple(actions))
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    html = Markup(  # noqa: S704 - a template rendered with autoescaping
        render_template(
            "plans/_actions_table.html",
            actions=actions,
            editable=editable,
            action_link=action_link,
            day=day_formatter(),
            **resolved_labels(),
        )
    )
    with _lock:
        _kept[key] = html
        while len(_kept) > MOST_KEPT:
            _kept.popitem(last=False)
    return html
