"""The prompts of the child's space: every fixed string a child may hear read aloud.

They are found where they are written (the child's-space templates and Python modules),
by Babel's own extractors, so a prompt added to a template is in the catalogue at once.
Strings with placeholders (a name, a number) cannot be spoken ahead. Those whose only
placeholder is a person's name ("Hello, %(name)s!") are spoken on demand for one child
(``named_prompts``): that audio holds the name, so it is case data (``read_aloud.named``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_python
from flask import current_app
from flask_babel import force_locale, gettext
from jinja2.ext import babel_extract

from voice_app.config import ROOT

TEMPLATES = ROOT / "templates" / "child_space"
PYTHON_MODULES = (
    ROOT / "voice_app" / "child_space" / "views.py",
    ROOT / "voice_app" / "child_space" / "labels.py",
)
_KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def normalise(text: str) -> str:
    """The text as the page reads it out: runs of white space as one space."""
    return re.sub(r"\s+", " ", text).strip()


def digest(language: str, text: str) -> str:
    """The key of one spoken string: its language and its words."""
    return hashlib.sha256(f"{language}\n{normalise(text)}".encode()).hexdigest()[:32]


def _from_templates() -> Iterable[str]:
    options = {"trimmed": "true", "extensions": "jinja2.ext.do"}
    for path in sorted(TEMPLATES.glob("*.html")):
        with path.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(
                handle, ("gettext", "_"), [], options
            ):
                if isinstance(message, str):
                    yield message


def _from_python(path: Path) -> Iterable[str]:
    with path.open("rb") as handle:
        for _line, function, message, _comments in extract_python(handle, _KEYWORDS, [], {}):
            if function in _KEYWORDS and isinstance(message, str):
                yield message


def _from_labels() -> Iterable[str]:
    """Feelings and houses, named in the contributions area."""
    from voice_app.contributions.labels import FEELINGS, HOUSES

    with force_locale("en"):
        yield from (str(label) for label in (*FEELINGS.values(), *HOUSES.values()))


def _sources() -> Iterable[str]:
    yield from _from_templates()
    for path in PYTHON_MODULES:
        yield from _from_python(path)


@cache
def _msgids() -> tuple[str, ...]:
    found: dict[str, None] = {}
    for message in _sources():
        if "%(" not in message and normalise(message):
            found[normalise(message)] = None
    return tuple(found)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def named_prompt_ids() -> tuple[str, ...]:
    """Message ids whose only placeholder is ``%(name)s``: a prompt with a person's name.

    Kept as written (not normalised): gettext looks them up by their exact id.
    """
    found: dict[str, None] = {}
    for message in _sources():
        if set(_PLACEHOLDER.findall(message)) == {"name"} and "%" not in _PLACEHOLDER.sub(
            "", message
        ):
            found[message] = None
    return tuple(found)


def named_key(language: str, voice: str, text: str) -> str:
    """The key of one prompt spoken with a name in it: a keyed hash of its language, voice
    and words, so neither a file's name nor a URL (nor a log line) gives the name away, and
    a guessed name cannot be checked against one without the app's secret key."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"read-aloud:named\n{language}\n{voice}\n{normalise(text)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def named_prompts(language: str, voice: str, names: Iterable[str]) -> dict[str, str]:
    """``{key: text}`` for every named prompt of ``language`` with each of ``names`` in
    it, as the page shows it (needs an app context)."""
    found: dict[str, str] = {}
    with force_locale(language):
        for msgid in named_prompt_ids():
            for name in names:
                text = normalise(gettext(msgid, name=name))
                found.setdefault(named_key(language, voice, text), text)
    return found


def prompt_ids() -> tuple[str, ...]:
    """Every prompt's English source text (its gettext message id)."""
    return _msgids() + tuple(m for m in _label_ids() if m not in _msgids())


@cache
def _label_ids() -> tuple[str, ...]:
    return tuple(normalise(m) for m in _from_labels())


def prompt_rows(language: str) -> list[tuple[str, str, str]]:
    """``(digest, text in language, English source)`` for every prompt, once per distinct
    text (two sources may share a translation); needs an app context.

    Kept per app and language: the catalogues do not change while the app runs, and every
    audio request looks its prompt up here.
    """
    known = current_app.extensions.setdefault("read_aloud_prompts", {})
    if language not in known:
        rows: dict[str, tuple[str, str, str]] = {}
        with force_locale(language):
            for msgid in prompt_ids():
                text = normalise(gettext(msgid))
                rows.setdefault(digest(language, text), (digest(language, text), text, msgid))
        known[language] = list(rows.values())
    return list(known[language])


def prompts_in(language: str) -> dict[str, str]:
    """``{digest: text}`` for every prompt, in ``language`` (needs an app context)."""
    return {key: text for key, text, _source in prompt_rows(language)}
