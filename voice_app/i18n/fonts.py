"""Fonts for the PDFs (WeasyPrint): one stack that draws every script of the twelve languages.

The fonts are Debian's Noto packages (the Makefile's APP_DEBS). Every PDF names the whole
stack, not only its own language's font: an English report can quote a child's words in
Bengali or Arabic. The language's own font goes first, so its punctuation and digits
come from it, and Urdu is set in Nastaliq, the style its readers expect, wherever text is
marked ``lang="ur"``. A character no named font has would fall back to whatever fontconfig
finds, or to an empty box; tests/i18n/test_pdf_fonts.py renders every language and fails
on either.
"""

from __future__ import annotations

from markupsafe import Markup

from voice_app.i18n import KNOWN_LANGUAGES

#: The font that draws each script (ISO 15924), all from fonts-noto-core.
SCRIPT_FONTS: dict[str, str] = {
    "Latn": "Noto Sans",
    "Cyrl": "Noto Sans",
    "Arab": "Noto Naskh Arabic",
    "Beng": "Noto Sans Bengali",
    "Guru": "Noto Sans Gurmukhi",
}
#: Where a language's readers expect another style of its script than SCRIPT_FONTS gives.
LANGUAGE_FONTS: dict[str, str] = {"ur": "Noto Nastaliq Urdu"}
#: Nastaliq's letters climb and descend further than Naskh's: lines need more room.
LANGUAGE_LINE_HEIGHTS: dict[str, str] = {"ur": "2.2"}
#: Last resorts, for symbols the Noto fonts above lack.
FALLBACK = ("DejaVu Sans", "sans-serif")


def _language_of(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def font_stack(locale: str) -> list[str]:
    """The families a PDF in ``locale`` asks for, its own language's first."""
    language = KNOWN_LANGUAGES.get(_language_of(locale))
    first = []
    if language is not None:
        first.append(LANGUAGE_FONTS.get(language.code, SCRIPT_FONTS[language.script]))
    families = [*first, *SCRIPT_FONTS.values(), *FALLBACK]
    return list(dict.fromkeys(families))


def named_families(locale: str) -> list[str]:
    """Every family :func:`pdf_font_css` names for a PDF in ``locale``."""
    return list(dict.fromkeys([*font_stack(locale), *LANGUAGE_FONTS.values()]))


def _family_list(families: list[str]) -> str:
    return ", ".join(name if name == "sans-serif" else f'"{name}"' for name in families)


def pdf_font_css(locale: str, selector: str = "html") -> Markup:
    """CSS rules giving ``selector`` the stack for ``locale``, and Urdu passages theirs.

    The root element, not ``body``: the page's margin boxes (page numbers) inherit from it.

    Markup, because a ``<style>`` block's text is never entity-decoded: escaped quotes
    would break the family names.
    """
    rules = [f"{selector} {{ font-family: {_family_list(font_stack(locale))}; }}"]
    for code in LANGUAGE_FONTS:
        line_height = LANGUAGE_LINE_HEIGHTS.get(code)
        extra = f" line-height: {line_height};" if line_height else ""
        rules.append(f":lang({code}) {{ font-family: {_family_list(font_stack(code))};{extra} }}")
    return Markup("\n  ".join(rules))  # noqa: S704 - built only from the constants above
