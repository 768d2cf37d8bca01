"""Starting a report and writing its draft: sections, analysis, decisions, versions.

Nothing is overwritten: a section's new text is a new row, and a new version starts as a
copy of the one before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.extensions import db
from voice_app.record.disclosure import disclosure_for
from voice_app.record.models import RecordEntry
from voice_app.reports.models import (
    SECTIONS,
    WRITTEN,
    AnalysisPoint,
    PointKind,
    Report,
    ReportDecision,
    ReportKind,
    ReportSection,
    ReportText,
    ReportVersion,
    ReportWords,
)


class ReportRefused(ValueError):
    """The change was refused; ``problems`` names each field's problem, for the form."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def changed(report: Report, what: str, **details: object) -> None:
    audit.record(
        AuditAction.REPORT_CHANGED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"what": what, **details},
    )


def reports_of(child_id: int) -> list[Report]:
    stmt = select(Report).where(Report.child_id == child_id).order_by(Report.id.desc())
    return list(db.session.scalars(stmt))


def report_of(child_id: int, report_id: int) -> Report | None:
    report = db.session.get(Report, report_id)
    return report if report is not None and report.child_id == child_id else None


def start_report(child: Child, kind: ReportKind, meeting_on: date, by: User) -> Report:
    """A new report with an empty first draft."""
    report = Report(child_id=child.id, kind=kind, meeting_on=meeting_on, created_by_id=by.id)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportVersion(report_id=report.id, number=1))
    db.session.flush()
    audit.record(
        AuditAction.REPORT_CREATED,
        child_id=child.id,
        target=f"report:{report.id}",
        details={"kind": str(kind)},
    )
    return report


def latest(report: Report) -> ReportVersion:
    return report.versions[-1]


def draft_of(report: Report) -> ReportVersion | None:
    """The working draft: the newest version, while it is not signed off."""
    version = latest(report)
    return version if version.signed_off_at is None else None


def current_texts(version: ReportVersion) -> dict[ReportSection, ReportText]:
    """Each section's newest text in this version."""
    texts: dict[ReportSection, ReportText] = {}
    stmt = select(ReportText).where(ReportText.version_id == version.id)
    for text in db.session.scalars(stmt.order_by(ReportText.id)):
        texts[text.section] = text
    return texts


def _draft_or_refuse(report: Report) -> ReportVersion:
    version = draft_of(report)
    if version is None:
        raise ReportRefused({"body": _("This version is signed off. Start a new version.")})
    return version


def write_section(
    report: Report, section: ReportSection, body: str | None, by: User
) -> ReportText | None:
    """The section's new text (a new row); unchanged text adds nothing."""
    version = _draft_or_refuse(report)
    if section not in WRITTEN or section not in SECTIONS[report.kind]:
        raise ReportRefused({"section": _("This section is not written here.")})
    text = clean(body) or ""
    current = current_texts(version).get(section)
    if (current.body if current else "") == text:
        return None
    row = ReportText(version_id=version.id, section=section, body=text, written_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    changed(report, "section", section=str(section), version=version.number)
    return row


def _entry_ids(report: Report, numbers: str | None, by: User) -> list[int]:
    """Record entries named by the writer's own numbers, each one they may see."""
    seen = disclosure_for(by, report.child_id)
    ids = []
    for token in (numbers or "").replace(",", " ").split():
        entry: RecordEntry | None = seen.entry_by_number(int(token)) if token.isdigit() else None
        if entry is None:
            raise ReportRefused({"entries": _("There is no entry %(number)s.", number=token)})
        ids.append(entry.id)
    return ids


def add_point(
    report: Report, kind: PointKind, body: str | None, entry_numbers: str | None, by: User
) -> AnalysisPoint:
    version = _draft_or_refuse(report)
    if clean(body) is None:
        raise ReportRefused({"body": _("Please write the point.")})
    ids = _entry_ids(report, entry_numbers, by)
    point = AnalysisPoint(
        version_id=version.id,
        kind=kind,
        body=clean(body) or "",
        entry_ids=" ".join(str(i) for i in ids),
    )
    db.session.add(point)
    db.session.flush()
    db.session.expire(version, ["points"])
    changed(report, "analysis", kind=str(kind), version=version.number)
    return point


@dataclass(frozen=True)
class DecisionDraft:
    body: str | None
    decided_by: str | None
    reasons: str | None


def add_decision(report: Report, draft: DecisionDraft) -> ReportDecision:
    version = _draft_or_refuse(report)
    problems = {}
    if clean(draft.body) is None:
        problems["body"] = _("Please write the recommendation or decision.")
    if clean(draft.decided_by) is None:
        problems["decided_by"] = _("Please say who decided.")
    if clean(draft.reasons) is None:
        problems["reasons"] = _("Please say why.")
    if problems:
        raise ReportRefused(problems)
    decision = ReportDecision(
        version_id=version.id,
        body=clean(draft.body) or "",
        decided_by=clean(draft.decided_by) or "",
        reasons=clean(draft.reasons) or "",
    )
    db.session.add(decision)
    db.session.flush()
    db.session.expire(version, ["decisions"])
    changed(report, "decision", version=version.number)
    return decision


def record_no_words_reason(report: Report, reason: str | None) -> None:
    """Why the report holds no word from the child: needed before it is shared."""
    version = _draft_or_refuse(report)
    if clean(reason) is None:
        raise ReportRefused({"reason": _("Please say why the child's own words are not here.")})
    version.no_child_words_reason = clean(reason)
    changed(report, "no_child_words_reason", version=version.number)


def new_version(report: Report) -> ReportVersion:
    """The next version: a copy of the newest (its texts, analysis, decisions and words)."""
    before = latest(report)
    version = ReportVersion(
        report_id=report.id,
        number=before.number + 1,
        no_child_words_reason=before.no_child_words_reason,
    )
    db.session.add(version)
    db.session.flush()
    for text in current_texts(before).values():
        db.session.add(
            ReportText(
                version_id=version.id,
                section=text.section,
                body=text.body,
                written_by_id=text.written_by_id,
                written_at=text.written_at,
            )
        )
    for p in before.points:
        db.session.add(
            AnalysisPoint(version_id=version.id, kind=p.kind, body=p.body, entry_ids=p.entry_ids)
        )
    for d in before.decisions:
        db.session.add(
            ReportDecision(
                version_id=version.id, body=d.body, decided_by=d.decided_by, reasons=d.reasons
            )
        )
    for w in before.words:
        db.session.add(
            ReportWords(version_id=version.id, contribution_id=w.contribution_id, caption=w.caption)
        )
    db.session.flush()
    db.session.refresh(report)
    changed(report, "new_version", version=version.number)
    return version
