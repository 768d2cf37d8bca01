"""Languages: which ones ship, which are right to left, and how a request's locale is chosen."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

from voice_app.core.actor import CHILD_SPACE_KEY as CHILD_SPACE_KEY
from voice_app.core.actor import FAMILY_SPACE_KEY as FAMILY_SPACE_KEY

#: Shipped languages, each named in its own language so a reader can always find theirs.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})
SESSION_KEY = "locale"


def select_locale() -> str:
    """The person's setting, then the session, then ``Accept-Language``, then the default.

    In a child's space the child's language comes first, never the practitioner's setting;
    in a family's space, the family member's own.
    """
    child_space = session.get(CHILD_SPACE_KEY)
    if isinstance(child_space, dict):
        chosen = session.get(SESSION_KEY)
        return str(chosen if chosen in LANGUAGES else child_space.get("locale", "en"))
    family_space = session.get(FAMILY_SPACE_KEY)
    if isinstance(family_space, dict):
        # The family member's own setting, not a handing-over practitioner's.
        chosen = session.get(SESSION_KEY)
        return str(chosen if chosen in LANGUAGES else family_space.get("locale", "en"))
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale in RIGHT_TO_LEFT else "ltr"
