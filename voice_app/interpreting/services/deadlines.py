"""Translations against a report's share-by date.

A report draft must reach the family a number of working days before the meeting
(``reports.services.sharing.share_by``). A translation must be asked for early enough
for the interpreter to do it before then: ``TRANSLATION_WORKING_DAYS`` before the
share-by date, in the child's nation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from voice_app.children.models import Child
from voice_app.core.working_days import latest_start_due_before
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest
from voice_app.reports.models import Report
from voice_app.reports.services.sharing import share_by


def family_languages(child: Child) -> list[str]:
    """The languages other than English the child's family reads in."""
    found = {m.preferred_language for m in child.family_members if m.preferred_language != "en"}
    return sorted(found)


def ask_by(report: Report, child: Child) -> date:
    """The last day a translation may be asked for and still be done by the share-by date."""
    days = int(current_app.config["TRANSLATION_WORKING_DAYS"])
    return latest_start_due_before(
        share_by(report, child) + timedelta(days=1), days, str(child.nation)
    )


def arrives_too_late(row: InterpretingRequest, report: Report, child: Child) -> bool:
    return row.due_on > share_by(report, child)


@dataclass(frozen=True)
class ReportTranslation:
    """Where translation stands for one report, as its page shows it."""

    languages: list[str]
    share_by: date
    ask_by: date
    #: Requests for this report due by the share-by date.
    in_time: list[InterpretingRequest]
    #: Requests for this report that would arrive after it.
    too_late: list[InterpretingRequest]
    today: date

    @property
    def missing(self) -> list[str]:
        """Family languages with no translation asked for to arrive in time."""
        covered = {r.language for r in self.in_time}
        return [code for code in self.languages if code not in covered]

    @property
    def missed(self) -> bool:
        """No translation asked for in time, and it is now too late to ask."""
        return bool(self.missing) and self.today > self.ask_by


def report_translation(report: Report, child: Child, today: date) -> ReportTranslation | None:
    """None when the whole family reads English."""
    languages = family_languages(child)
    if not languages:
        return None
    stmt = select(InterpretingRequest).where(InterpretingRequest.report_id == report.id)
    rows = list(db.session.scalars(stmt.order_by(InterpretingRequest.id)))
    due = share_by(report, child)
    return ReportTranslation(
        languages=languages,
        share_by=due,
        ask_by=ask_by(report, child),
        in_time=[r for r in rows if r.due_on <= due],
        too_late=[r for r in rows if r.due_on > due],
        today=today,
    )
