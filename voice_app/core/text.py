"""Text a person typed: refused when it carries control characters.

A NUL byte or an escape sequence is never something a child or a practitioner meant to
write: it breaks PostgreSQL (which refuses NUL in text), terminals that show logs, and the
HTML of the timeline. Tab and newline are the only control characters text may carry.
Every form (``voice_app.core.forms.Form``) and every service that takes text from JSON
calls ``has_control_characters`` here, so the rule has one owner.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

#: C0 controls except tab (\x09) and newline (\x0a), DEL, and the C1 controls. A carriage
#: return is refused too: browsers send CRLF in a textarea, so forms normalise it first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

CONTROL_CHARACTER_MESSAGE = _l(
    "This has a hidden character in it that cannot be saved. "
    "Please type it again, or paste it as plain text."
)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR (what browsers and old systems send) become a newline."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab and newline.

    Carriage returns count as newlines (see ``normalise_newlines``).
    """
    return _CONTROL.search(normalise_newlines(text)) is not None
