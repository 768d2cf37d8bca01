"""After the meeting: who attended, and giving the signed-off report to invited people
who did not attend.

A family member on the child's record with an account gets it in their own space, where
the same single owner (``record.disclosure``, through ``reading.shown_report``) filters it
for them; anyone else is named in text with the way it was given, for the record.
"""

from __future__ import annotations

import functools

from flask_babel import gettext as _
from sqlalchemy import BindParameter, Select, bindparam, exists, or_, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import FamilyMember
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.reports.meeting_models import MeetingAttendance, ReportGiving
from voice_app.reports.models import Report, ReportShare, ReportVersion
from voice_app.reports.services import sharing
from voice_app.reports.services.answers import author_label
from voice_app.reports.services.drafting import ReportRefused, clean, latest


def _key(row: MeetingAttendance) -> tuple[str, str]:
    if row.family_member_id is not None:
        return ("member", str(row.family_member_id))
    return ("name", row.name.strip().casefold())


def attendance(report: Report) -> list[MeetingAttendance]:
    """Each invited person once, as last recorded, in the order first recorded."""
    rows = db.session.scalars(
        select(MeetingAttendance)
        .where(MeetingAttendance.report_id == report.id)
        .order_by(MeetingAttendance.id)
    )
    current: dict[tuple[str, str], MeetingAttendance] = {}
    for row in rows:
        current.pop(_key(row), None)
        current[_key(row)] = row
    return sorted(current.values(), key=lambda r: r.id)


def record_attendance(
    report: Report,
    by: User,
    *,
    family_member_id: int | None,
    name: str | None,
    role: str | None,
    attended: bool,
) -> MeetingAttendance:
    """Whether one invited person attended; a later row about them replaces it on screen."""
    member = db.session.get(FamilyMember, family_member_id) if family_member_id else None
    if family_member_id and (member is None or member.child_id != report.child_id):
        raise ReportRefused({"family_member_id": _("Please choose someone on the record.")})
    if member is not None:
        name = member.name
        role = clean(role) or member.relationship_to_child.value.replace("_", " ")
    if clean(name) is None:
        raise ReportRefused({"name": _("Please give the person's name.")})
    row = MeetingAttendance(
        report_id=report.id,
        family_member_id=member.id if member else None,
        name=clean(name) or "",
        role=clean(role),
        attended=attended,
        recorded_by_id=by.id,
        recorded_by_label=by.display,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        AuditAction.REPORT_ATTENDANCE_RECORDED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"attendance": row.id, "attended": attended, "family": member is not None},
    )
    return row


def final_version(report: Report) -> ReportVersion | None:
    """The newest signed-off version: the one given after the meeting."""
    signed = [v for v in report.versions if v.signed_off_at is not None]
    return signed[-1] if signed else None


def _account_of(member_id: int, child_id: int) -> FamilyAccount | None:
    return db.session.scalar(
        select(FamilyAccount).where(
            FamilyAccount.family_member_id == member_id,
            FamilyAccount.child_id == child_id,
            FamilyAccount.active.is_(True),
        )
    )


def absent(report: Report) -> list[MeetingAttendance]:
    """Invited people recorded as not attending: those the report may be given to."""
    return [row for row in attendance(report) if not row.attended]


def give(report: Report, attendance_id: int, how: str | None, by: User) -> ReportGiving:
    """Give the signed-off report to one invited person who did not attend."""
    version = final_version(report)
    if version is None:
        raise ReportRefused({"attendance_id": _("Only a signed-off report is given.")})
    row = next((r for r in absent(report) if r.id == attendance_id), None)
    if row is None:
        raise ReportRefused(
            {"attendance_id": _("Please choose someone invited who did not attend.")}
        )
    account = _account_of(row.family_member_id, report.child_id) if row.family_member_id else None
    if account is None and clean(how) is None:
        raise ReportRefused({"how": _("Please say how the report was given.")})
    giving = ReportGiving(
        report_id=report.id,
        version_id=version.id,
        family_account_id=account.id if account else None,
        recipient=author_label(account) if account else f"{row.name} ({row.role or ''})".strip(),
        # i18n: kept in the record as written, in the language of the person giving it.
        how=clean(how) or _("In their family space"),
        given_by_id=by.id,
        given_by_label=by.display,
    )
    db.session.add(giving)
    db.session.flush()
    audit.record(
        AuditAction.REPORT_GIVEN,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={
            "giving": giving.id,
            "version": version.number,
            "family_account": giving.family_account_id,
        },
    )
    return giving


def givings_of(report: Report) -> list[ReportGiving]:
    stmt = select(ReportGiving).where(ReportGiving.report_id == report.id)
    return list(db.session.scalars(stmt.order_by(ReportGiving.id)))


def versions_given_to(account: FamilyAccount, report: Report) -> list[ReportVersion]:
    ids = set(
        db.session.scalars(
            select(ReportGiving.version_id).where(
                ReportGiving.report_id == report.id,
                ReportGiving.family_account_id == account.id,
            )
        )
    )
    return [v for v in report.versions if v.id in ids]


def readable_reports(account: FamilyAccount) -> list[Report]:
    """Reports this family member reaches, newest first: drafts shared with them, finals
    given to them (one query: the family's home page asks on every visit)."""
    values = {"account_id": account.id, "child_id": account.child_id}
    return list(db.session.scalars(_readable_reports_statement(), values))


@functools.cache
def _readable_reports_statement() -> Select[Report]:
    """Built once, with the account and child as bound values: building it cost about
    as much as running it, on every visit to the family's home page."""
    account_id: BindParameter[int] = bindparam("account_id")
    shared = exists().where(
        ReportShare.report_id == Report.id,
        ReportShare.family_account_id == account_id,
        ReportShare.shared_at.is_not(None),
    )
    given = exists().where(
        ReportGiving.report_id == Report.id, ReportGiving.family_account_id == account_id
    )
    return (
        select(Report)
        .where(Report.child_id == bindparam("child_id"), or_(shared, given))
        .order_by(Report.id.desc())
    )


def draft_shared_with(account: FamilyAccount, report: Report) -> bool:
    return any(r.id == report.id for r in sharing.reports_shared_with(account))


def family_version(account: FamilyAccount, report: Report) -> ReportVersion:
    """The version the family member reads: the newest once the draft was shared with
    them; otherwise the final report given to them."""
    if draft_shared_with(account, report):
        return latest(report)
    given = versions_given_to(account, report)
    if not given:
        raise LookupError(report.id)
    return given[-1]
