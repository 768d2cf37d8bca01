"""Who translated each language and whether a native speaker has reviewed it.

Read from the table in translations/README.md, so the page says what the README says: a
language whose catalogue no native speaker has checked is labelled so in the language
picker, and nobody mistakes a machine-assisted draft for a checked translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voice_app.config import ROOT

README = ROOT / "translations" / "README.md"


@dataclass(frozen=True)
class Provenance:
    code: str
    translated_by: str
    #: The README's own words; it counts as reviewed only when they start with "yes".
    review: str

    @property
    def reviewed(self) -> bool:
        return self.review.lower().startswith("yes")


def read_provenance(path: Path) -> dict[str, Provenance]:
    """The README's table rows (the table headed ``code | … | translated by | reviewed``)."""
    rows: dict[str, Provenance] = {}
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            lowered = [cell.lower() for cell in cells]
            wanted = {"code", "translated by", "reviewed"}
            header = lowered if wanted <= set(lowered) else None
            continue
        if all(set(cell) <= set("-: ") for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        code = row.get("code", "")
        if code:
            rows[code] = Provenance(code, row.get("translated by", ""), row.get("reviewed", ""))
    return rows


@cache
def _provenance() -> dict[str, Provenance]:
    return read_provenance(README) if README.exists() else {}


def is_reviewed(locale: str) -> bool:
    """Whether a native speaker has checked ``locale``'s catalogue (unknown: not checked)."""
    found = _provenance().get(locale.replace("-", "_").split("_")[0])
    return found is not None and found.reviewed


def provenance_problems(path: Path, languages: Iterable[str]) -> list[str]:
    """A shipped language the README's table does not account for, or answers unclearly."""
    if not path.exists():
        return [f"{path.name}: missing"]
    rows = read_provenance(path)
    problems = []
    for code in languages:
        row = rows.get(code)
        if row is None:
            problems.append(f"{code}: no row in {path.name}'s table of translators")
        elif not row.review.lower().startswith(("yes", "no")):
            problems.append(f"{code}: {path.name} must say `yes` or `no` under reviewed")
        elif not row.translated_by:
            problems.append(f"{code}: {path.name} does not say who translated it")
    return problems
