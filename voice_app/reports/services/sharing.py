"""Sharing the draft with chosen family members by the deadline its kind sets.

The deadline counts working days back from the meeting in the child's own UK nation
(``core.working_days``). A draft with no word from the child is shared only once the
practitioner has recorded why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.core.working_days import is_working_day, latest_start_due_before
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.reports.models import SHARE_DAYS, Report, ReportShare
from voice_app.reports.services.drafting import ReportRefused, draft_of
from voice_app.reports.services.voices import has_child_words


def share_by(report: Report, child: Child) -> date:
    """The last day the draft may reach the family: the kind's working days before the
    meeting, skipping the bank holidays of the child's nation; on a working day itself."""
    nation = str(child.nation)
    day = latest_start_due_before(report.meeting_on, SHARE_DAYS[report.kind], nation)
    while not is_working_day(day, nation):
        day -= timedelta(days=1)
    return day


def family_accounts(child_id: int) -> list[FamilyAccount]:
    stmt = select(FamilyAccount).where(
        FamilyAccount.child_id == child_id, FamilyAccount.active.is_(True)
    )
    return list(db.session.scalars(stmt.order_by(FamilyAccount.id)))


def shares_of(report: Report) -> list[ReportShare]:
    return shares_of_reports([report.id])[report.id]


def shares_of_reports(report_ids: list[int]) -> dict[int, list[ReportShare]]:
    """Every share of these reports, by report, in one query (lists across cases)."""
    shares: dict[int, list[ReportShare]] = defaultdict(list)
    if report_ids:
        stmt = select(ReportShare).where(ReportShare.report_id.in_(report_ids))
        for row in db.session.scalars(stmt.order_by(ReportShare.id)):
            shares[row.report_id].append(row)
    return shares


def active_account_ids_by_child(child_ids: set[int]) -> dict[int, set[int]]:
    """The ids of each child's active family accounts (``family_accounts``), in one query."""
    accounts: dict[int, set[int]] = defaultdict(set)
    if child_ids:
        rows = db.session.execute(
            select(FamilyAccount.child_id, FamilyAccount.id).where(
                FamilyAccount.child_id.in_(child_ids), FamilyAccount.active.is_(True)
            )
        )
        for child_id, account_id in rows:
            accounts[child_id].add(account_id)
    return accounts


def still_waiting(shared: list[ReportShare], account_ids: Iterable[int]) -> set[int]:
    """The family accounts (of ``account_ids``) the draft has not reached yet."""
    done = {s.family_account_id for s in shared}
    return {account_id for account_id in account_ids if account_id not in done}


def sharing_unfinished(shared: list[ReportShare], account_ids: Iterable[int]) -> bool:
    """Whether the draft still counts as to be shared: a family account still waits for
    it, or, with no account yet, it has not been shared with anyone."""
    return bool(still_waiting(shared, account_ids)) or not any(s.shared_at for s in shared)


def share(report: Report, child: Child, account_ids: list[int], by: User) -> list[ReportShare]:
    """Share the draft now with each chosen family member of this child."""
    version = draft_of(report)
    if version is None:
        raise ReportRefused({"accounts": _("A signed-off version is not shared as a draft.")})
    if not has_child_words(version, child.id) and not version.no_child_words_reason:
        raise ReportRefused(
            {"accounts": _("Please record why the child's own words are not in the report.")}
        )
    allowed = {a.id for a in family_accounts(child.id)}
    if not account_ids or not set(account_ids) <= allowed:
        raise ReportRefused({"accounts": _("Please choose who to share the draft with.")})
    already = {s.family_account_id for s in shares_of(report)}
    made = []
    for account_id in account_ids:
        if account_id in already:
            continue
        row = ReportShare(
            report_id=report.id,
            family_account_id=account_id,
            due_on=share_by(report, child),
            shared_at=utcnow(),
            shared_by_id=by.id,
        )
        db.session.add(row)
        made.append(row)
    db.session.flush()
    for row in made:
        audit.record(
            AuditAction.REPORT_SHARED,
            child_id=child.id,
            target=f"report:{report.id}",
            details={"family_account": row.family_account_id, "version": version.number},
        )
    return made


@dataclass(frozen=True)
class ShareDue:
    """Where sharing stands for the practitioner: the deadline, and who is still waiting."""

    due_on: date
    overdue: bool
    waiting: list[FamilyAccount]
    shared: list[ReportShare]


def share_status(report: Report, child: Child, today: date) -> ShareDue:
    shared = shares_of(report)
    accounts = family_accounts(child.id)
    waiting_ids = still_waiting(shared, (a.id for a in accounts))
    waiting = [a for a in accounts if a.id in waiting_ids]
    due_on = share_by(report, child)
    late = [s for s in shared if s.shared_at is not None and s.shared_at.date() > s.due_on]
    overdue = (bool(waiting) and today > due_on) or bool(late)
    return ShareDue(due_on, overdue, waiting, shared)


def reports_shared_with(account: FamilyAccount) -> list[Report]:
    stmt = (
        select(Report)
        .join(ReportShare, ReportShare.report_id == Report.id)
        .where(
            ReportShare.family_account_id == account.id,
            Report.child_id == account.child_id,
            ReportShare.shared_at.is_not(None),
        )
        .order_by(Report.id.desc())
        .distinct()
    )
    return list(db.session.scalars(stmt))
