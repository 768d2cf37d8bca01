"""translations/README.md says who translated each language; the picker says so too."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_app.i18n import KNOWN_LANGUAGES, LANGUAGES, SHIPPED, reviews, text_direction
from voice_app.i18n.cli import completeness_problems
from voice_app.i18n.reviews import provenance_problems, read_provenance

README = Path(__file__).resolve().parents[2] / "translations" / "README.md"
NOTE = 'class="language-switcher__note"'


def test_the_readme_has_a_row_for_each_of_the_twelve_languages():
    rows = read_provenance(README)
    assert set(rows) == set(KNOWN_LANGUAGES)
    assert provenance_problems(README, LANGUAGES) == []
    for code in ("cy", "pl", "ar"):
        assert not rows[code].reviewed
        assert "machine-assisted" in rows[code].translated_by
    assert rows["en"].reviewed


def test_a_shipped_language_missing_from_the_readme_fails(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "| code | translated by | reviewed |\n|---|---|---|\n"
        "| cy | a translator | yes: Rhian Jones, 2026-11-01 |\n| ar | someone | perhaps |\n"
    )
    assert provenance_problems(readme, ["cy", "pl", "ar"]) == [
        "pl: no row in README.md's table of translators",
        "ar: README.md must say `yes` or `no` under reviewed",
    ]


@pytest.mark.parametrize("locale", [code for code in SHIPPED if code != "en"])
def test_the_picker_says_an_unreviewed_translation_is_unchecked(client, locale):
    client.submit("/language", {"locale": locale, "next": "/login"})
    assert NOTE in client.get("/login").get_data(as_text=True)


def test_the_picker_says_nothing_for_english_or_a_reviewed_language(client, monkeypatch, tmp_path):
    assert NOTE not in client.get("/login").get_data(as_text=True)
    readme = tmp_path / "README.md"
    readme.write_text(
        "| code | translated by | reviewed |\n|---|---|---|\n"
        "| cy | a translator | yes: Rhian Jones, 2026-11-01 |\n"
    )
    monkeypatch.setattr(reviews, "README", readme)
    reviews._provenance.cache_clear()
    try:
        client.submit("/language", {"locale": "cy", "next": "/login"})
        assert NOTE not in client.get("/login").get_data(as_text=True)
    finally:
        monkeypatch.undo()
        reviews._provenance.cache_clear()


def test_twelve_languages_are_ready_with_native_names_and_direction():
    assert list(KNOWN_LANGUAGES) == [
        "en", "cy", "pl", "ro", "ur", "ar", "pa", "bn", "so", "uk", "pt", "tr"
    ]  # fmt: skip
    assert KNOWN_LANGUAGES["pa"].native_name == "ਪੰਜਾਬੀ"
    assert KNOWN_LANGUAGES["ur"].native_name == "اردو"
    assert [code for code in KNOWN_LANGUAGES if text_direction(code) == "rtl"] == ["ur", "ar"]
    assert {code: KNOWN_LANGUAGES[code].native_name for code in SHIPPED} == LANGUAGES


def test_shipping_urdu_is_one_line_and_gives_right_to_left_pages(client, monkeypatch):
    monkeypatch.setitem(LANGUAGES, "ur", KNOWN_LANGUAGES["ur"].native_name)
    client.submit("/language", {"locale": "ur", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page
    assert 'value="ur" lang="ur"' in page
    assert ">اردو</button>" in page


def test_a_shipped_language_without_a_catalog_fails_the_check():
    translations = README.parent
    problems = completeness_problems(translations, ["en", "cy", "ur"])
    assert problems == ["ur: shipped but has no catalog (ur/LC_MESSAGES/messages.po)"]
