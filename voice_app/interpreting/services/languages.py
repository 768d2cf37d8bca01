"""The languages each interpreter works in, as an administrator sets them.

Requests are offered only to interpreters who work in the request's language
(``requests.interpreters_for``), so a change here changes who can be asked: every change
is audited with what was added and what was taken away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from sqlalchemy import delete, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.i18n import KNOWN_LANGUAGES
from voice_app.interpreting.models import InterpreterLanguage
from voice_app.interpreting.services.requests import languages_of


@dataclass(frozen=True)
class LanguageChange:
    added: list[str]
    removed: list[str]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def interpreters() -> list[User]:
    """Every interpreter account, active ones first, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.INTERPRETER)
            .order_by(User.active.desc(), User.name, User.id)
        )
    )


def offered_languages() -> list[str]:
    """The languages an interpreter can be given with one tick: the twelve, less English
    (every request is between English and another language)."""
    return [code for code in KNOWN_LANGUAGES if code != "en"]


def language_code(text: str) -> str | None:
    """A language code such as ``so`` or ``fa`` that CLDR knows, lower-cased; else None."""
    code = text.strip().lower()
    if not code.isascii() or not code.isalpha() or not 2 <= len(code) <= 3 or code == "en":
        return None
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return None
    return code


def set_languages(interpreter: User, languages: Iterable[str], by: User | None) -> LanguageChange:
    """Make ``languages`` exactly the ones ``interpreter`` works in; audited when anything
    changes (``by`` None: the command line). ``ValueError`` for an account that is not an
    interpreter's."""
    if interpreter.role is not Role.INTERPRETER:
        raise ValueError("only interpreter accounts have working languages")
    now = set(languages_of([interpreter.id]).get(interpreter.id, []))
    wanted = set(languages)
    change = LanguageChange(sorted(wanted - now), sorted(now - wanted))
    if not change:
        return change
    if change.removed:
        db.session.execute(
            delete(InterpreterLanguage).where(
                InterpreterLanguage.user_id == interpreter.id,
                InterpreterLanguage.language.in_(change.removed),
            )
        )
    for code in change.added:
        db.session.add(InterpreterLanguage(user_id=interpreter.id, language=code))
    db.session.flush()
    audit.record(
        AuditAction.USER_UPDATED,
        target=f"user:{interpreter.id}",
        details={
            "fields": ["languages"],
            "languages_added": change.added,
            "languages_removed": change.removed,
        },
        actor=by,
    )
    return change
