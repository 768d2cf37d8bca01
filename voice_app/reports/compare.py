"""Two versions of a report side by side, section by section, with word-level changes.

Each version is first made into what one reader may see of it (``reading.shown_report``,
which asks ``record.disclosure``), and only then compared: a comparison never shows a
word of either version that the reader could not read on the version's own page.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.family.models import FamilyAccount
from voice_app.reports.labels import POINT_LABELS
from voice_app.reports.models import Report, ReportSection, ReportVersion
from voice_app.reports.services import sharing
from voice_app.reports.services.reading import ShownReport

#: Words (in any script), runs of spaces, and single marks: the units a change is shown in.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Piece:
    """A run of text, and whether it was taken out (old side) or put in (new side)."""

    text: str
    changed: bool


@dataclass(frozen=True)
class SectionChange:
    section: ReportSection
    old: list[Piece]
    new: list[Piece]

    @property
    def status(self) -> str:
        """unchanged, added (nothing before), removed (nothing now) or changed."""
        old_text = "".join(p.text for p in self.old)
        new_text = "".join(p.text for p in self.new)
        if old_text == new_text:
            return "unchanged"
        if not old_text.strip():
            return "added"
        if not new_text.strip():
            return "removed"
        return "changed"


def section_text(shown: ShownReport, section: ReportSection) -> str:
    """What one reader sees of a section, as lines of text."""
    lines: list[str] = []
    text = shown.texts.get(section)
    if text:
        lines.append(text)
    if section is ReportSection.CHILD_VIEWS:
        for chosen in shown.words:
            if chosen.words.is_drawing:
                # i18n: a drawing of the child's in the comparison of two report versions.
                lines.append(_("[Drawing] %(caption)s", caption=chosen.caption or ""))
            else:
                lines.append(chosen.words.text or "")
        if not shown.words and shown.version.no_child_words_reason:
            lines.append(shown.version.no_child_words_reason)
    elif section is ReportSection.FAMILY_VIEWS:
        lines += [f"{c.comment.author_label}: {c.comment.body}" for c in shown.family_section]
    elif section is ReportSection.ANALYSIS:
        lines += [f"{POINT_LABELS[p.point.kind]}: {p.point.body}" for p in shown.points]
    elif section is ReportSection.RECOMMENDATIONS:
        lines += [
            _(
                "%(what)s (decided by %(who)s, because %(why)s)",
                what=d.body,
                who=d.decided_by,
                why=d.reasons,
            )
            for d in shown.decisions
        ]
    return "\n".join(lines)


def _pieces(tokens: list[str], spans: list[tuple[int, int, bool]]) -> list[Piece]:
    """Join tokens into runs, merging neighbours with the same mark; a space alone between
    two changes joins them, so "the nights" reads as one change, not two."""
    runs = [("".join(tokens[start:end]), changed) for start, end, changed in spans]
    runs = [run for run in runs if run[0]]
    for i in range(1, len(runs) - 1):
        text, changed = runs[i]
        if not changed and not text.strip() and runs[i - 1][1] and runs[i + 1][1]:
            runs[i] = (text, True)
    pieces: list[Piece] = []
    for text, changed in runs:
        if pieces and pieces[-1].changed == changed:
            pieces[-1] = Piece(pieces[-1].text + text, changed)
        else:
            pieces.append(Piece(text, changed))
    return pieces


def diff_words(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """Old and new text as pieces, the words taken out and put in marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old_spans: list[tuple[int, int, bool]] = []
    new_spans: list[tuple[int, int, bool]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_spans.append((i1, i2, op != "equal"))
        new_spans.append((j1, j2, op != "equal"))
    return _pieces(a, old_spans), _pieces(b, new_spans)


def compare(old: ShownReport, new: ShownReport) -> list[SectionChange]:
    """Every section of the report, old beside new, for the reader both were made for."""
    changes = []
    for section in new.sections:
        before, after = diff_words(section_text(old, section), section_text(new, section))
        changes.append(SectionChange(section, before, after))
    return changes


def family_versions(account: FamilyAccount, report: Report) -> list[ReportVersion]:
    """The versions this family member has been given: each one that was the newest at
    some time after the draft was shared with them, and the final report given to them."""
    from voice_app.reports.services.distribution import versions_given_to

    shared = [
        s.shared_at
        for s in sharing.shares_of(report)
        if s.family_account_id == account.id and s.shared_at is not None
    ]
    seen: set[int] = {v.id for v in versions_given_to(account, report)}
    if shared:
        first = min(shared)
        versions = report.versions
        for index, version in enumerate(versions):
            following = versions[index + 1] if index + 1 < len(versions) else None
            if following is None or following.created_at > first:
                seen.add(version.id)
    return [v for v in report.versions if v.id in seen]


def record_compared(
    report: Report, old: ReportVersion, new: ReportVersion, *, family: bool = False
) -> None:
    audit.record(
        AuditAction.FAMILY_REPORT_COMPARED if family else AuditAction.REPORT_COMPARED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"old": old.number, "new": new.number},
    )
