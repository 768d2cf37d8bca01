"""Report drafts whose share-by deadline is near or passed and not yet shared: for the
practitioner's case list and the manager's team view.

The deadline is ``sharing.share_by`` (the kind's working days before the meeting in the
child's nation). A draft counts until every active family account of the child has it,
or, when the family has no account yet, until it has been shared with anyone; it stops
counting once the meeting day has passed or the version is signed off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Select, bindparam, select
from sqlalchemy.orm import selectinload

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import ReaderKey, reader_key, visible_child
from voice_app.core.permissions import Permission
from voice_app.core.working_days import add_working_days
from voice_app.extensions import db
from voice_app.replies.services import uk_today
from voice_app.reports.models import Report, ReportKind
from voice_app.reports.services.drafting import draft_of
from voice_app.reports.services.sharing import (
    active_account_ids_by_child,
    share_by,
    shares_of_reports,
    sharing_unfinished,
)

#: Working days before the share-by day from which a draft shows as due.
DUE_SOON_WORKING_DAYS = 2
#: Meetings further off than this cannot have a near deadline (5 working days back, with
#: bank holidays and a weekend, plus the warning days, stay well inside it).
LOOK_AHEAD_DAYS = 28


@dataclass(frozen=True)
class ShareDueItem:
    child_id: int
    child_name: str
    lead_id: int | None
    report_id: int
    kind: ReportKind
    meeting_on: date
    due_on: date
    overdue: bool


def _candidates(reader: User, today: date) -> list[tuple[Report, Child]]:
    params = {"first_day": today, "last_day": today + timedelta(days=LOOK_AHEAD_DAYS)}
    rows = db.session.execute(_candidates_stmt(reader_key(reader)), params).all()
    return [(row[0], row[1]) for row in rows]


@lru_cache(maxsize=256)
def _candidates_stmt(reader: ReaderKey) -> Select[Report, Child]:
    """Reports with a meeting in the days looked at, of open cases ``reader`` may open,
    with their versions (for ``draft_of``); built once per reader."""
    # Each report's child is tested by its key (``visible_child``): the cost follows the
    # reports, not how many children the reader sees.
    return (
        select(Report, Child)
        .join(Child, Child.id == Report.child_id)
        .where(
            visible_child(reader, Report.child_id),
            Child.closed_at.is_(None),
            Report.meeting_on >= bindparam("first_day", type_=Date()),
            Report.meeting_on <= bindparam("last_day", type_=Date()),
        )
        .order_by(Report.meeting_on, Report.id)
        .options(selectinload(Report.versions))
    )


def shares_due(reader: User, today: date) -> list[ShareDueItem]:
    """Drafts among the children ``reader`` may open whose share-by day is near or
    passed, not yet shared."""
    drafts = [(r, c) for r, c in _candidates(reader, today) if draft_of(r) is not None]
    shares = shares_of_reports([report.id for report, _child in drafts])
    accounts = active_account_ids_by_child({child.id for _report, child in drafts})
    found = []
    for report, child in drafts:
        if not sharing_unfinished(shares[report.id], accounts[child.id]):
            continue
        due_on = share_by(report, child)
        soon = add_working_days(today, DUE_SOON_WORKING_DAYS, str(child.nation))
        if due_on > soon:
            continue
        found.append(
            ShareDueItem(
                child.id,
                child.full_name,
                child.lead_practitioner_id,
                report.id,
                report.kind,
                report.meeting_on,
                due_on,
                today > due_on,
            )
        )
    return sorted(found, key=lambda item: (not item.overdue, item.due_on, item.report_id))


def shares_due_for(user: User) -> list[ShareDueItem]:
    """For the case list: the drafts due or overdue among the children ``user`` sees;
    audited when there are any."""
    items = find_shares_due_for(user)
    record_shares_due_viewed(items)
    return items


def find_shares_due_for(user: User) -> list[ShareDueItem]:
    """``shares_due_for`` without its audit entry, for a page that reads several lists
    before it writes their audit entries (``record_shares_due_viewed``)."""
    if not user.can(Permission.REPORT_READ):
        return []
    return shares_due(user, uk_today())


def record_shares_due_viewed(items: list[ShareDueItem]) -> None:
    """The audit entry for the drafts due shown to a reader; none when none were."""
    if items:
        audit.record(
            AuditAction.REPORT_SHARES_DUE_VIEWED,
            details={"shown": [f"{item.child_id}:{item.report_id}" for item in items]},
        )


def _team_items(manager: User) -> list[ShareDueItem]:
    """Computed once per request for the team view's two columns."""
    cache: dict[int, list[ShareDueItem]] = g.setdefault("report_shares_due", {})
    if manager.id not in cache:
        cache[manager.id] = shares_due(manager, uk_today())
    return cache[manager.id]


def _by_lead(items: list[ShareDueItem]) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for item in items:
        counts[item.lead_id] = counts.get(item.lead_id, 0) + 1
    return counts


def overdue_shares_by_practitioner(manager: User) -> dict[int | None, int]:
    return _by_lead([item for item in _team_items(manager) if item.overdue])


def due_shares_by_practitioner(manager: User) -> dict[int | None, int]:
    return _by_lead([item for item in _team_items(manager) if not item.overdue])


#: i18n: columns of the manager's team view: report drafts to give the family to read.
DUE_LABEL = _l("Report drafts to share soon")
OVERDUE_LABEL = _l("Report drafts overdue to share")
