"""Marking what goes into the child's copy, giving it to the child, and reading it.

The child's own words and drawings go through ``record.disclosure``'s child reader
(``Reader.child()``) when they are chosen and again every time the copy is read, so a
contribution placed in the confidential section later, or never the child's own, never
reaches the copy. Nothing else of the report is in it: only lines marked for the child.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.extensions import db
from voice_app.plans.services.voices import can_be_placed, verbatim
from voice_app.record.disclosure import Reader, disclosure_for
from voice_app.reports.child_copy.models import ChildCopyGiven, ChildCopyLine
from voice_app.reports.models import SECTIONS, Report, ReportSection
from voice_app.reports.services.drafting import ReportRefused, changed, latest

#: A line for the child is short: one or two plain sentences.
LINE_LIMIT = 300


def _lines(report: Report, up_to: int | None = None) -> list[ChildCopyLine]:
    """The report's current lines (removals applied), oldest first; as of ``up_to``."""
    stmt = select(ChildCopyLine).where(ChildCopyLine.report_id == report.id)
    if up_to is not None:
        stmt = stmt.where(ChildCopyLine.id <= up_to)
    rows = list(db.session.scalars(stmt.order_by(ChildCopyLine.id)))
    removed = {row.removes_id for row in rows if row.removes_id is not None}
    return [row for row in rows if row.removes_id is None and row.id not in removed]


def current_lines(report: Report) -> list[ChildCopyLine]:
    return _lines(report)


def _childs_own(child_id: int, contribution_id: int | None) -> Contribution | None:
    """One of the child's own contributions the child reader may see, with something to show."""
    if contribution_id is None:
        return None
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not can_be_placed(contribution):
        return None
    seen = disclosure_for(Reader.child(), child_id)
    return contribution if seen.may_see_contribution(contribution) else None


def choosable_items(report: Report) -> list[Contribution]:
    """The child's own words and drawings in the report's child section (latest version)
    that the child may be shown, and not in the copy already."""
    taken = {line.contribution_id for line in current_lines(report)}
    found = []
    for words in latest(report).words:
        contribution = _childs_own(report.child_id, words.contribution_id)
        if contribution is not None and contribution.id not in taken:
            found.append(contribution)
    return found


def add_line(report: Report, section: ReportSection, body: str | None, by: User) -> ChildCopyLine:
    """A plain-language sentence the practitioner writes for the child, under a section."""
    text = (body or "").strip()
    if section not in SECTIONS[report.kind]:
        raise ReportRefused({"section": _("Please choose one of this report's sections.")})
    if not text:
        raise ReportRefused({"body": _("Please write the line for the child.")})
    if len(text) > LINE_LIMIT:
        raise ReportRefused(
            {
                "body": _(
                    "Please keep a line for the child short (%(n)d letters at most).", n=LINE_LIMIT
                )
            }
        )
    return _store(report, ChildCopyLine(report_id=report.id, section=section, body=text), by)


def add_item(report: Report, contribution_id: int, by: User) -> ChildCopyLine:
    """One of the child's own words or drawings from the child's section, verbatim."""
    if contribution_id not in {c.id for c in choosable_items(report)}:
        raise ReportRefused(
            {"contribution_id": _("Only the child's own words in this report can go in.")}
        )
    line = ChildCopyLine(
        report_id=report.id, section=ReportSection.CHILD_VIEWS, contribution_id=contribution_id
    )
    return _store(report, line, by)


def remove_line(report: Report, line_id: int, by: User) -> ChildCopyLine:
    """Take a line out of the copy: a new row naming it; the line itself is kept."""
    if line_id not in {line.id for line in current_lines(report)}:
        raise ReportRefused({"line": _("That line is not in the child's copy.")})
    line = db.session.get_one(ChildCopyLine, line_id)
    removal = ChildCopyLine(report_id=report.id, section=line.section, removes_id=line_id)
    return _store(report, removal, by)


def _store(report: Report, line: ChildCopyLine, by: User) -> ChildCopyLine:
    line.written_by_id = by.id
    line.written_by_label = by.display
    db.session.add(line)
    db.session.flush()
    what = "child_copy_removed" if line.removes_id else "child_copy_line"
    changed(report, what, line=line.id, contribution=line.contribution_id)
    return line


def give(report: Report, by: User) -> ChildCopyGiven:
    """Give the copy, as it stands now, to the child: they see it in their space."""
    lines = current_lines(report)
    if not lines:
        raise ReportRefused({"give": _("Please mark something for the child first.")})
    newest = db.session.scalar(
        select(func.max(ChildCopyLine.id)).where(ChildCopyLine.report_id == report.id)
    )
    given = ChildCopyGiven(report_id=report.id, up_to_line_id=newest or 0, given_by_id=by.id)
    db.session.add(given)
    db.session.flush()
    changed(report, "child_copy_given", lines=len(lines))
    return given


def last_given(report: Report) -> ChildCopyGiven | None:
    return db.session.scalar(
        select(ChildCopyGiven)
        .where(ChildCopyGiven.report_id == report.id)
        .order_by(ChildCopyGiven.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class CopyLine:
    text: str | None
    #: The child's own drawing, shown as a picture.
    drawing_id: int | None = None
    #: True when the words are the child's own, verbatim.
    childs_words: bool = False


@dataclass
class ChildCopy:
    report: Report
    sections: dict[ReportSection, list[CopyLine]] = field(default_factory=dict)

    @property
    def drawing_ids(self) -> list[int]:
        return [
            line.drawing_id
            for lines in self.sections.values()
            for line in lines
            if line.drawing_id is not None
        ]


def _compose(report: Report, lines: list[ChildCopyLine]) -> ChildCopy:
    copy = ChildCopy(report, {section: [] for section in SECTIONS[report.kind]})
    for line in lines:
        if line.contribution_id is None:
            copy.sections[line.section].append(CopyLine(line.body))
            continue
        # Asked again at every read: consent, the section and authorship may have changed.
        contribution = _childs_own(report.child_id, line.contribution_id)
        if contribution is None:
            continue
        drawing = contribution.kind is ContributionKind.DRAWING
        copy.sections[line.section].append(
            CopyLine(verbatim(contribution), contribution.id if drawing else None, True)
        )
    copy.sections = {s: shown for s, shown in copy.sections.items() if shown}
    return copy


def preview(report: Report) -> ChildCopy:
    """The copy as it stands now, for the practitioner (read audited by the caller's page)."""
    return _compose(report, current_lines(report))


def given_reports(child: Child) -> list[Report]:
    """The child's reports whose copy was given to them, newest first."""
    stmt = (
        select(Report)
        .join(ChildCopyGiven, ChildCopyGiven.report_id == Report.id)
        .where(Report.child_id == child.id)
        .order_by(Report.id.desc())
        .distinct()
    )
    return list(db.session.scalars(stmt))


def copy_for_child(child: Child, report_id: int, where: str) -> ChildCopy | None:
    """The copy as last given to the child, read by the child (audited); None when this
    child has no such report or it was never given, exactly alike."""
    report = db.session.get(Report, report_id)
    if report is None or report.child_id != child.id:
        return None
    given = last_given(report)
    if given is None:
        return None
    copy = _compose(report, _lines(report, given.up_to_line_id))
    audit.record(
        AuditAction.CHILD_REPORT_VIEWED,
        child_id=child.id,
        target=f"report:{report.id}",
        details={"where": where, "given": given.id, "drawings": copy.drawing_ids},
    )
    return copy
