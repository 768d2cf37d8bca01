"""``flask i18n``: extract, update, compile and check the translation catalogs."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click
from babel.messages.pofile import read_po
from flask.cli import AppGroup

from voice_app.config import ROOT
from voice_app.i18n import LANGUAGES
from voice_app.i18n.glossary import glossary_problems
from voice_app.i18n.reviews import provenance_problems

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"

i18n_cli = AppGroup("i18n", help="Translation catalogs.")


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 - our own fixed arguments


def _extract(target: Path) -> None:
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--omit-header",
        # Babel skips folders starting with "_" by default, which left the strings of
        # templates/_macros (the language picker, the pager) out of every catalog.
        "--ignore-dirs",
        ".* __pycache__",
        "-o",
        str(target),
        "voice_app",
        "templates",
    )


@i18n_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    _extract(POT)


@i18n_cli.command("update")
def update() -> None:
    """Extract, then merge new messages into every shipped language's catalog, and into
    the catalogs of languages still being translated (so they never fall behind)."""
    _extract(POT)
    begun = {po.parent.parent.name for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    for locale in sorted({*LANGUAGES, *begun}):
        if locale == "en":
            continue
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        # No fuzzy matching: a guessed translation of a similar message (with other
        # placeholders, or another meaning) is a trap for the translator, not a head start.
        extra = ["--no-fuzzy-matching"] if command == "update" else []
        _pybabel(
            command, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-wrap", *extra
        )


@i18n_cli.command("compile")
def compile_catalogs() -> None:
    """Compile every catalog to the .mo files the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def catalog_problems() -> list[str]:
    """Why the catalogs are not ready to ship: a stale template, an untranslated message,
    a glossary term translated two ways, or a language nobody says who translated."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        _extract(fresh)
        if not POT.exists() or fresh.read_text() != POT.read_text():
            problems.append("translations/messages.pot is stale: run `flask i18n update`.")
    problems.extend(completeness_problems(TRANSLATIONS, LANGUAGES))
    problems.extend(glossary_problems(TRANSLATIONS / "GLOSSARY.md", TRANSLATIONS, LANGUAGES))
    problems.extend(provenance_problems(TRANSLATIONS / "README.md", LANGUAGES))
    return problems


def completeness_problems(translations: Path, languages: Iterable[str]) -> list[str]:
    """Each shipped language without a catalog, or with a message missing, fuzzy or empty."""
    problems = []
    with (translations / "messages.pot").open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    for locale in languages:
        if locale == "en":
            continue
        po = translations / locale / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            problems.append(
                f"{locale}: shipped but has no catalog ({po.relative_to(translations)})"
            )
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{locale}: fuzzy: {message.id!r}")
            elif not all(strings):
                problems.append(f"{locale}: untranslated: {message.id!r}")
        have = {message.id for message in catalog if message.id}
        problems.extend(f"{locale}: missing: {msgid!r}" for msgid in sorted(wanted - have, key=str))
    return problems


@i18n_cli.command("check")
def check() -> None:
    """Fail when messages.pot is stale, a shipped language is not fully translated, a
    glossary term is translated two ways, or translations/README.md misses a language."""
    problems = catalog_problems()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"OK: catalogs complete for {', '.join(LANGUAGES)}.")
