"""Which characters of a PDF WeasyPrint made are drawn without a real glyph ("tofu").

A PDF says which glyph of which embedded font each piece of text uses, not which
characters those glyphs are. So this reads the glyph ids each text operator draws, finds
the installed font each embedded subset was cut from (through fontconfig), and asks:

- is every glyph a real one (not ``.notdef``, not past the font's last glyph)?
- was every font one the CSS stack names (not something fontconfig fell back to)?
- does every character of the text have a glyph in a font the page embeds?
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader


@cache
def installed_fonts() -> dict[str, Path]:
    """Installed font files by PostScript name (``NotoSansBengali-Regular``)."""
    listing = subprocess.run(
        ["fc-list", "--format", "%{postscriptname}\t%{file}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("\t", 1) for line in listing.splitlines() if "\t" in line)  # type: ignore[misc]


@cache
def _font_facts(path: str) -> tuple[str, int, frozenset[int]]:
    with TTFont(path, fontNumber=0) as font:
        family = font["name"].getDebugName(16) or font["name"].getDebugName(1) or ""
        return family, font["maxp"].numGlyphs, frozenset(font.getBestCmap())


def _embedded(font: Any) -> tuple[str, str]:
    """The PostScript name and the family of an embedded (subset) font."""
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descendant["/FontDescriptor"].get_object()
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if stream is None:  # not embedded: only its name to go by
        name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        return name, name
    with TTFont(io.BytesIO(stream.get_object().get_data())) as subset:
        return subset["name"].getDebugName(6) or "", subset["name"].getDebugName(1) or ""


#: The content-stream tokens text drawing needs: names, strings, numbers, arrays, operators.
TOKENS = re.compile(
    rb"(?P<name>/[^\s/\[\]<>()]+)|<(?P<hex>[0-9A-Fa-f\s]*)>|\((?P<literal>(?:\\.|[^\\)])*)\)"
    rb"|(?P<open>\[)|(?P<close>\])|(?P<number>[-+]?[0-9.]+)|(?P<operator>[A-Za-z'\"*]+)",
    re.S,
)


def _operations(data: bytes) -> Iterator[tuple[list[Any], bytes]]:
    """(operands, operator) pairs; strings as their raw bytes, never decoded as text."""
    operands: list[Any] = []
    arrays: list[list[Any]] = []
    for token in TOKENS.finditer(data):
        kind, value = token.lastgroup, token.group(token.lastgroup or 0)
        target = arrays[-1] if arrays else operands
        if kind == "name":
            target.append(value.decode("latin-1"))
        elif kind == "hex":
            target.append(bytes.fromhex(re.sub(rb"\s", b"", value).decode()))
        elif kind == "literal":
            target.append(re.sub(rb"\\(.)", rb"\1", value))
        elif kind == "number":
            target.append(float(value))
        elif kind == "open":
            arrays.append([])
        elif kind == "close" and arrays:
            finished = arrays.pop()
            (arrays[-1] if arrays else operands).append(finished)
        elif kind == "operator":
            yield operands, value
            operands, arrays = [], []


def _drawn(content: Any, resources: Any) -> Iterator[tuple[Any, int]]:
    """(font dictionary, glyph id) for every glyph the content stream draws."""
    fonts = resources.get("/Font", {})
    current = None
    for operands, operator in _operations(content.get_data()):
        if operator == b"Tf" and operands:
            current = fonts[operands[0]].get_object()
        elif operator in (b"Tj", b"TJ", b"'", b'"') and operands:
            pieces = operands[0] if operator == b"TJ" else operands[-1:]
            for piece in pieces:
                if isinstance(piece, bytes):
                    for index in range(0, len(piece) - 1, 2):
                        yield current, int.from_bytes(piece[index : index + 2], "big")
        elif operator == b"Do" and operands:
            inner = resources["/XObject"][operands[0]].get_object()
            if inner.get("/Subtype") == "/Form":
                yield from _drawn(inner, inner.get("/Resources", resources))


def missing_glyphs(pdf: bytes, text: str, stack: list[str]) -> list[str]:
    """Why ``text`` is not fully drawn in ``pdf`` with the fonts ``stack`` names; [] if it is."""
    reader = PdfReader(io.BytesIO(pdf))
    problems: list[str] = []
    used: dict[str, tuple[str, int, frozenset[int]]] = {}
    for page in reader.pages:
        for font, glyph in _drawn(page.get_contents(), page["/Resources"]):
            postscript, family = _embedded(font)
            path = installed_fonts().get(postscript)
            if path is None:
                problems.append(f"embedded font {postscript!r} is not an installed font")
                continue
            facts = used.setdefault(postscript, _font_facts(path))
            if family not in stack and facts[0] not in stack:
                problems.append(f"{family!r} drew text but the font stack does not name it")
            if glyph == 0 or glyph >= facts[1]:
                problems.append(f"{family!r} drew a missing glyph (id {glyph})")
    covered = frozenset().union(*(facts[2] for facts in used.values()))
    for character in dict.fromkeys(text):
        if unicodedata.category(character) in ("Zs", "Cc", "Cf") or ord(character) in covered:
            continue
        name = unicodedata.name(character, "?")
        problems.append(
            f"U+{ord(character):04X} {name} ({character}) has no glyph in any font used"
        )
    return list(dict.fromkeys(problems))


def families_drawing(pdf: bytes) -> set[str]:
    """The families of the fonts that draw any glyph in ``pdf``."""
    reader = PdfReader(io.BytesIO(pdf))
    return {
        _embedded(font)[1]
        for page in reader.pages
        for font, _glyph in _drawn(page.get_contents(), page["/Resources"])
    }
