"""The signed-off report's PDF on its chronology entry.

At sign-off the meeting's copy is made as the signing manager may see it, sealed in the
media store, and tied to the entry, with a note of which analysis points and which of the
child's contributions it prints. A reader is given that stored copy only when
``record.disclosure`` (through ``reading.shown_report``) lets them see every one of those;
anyone from whom part is withheld gets a copy made for them instead, so a confidential
point never reaches a reader without a grant.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.disclosure import Reader
from voice_app.record.models import RecordEntry
from voice_app.reports.meeting_models import SignedOffPdf
from voice_app.reports.models import Report, ReportVersion
from voice_app.reports.services import reading
from voice_app.reports.services.voices import MEETING

#: The chronology keeps one wording (signing.py); its PDF is in the same language.
CHRONOLOGY_LOCALE = "en"


def _ids(values: list[int]) -> str:
    return " ".join(str(v) for v in sorted(values))


def _point_key(point_id: int, numbers: list[int]) -> str:
    """A point and the entry numbers printed beside it: "12:3,4". The numbers count too,
    since a reader without a grant numbers entries without gaps and the signer may not."""
    return f"{point_id}:{','.join(str(n) for n in numbers)}"


def _printed(shown: reading.ShownReport) -> tuple[set[str], set[int]]:
    points = {_point_key(p.point.id, p.numbers) for p in shown.points}
    words = {c.words.contribution.id for c in shown.words}
    return points, words


def _render(report: Report, version: ReportVersion, user: User) -> tuple[bytes, set[str], set[int]]:
    from voice_app.reports.views import render_pdf_of

    child = db.session.get_one(Child, report.child_id)
    shown = reading.shown_report(report, version, Reader.staff(user), MEETING)
    with force_locale(CHRONOLOGY_LOCALE):
        body = render_pdf_of(child, shown, locale=CHRONOLOGY_LOCALE)
    points, words = _printed(shown)
    return body, points, words


def store_signed_off_pdf(
    report: Report, version: ReportVersion, entry: RecordEntry, by: User
) -> SignedOffPdf:
    """Make and seal the signed-off version's PDF and tie it to its chronology entry.

    The file is written before the row commits; if the transaction is rolled back, the
    orphan-media sweep removes it (``pdf_media_id`` names it)."""
    body, points, words = _render(report, version, by)
    row = SignedOffPdf(
        version_id=version.id,
        record_entry_id=entry.id,
        pdf_media_id=media_store().put(body),
        point_ids=" ".join(sorted(points)),
        word_ids=_ids(list(words)),
    )
    db.session.add(row)
    db.session.flush()
    return row


def pdf_of_version(version: ReportVersion) -> SignedOffPdf | None:
    return db.session.scalar(select(SignedOffPdf).where(SignedOffPdf.version_id == version.id))


def version_of_entry(entry_id: int) -> tuple[int, int] | None:
    """The report and version number whose signed-off PDF is on this chronology entry."""
    row = db.session.execute(
        select(ReportVersion.report_id, ReportVersion.number)
        .join(SignedOffPdf, SignedOffPdf.version_id == ReportVersion.id)
        .where(SignedOffPdf.record_entry_id == entry_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


@dataclass(frozen=True)
class ReaderPdf:
    body: bytes
    #: "stored" (the copy made at sign-off) or "made_for_reader" (part is withheld).
    copy: str


def pdf_for_reader(stored: SignedOffPdf, user: User) -> ReaderPdf:
    """The PDF this staff reader may have, and audited as read."""
    version = db.session.get_one(ReportVersion, stored.version_id)
    report = version.report
    shown = reading.shown_report(report, version, Reader.staff(user), MEETING)
    points, words = _printed(shown)
    held_points = set(stored.point_ids.split())
    held_words = {int(i) for i in stored.word_ids.split()}
    if held_points <= points and held_words <= words:
        result = ReaderPdf(media_store().get(stored.pdf_media_id), "stored")
    else:
        result = ReaderPdf(_render(report, version, user)[0], "made_for_reader")
    audit.record(
        AuditAction.REPORT_CHRONOLOGY_PDF_READ,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"version": version.number, "entry": stored.record_entry_id, "copy": result.copy},
    )
    return result
