"""translations/GLOSSARY.md: each safeguarding term translated one way, checked by `i18n check`."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from voice_app.i18n import LANGUAGES
from voice_app.i18n import cli as i18n_cli
from voice_app.i18n.glossary import glossary_problems, read_glossary

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
GLOSSARY = TRANSLATIONS / "GLOSSARY.md"


def _catalog(folder: Path, locale: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=locale)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    target = folder / locale / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog)


def test_the_glossary_renders_twenty_terms_in_every_shipped_language():
    terms = read_glossary(GLOSSARY)
    assert len(terms) >= 20
    english = {term.english.text for term in terms}
    assert {"confidential section", "consent", "parental responsibility"} <= english
    assert {"child protection conference", "subject access", "looked-after"} <= english
    for term in terms:
        assert set(LANGUAGES) - {"en"} <= set(term.renderings), term.english.text
    by_term = {term.english.text: term for term in terms}
    assert by_term["consent"].renderings["pl"].text == "zgoda"
    assert "no exact equivalent" in by_term["parental responsibility"].note


def test_our_catalogs_use_the_glossary():
    assert glossary_problems(GLOSSARY, TRANSLATIONS, LANGUAGES) == []


def test_a_term_translated_two_ways_fails(tmp_path):
    _catalog(
        tmp_path,
        "pl",
        {
            "Consent given": "Zgoda wyrażona",
            # "przyzwolenie" is a second word for consent: the check must catch it.
            "Sharing without consent": "Udostępnianie bez przyzwolenia",
            "The confidential section": "Część poufna",
        },
    )
    problems = glossary_problems(GLOSSARY, tmp_path, ["en", "pl"])
    assert problems == [
        "pl: 'consent' is 'zgoda' in the glossary, but 'Sharing without consent' is "
        "translated 'Udostępnianie bez przyzwolenia'",
        "pl: 'confidential section' is 'sekcja poufna' in the glossary, but "
        "'The confidential section' is translated 'Część poufna'",
    ]


def test_inflected_mutated_and_prefixed_forms_count_as_the_term(tmp_path):
    _catalog(tmp_path, "cy", {"Whose consent?": "Gydsyniad pwy?", "Consent": "Cydsyniad"})
    _catalog(tmp_path, "pl", {"Shared without consent": "Udostępniono bez zgody"})
    # With the article and a preposition joined on, and vowel marks.
    _catalog(tmp_path, "ar", {"Shared without consent": "شُورِكت دون المُوافَقة"})
    assert glossary_problems(GLOSSARY, tmp_path, ["cy", "pl", "ar"]) == []


def test_a_phrase_the_glossary_marks_as_another_sense_is_not_checked(tmp_path):
    _catalog(tmp_path, "pl", {"Make a positive contribution": "Wnosić pozytywny wkład"})
    assert glossary_problems(GLOSSARY, tmp_path, ["pl"]) == []
    _catalog(tmp_path, "pl", {"Add a contribution": "Dodaj wkład"})
    assert len(glossary_problems(GLOSSARY, tmp_path, ["pl"])) == 1


def test_a_shipped_language_without_a_glossary_column_fails(tmp_path):
    _catalog(tmp_path, "ro", {"Consent": "Consimțământ"})
    problems = glossary_problems(GLOSSARY, tmp_path, ["en", "ro"])
    assert "ro: GLOSSARY.md has no rendering of 'consent'" in problems


def test_flask_i18n_check_fails_on_an_inconsistent_catalog(runner, tmp_path, monkeypatch):
    folder = tmp_path / "translations"
    folder.mkdir()
    i18n_cli._extract(folder / "messages.pot")
    for name in ("GLOSSARY.md", "README.md"):
        shutil.copy(TRANSLATIONS / name, folder / name)
    for locale in ("cy", "pl", "ar"):
        shutil.copytree(TRANSLATIONS / locale, folder / locale)
    po = folder / "pl" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text().replace('msgstr "Udostępnianie bez zgody"', 'msgstr "Bez przyzwolenia"')
    )
    monkeypatch.setattr(i18n_cli, "TRANSLATIONS", folder)
    monkeypatch.setattr(i18n_cli, "POT", folder / "messages.pot")
    result = runner.invoke(args=["i18n", "check"])
    assert result.exit_code == 1
    assert (
        "pl: 'consent' is 'zgoda' in the glossary, but 'Sharing without consent' is "
        "translated 'Bez przyzwolenia'" in result.output
    )
