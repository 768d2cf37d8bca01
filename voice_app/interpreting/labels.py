"""Names of languages and of request kinds, in the reader's language."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from voice_app.interpreting.models import RequestKind, RequestStatus, TranslationStatus

#: Languages an interpreter may be asked for: the twelve the app ships, English aside,
#: and others families in England speak often. Codes as in ``voice_app.i18n.LANGUAGES``.
REQUEST_LANGUAGES = (
    "ar", "bn", "cy", "es", "fa", "fr", "ku", "pa", "pl",
    "ps", "pt", "ro", "so", "ti", "tr", "uk", "ur",
)  # fmt: skip


def language_name(code: str) -> str:
    """The language's name in the reader's language (CLDR's names, through Babel)."""
    try:
        return Locale.parse(code).get_display_name(str(get_locale() or "en")) or code
    except (ValueError, UnknownLocaleError):
        return code


KIND_LABELS = {
    # i18n: what an interpreter is asked to translate: a child's or family's contribution.
    RequestKind.CONTRIBUTION: _l("Words from the child or family"),
    RequestKind.REPORT_SECTION: _l("A section of a report"),
    RequestKind.REPORT_DRAFT: _l("A report draft"),
    # i18n: the plan as the family reads it.
    RequestKind.PLAN: _l("The family's version of the plan"),
    # i18n: an interpreter comes to a meeting or visit and interprets in person.
    RequestKind.LIVE_SESSION: _l("Interpreting at a session"),
}

STATUS_LABELS = {
    RequestStatus.OPEN: _l("Open"),
    RequestStatus.DONE: _l("Done"),
}

TRANSLATION_LABELS = {
    # i18n: shown on Whisper's draft English translation, until an interpreter checks it.
    TranslationStatus.MACHINE_DRAFT: _l("machine translation, not checked"),
    TranslationStatus.DRAFT: _l("draft, not yet confirmed"),
    TranslationStatus.CONFIRMED: _l("confirmed"),
}
