"""translations/GLOSSARY.md, read by `flask i18n check`: each safeguarding term one way.

The glossary is a Markdown table: a row per term, a column per language (headed by its
code: ``en``, ``cy``...), and a ``note`` column. A cell is the chosen rendering, then, in
brackets, the forms of it a translation may use (cases, mutations, the article): for
Polish ``zgoda (zgod*)``. Each form is words separated by spaces; ``*`` in a word stands
for any letters, so ``*موافق*`` also accepts an Arabic word with ``ال`` or ``ب`` before it.
Without brackets the rendering itself is the only form. A form starting with ``!`` is a
phrase where the words mean something else ("!positive contribution"): it is not the term.
Forms are matched without regard to case; combining marks (Arabic vowel marks) are
ignored on both sides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

CELL = re.compile(r"^(?P<text>[^(]*?)\s*(?:\((?P<forms>[^)]*)\))?\s*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
EMPTY_CELLS = frozenset({"", "-", "—", "–"})


def _plain(text: str) -> str:
    """``text`` without combining marks, with one kind of apostrophe, for matching."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return "".join(char for char in text if not unicodedata.category(char).startswith("M"))


def _form_pattern(form: str) -> re.Pattern[str]:
    words = [re.escape(word).replace(r"\*", r"\w*") for word in _plain(form).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Rendering:
    """How a term is written in one language, and the forms of it that count."""

    text: str
    forms: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = field(repr=False)
    #: Phrases with the same words that are not the term.
    exceptions: tuple[re.Pattern[str], ...] = field(default=(), repr=False)

    @classmethod
    def parse(cls, cell: str) -> Rendering | None:
        cell = cell.strip().strip("*").strip()
        if cell in EMPTY_CELLS:
            return None
        found = CELL.match(cell)
        text = found["text"].strip() if found else cell
        listed = found["forms"] if found and found["forms"] else text
        listed_forms = [form.strip() for form in listed.split(",") if form.strip()]
        forms = tuple(form for form in listed_forms if not form.startswith("!"))
        exceptions = [form[1:] for form in listed_forms if form.startswith("!")]
        return cls(
            text,
            forms,
            tuple(_form_pattern(form) for form in forms),
            tuple(_form_pattern(form) for form in exceptions),
        )

    def found_in(self, text: str) -> bool:
        plain = _plain(text)
        for exception in self.exceptions:
            plain = exception.sub(" ", plain)
        return any(pattern.search(plain) for pattern in self.patterns)


@dataclass(frozen=True)
class Term:
    english: Rendering
    renderings: dict[str, Rendering]
    note: str


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_glossary(path: Path) -> list[Term]:
    """The terms of the glossary's table (the one whose first column is headed ``en``)."""
    terms: list[Term] = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells if cells and cells[0] == "en" else None
            continue
        if all(set(cell) <= set("-: ") for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        english = Rendering.parse(row.get("en", ""))
        if english is None:
            continue
        renderings = {
            code: rendering
            for code, cell in row.items()
            if code != "en" and LANGUAGE_CODE.match(code)
            if (rendering := Rendering.parse(cell)) is not None
        }
        terms.append(Term(english, renderings, row.get("note", "")))
    return terms


def _texts(value: object) -> list[str]:
    """A message's singular and plural forms (Babel gives a string, or a tuple or list)."""
    if isinstance(value, (tuple, list)):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


def glossary_problems(glossary: Path, translations: Path, languages: Iterable[str]) -> list[str]:
    """Each translated message whose English has a glossary term but whose translation
    does not use the glossary's rendering of it (a term translated two ways)."""
    if not glossary.exists():
        return [f"{glossary.name}: missing"]
    terms = read_glossary(glossary)
    if not terms:
        return [f"{glossary.name}: no terms found (a table with an `en` column)"]
    problems: list[str] = []
    for locale in languages:
        if locale == "en":
            continue
        po = translations / locale / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            continue
        missing = [term.english.text for term in terms if locale not in term.renderings]
        problems.extend(f"{locale}: {glossary.name} has no rendering of {t!r}" for t in missing)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            ids = _texts(message.id)
            strings = _texts(message.string)
            for term in terms:
                rendering = term.renderings.get(locale)
                if rendering is None or not any(term.english.found_in(i) for i in ids):
                    continue
                for string in strings:
                    if string and not rendering.found_in(string):
                        problems.append(
                            f"{locale}: {term.english.text!r} is {rendering.text!r} in the "
                            f"glossary, but {ids[0]!r} is translated {string!r}"
                        )
    return problems
