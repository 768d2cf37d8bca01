"""The "two languages" view of a live session: every prompt of the child's space in the
child's language and in the practitioner's, side by side, so the interpreter and the
practitioner follow what the child sees.

The prompts are the messages the child's space marks for translation (its templates and
its Python), read with Babel's own extractors; each language's words come from its
catalogue, so a prompt not yet translated says so rather than showing English twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from voice_app.config import ROOT

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


@cache
def child_space_prompts() -> tuple[str, ...]:
    """Every message of the child's space, in the order its files give them, once each."""
    found: list[str] = []
    sources = [
        ("jinja2.ext:babel_extract", path, {"trimmed": "true"})
        for path in sorted((ROOT / "templates" / "child_space").glob("*.html"))
    ] + [("python", path, {}) for path in sorted((ROOT / "voice_app" / "child_space").glob("*.py"))]
    for method, path, options in sources:
        for _line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            text = message[0] if isinstance(message, tuple) else message
            if text and text not in found:
                found.append(text)
    return tuple(found)


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as po:
        catalogue = read_po(po)
    words: dict[str, str] = {}
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        value = message.string[0] if isinstance(message.string, tuple) else message.string
        if key and value and not message.fuzzy:
            words[str(key)] = str(value)
    return words


def in_language(prompt: str, language: str) -> str | None:
    """The prompt in ``language``; None when its catalogue has no translation yet."""
    if language == "en":
        return prompt
    return _catalogue(language).get(prompt)


@dataclass(frozen=True)
class PromptPair:
    childs: str | None
    practitioners: str | None


def two_languages(child_language: str, practitioner_language: str) -> list[PromptPair]:
    return [
        PromptPair(in_language(p, child_language), in_language(p, practitioner_language))
        for p in child_space_prompts()
    ]
