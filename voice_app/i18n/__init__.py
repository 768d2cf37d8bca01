"""Languages: which ones ship, which are right to left, and how a request's locale is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request, session
from flask_babel import get_translations
from flask_login import current_user
from jinja2 import Environment

from voice_app.core.actor import CHILD_SPACE_KEY as CHILD_SPACE_KEY
from voice_app.core.actor import FAMILY_SPACE_KEY as FAMILY_SPACE_KEY


@dataclass(frozen=True)
class Language:
    """A language the app knows how to show: its own name, direction and script."""

    code: str
    #: The language's name in itself, so a reader can always find theirs in the picker.
    native_name: str
    english_name: str
    #: ISO 15924 script: which PDF fonts it needs (voice_app.i18n.fonts).
    script: str
    direction: str = "ltr"


#: Every language of the twelve, ready to ship once its catalog is complete.
KNOWN_LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English", "Latn"),
        Language("cy", "Cymraeg", "Welsh", "Latn"),
        Language("pl", "Polski", "Polish", "Latn"),
        Language("ro", "Română", "Romanian", "Latn"),
        Language("ur", "اردو", "Urdu", "Arab", "rtl"),
        Language("ar", "العربية", "Arabic", "Arab", "rtl"),
        Language("pa", "ਪੰਜਾਬੀ", "Punjabi (Gurmukhi)", "Guru"),
        Language("bn", "বাংলা", "Bengali", "Beng"),
        Language("so", "Soomaali", "Somali", "Latn"),
        Language("uk", "Українська", "Ukrainian", "Cyrl"),
        Language("pt", "Português", "Portuguese", "Latn"),
        Language("tr", "Türkçe", "Turkish", "Latn"),
    )
}

#: The languages that ship. Adding one is this line, once its catalog is complete
#: (`flask i18n check` refuses a shipped language without one) and translations/README.md
#: and GLOSSARY.md have its row and column.
SHIPPED = ("en", "cy", "pl", "ro", "ur", "ar", "pa", "bn", "so", "uk", "pt", "tr")

#: Shipped languages, each named in its own language so a reader can always find theirs.
LANGUAGES: dict[str, str] = {code: KNOWN_LANGUAGES[code].native_name for code in SHIPPED}
RIGHT_TO_LEFT = frozenset(
    code for code, language in KNOWN_LANGUAGES.items() if language.direction == "rtl"
)
SESSION_KEY = "locale"


def select_locale() -> str:
    """The person's setting, then the session, then ``Accept-Language``, then the default.

    In a child's space the child's language comes first, never the practitioner's setting;
    in a family's space, the family member's own.
    """
    in_a_space = _space_locale()
    if in_a_space:
        return in_a_space
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    return _session_or_browser_locale()


def locale_without_the_database() -> str:
    """``select_locale`` without the staff account's setting (which is read from the
    database): for answers given when the database cannot be reached."""
    return _space_locale() or _session_or_browser_locale()


def _space_locale() -> str | None:
    """In a child's or a family's space, that space's language."""
    for key in (CHILD_SPACE_KEY, FAMILY_SPACE_KEY):
        space = session.get(key)
        if isinstance(space, dict):
            chosen = session.get(SESSION_KEY)
            return str(chosen if chosen in LANGUAGES else space.get("locale", "en"))
    return None


def _session_or_browser_locale() -> str:
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str) -> str:
    """``rtl`` for Arabic and Urdu (also as ``ar_EG`` or ``ur-PK``), else ``ltr``."""
    return "rtl" if locale.replace("-", "_").split("_")[0] in RIGHT_TO_LEFT else "ltr"


def bound_gettext() -> dict[str, Any]:
    """The templates' gettext callables (``{% trans %}``, and ``_()``, which calls them)
    bound to this request's catalogue, for every page's context.

    The app's own (Flask-Babel's) look the catalogue up again for each message: about
    12 µs each against 5 µs bound, and a staff page shows 50 to 100 messages. The same
    catalogue and the same wrapping (Jinja's i18n extension: autoescaping, ``%``
    formatting), made once per catalogue and process. Macros imported without context
    keep the app's callables: the same words, looked up the slower way.
    """
    translations = get_translations()
    made: dict[Any, dict[str, Any]] = current_app.extensions.setdefault("bound_gettext", {})
    if translations not in made:
        # Only its i18n extension is used, to wrap the callables; it renders nothing.
        environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        environment.install_gettext_callables(  # type: ignore[attr-defined]
            translations.ugettext,
            translations.ungettext,
            newstyle=True,
            pgettext=translations.upgettext,
            npgettext=translations.unpgettext,
        )
        names = ("gettext", "ngettext", "pgettext", "npgettext")
        made[translations] = {name: environment.globals[name] for name in names}
    return made[translations]
