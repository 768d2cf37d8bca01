"""A report version as one reader sees it: sections in order, the child's words, the
analysis with the reader's entry numbers, decisions, comments with answers, final views.

Everything a reader may see of the record comes from ``record.disclosure`` (through
``voices.readable_word_ids`` and ``disclosure_for``); nothing here filters beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.interpreting.models import SourceKind
from voice_app.interpreting.services.translations import Shown, confirmed_translations
from voice_app.record.disclosure import Disclosure, Reader, disclosure_for
from voice_app.record.models import RecordEntry
from voice_app.reports.models import (
    SECTIONS,
    AnalysisPoint,
    Report,
    ReportAnswer,
    ReportComment,
    ReportDecision,
    ReportFinalView,
    ReportSection,
    ReportVersion,
)
from voice_app.reports.services import answers
from voice_app.reports.services.drafting import current_texts
from voice_app.reports.services.voices import Chosen, Readers, shown_words


@dataclass(frozen=True)
class ShownPoint:
    point: AnalysisPoint
    #: The reader's own numbers for the entries it rests on.
    numbers: list[int]


@dataclass
class ShownComment:
    comment: ReportComment
    answers: list[ReportAnswer]


@dataclass
class ShownReport:
    report: Report
    version: ReportVersion
    sections: list[ReportSection]
    texts: dict[ReportSection, str]
    words: list[Chosen]
    points: list[ShownPoint]
    decisions: list[ReportDecision]
    comments: dict[ReportSection, list[ShownComment]] = field(default_factory=dict)
    final_views: list[ReportFinalView] = field(default_factory=list)
    #: Confirmed translations beside the child's words (contribution id -> translations).
    translated_words: dict[int, list[Shown]] = field(default_factory=dict)
    #: Confirmed translations of each section's current text, for the family.
    translated_texts: dict[ReportSection, list[Shown]] = field(default_factory=dict)
    #: Confirmed English translations of the family's comments (comment id -> them).
    translated_comments: dict[int, list[Shown]] = field(default_factory=dict)

    @property
    def family_section(self) -> list[ShownComment]:
        return self.comments.get(ReportSection.FAMILY_VIEWS, [])


def _seen(report: Report, reader: Reader) -> Disclosure:
    return disclosure_for(reader, report.child_id)


def _points(version: ReportVersion, seen: Disclosure) -> list[ShownPoint]:
    """Points with the reader's numbers for the entries they may see. A point resting on
    a confidential entry is shown only to a reader who may read that entry."""
    shown = []
    for point in version.points:
        entries = [db.session.get(RecordEntry, int(i)) for i in point.entry_ids.split()]
        known = [e for e in entries if e is not None]
        if any(seen.scope.entry_is_confidential(e.id) and not seen.may_see_entry(e) for e in known):
            continue
        shown.append(ShownPoint(point, [seen.number(e) for e in known if seen.may_see_entry(e)]))
    return shown


def shown_report(
    report: Report,
    version: ReportVersion,
    reader: Reader,
    readers: Readers,
    *,
    all_comments: bool = True,
) -> ShownReport:
    """The version for one reader; ``readers`` says whose copy (the meeting's or a family
    member's) the child's words come from. ``all_comments`` False: the family member's own
    comments only."""
    seen = _seen(report, reader)
    current = current_texts(version)
    texts = {s: t.body for s, t in current.items()}
    by_text = confirmed_translations(SourceKind.REPORT_TEXT, {t.id for t in current.values()})
    comments: dict[ReportSection, list[ShownComment]] = {}
    rows = answers.comments_on(version)
    if not all_comments:
        rows = [c for c in rows if c.family_member_id == readers.family_member_id]
    found = answers.answers_to([c.id for c in rows])
    for row in rows:
        comments.setdefault(row.section, []).append(ShownComment(row, found[row.id]))
    words = shown_words(version, report.child_id, readers)
    return ShownReport(
        report=report,
        version=version,
        sections=SECTIONS[report.kind],
        texts=texts,
        words=words,
        points=_points(version, seen),
        decisions=list(version.decisions),
        comments=comments,
        final_views=answers.final_views(version),
        # Only beside words this reader already sees: translations follow their original.
        translated_words=confirmed_translations(
            SourceKind.CONTRIBUTION, {c.words.contribution.id for c in words}
        ),
        translated_texts={s: by_text[t.id] for s, t in current.items() if t.id in by_text},
        translated_comments=confirmed_translations(SourceKind.REPORT_COMMENT, {c.id for c in rows}),
    )


def record_read(report: Report, what: str, version: ReportVersion, *, family: bool = False) -> None:
    audit.record(
        AuditAction.FAMILY_REPORT_VIEWED if family else AuditAction.REPORT_VIEWED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"what": what, "version": version.number},
    )
