"""A manager signs off the newest version; it then goes into the chronology as an entry
with its PDF."""

from __future__ import annotations

from flask_babel import gettext as _

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.core.db import utcnow
from voice_app.record.entries.services import EntryDraft, add_entry
from voice_app.record.models import Classification, EntryKind, Source
from voice_app.reports.models import Report, ReportVersion
from voice_app.reports.services.chronology_pdf import store_signed_off_pdf
from voice_app.reports.services.drafting import ReportRefused, draft_of

KIND_NAMES = {
    "cp_initial_conference": "child protection conference report (initial)",
    "cp_review_conference": "child protection conference report (review)",
    "child_in_need_review": "child in need review report",
    "looked_after_review": "looked-after review report",
    "assessment": "assessment report",
}


def sign_off(report: Report, by: User) -> ReportVersion:
    version = draft_of(report)
    if version is None:
        raise ReportRefused({"report": _("This version is already signed off.")})
    now = utcnow()
    entry = add_entry(
        report.child_id,
        EntryDraft(
            kind=EntryKind.DECISION,
            # The chronology keeps one wording; the report itself is in the reader's language.
            body=(
                f"Report signed off: {KIND_NAMES[str(report.kind)]} for the meeting on "
                f"{report.meeting_on.isoformat()}, version {version.number} (report {report.id})."
            ),
            occurred_at=now,
            classification=Classification.DECISION,
            source=Source.FIRST_HAND,
            decision_maker=by.display,
            decision_reasons="Signed off as the final version for the meeting.",
        ),
        by,
    )
    version.signed_off_at = now
    version.signed_off_by_id = by.id
    version.signed_off_by_label = by.display
    version.record_entry_id = entry.id
    # The entry carries the signed-off report as a PDF (chronology_pdf serves it safely).
    store_signed_off_pdf(report, version, entry, by)
    audit.record(
        AuditAction.REPORT_SIGNED_OFF,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"version": version.number, "record_entry": entry.id},
    )
    return version
