"""Asking an interpreter for something specific, and each interpreter's queue.

Who interprets is always an interpreter account assigned to the child and working in the
language: the choice never lists the child or a family member (London's procedures
forbid family members interpreting), and the service refuses anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import AssignmentRole, CaseAssignment, Child
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.core.permissions import Role
from voice_app.core.queue import after_commit
from voice_app.extensions import db
from voice_app.interpreting.models import (
    InterpreterLanguage,
    InterpretingRequest,
    RequestKind,
    RequestStatus,
)
from voice_app.plans.services.drafting import plan_of
from voice_app.record.disclosure import (
    InterpreterScope,
    disclosure_for,
    interpreter_assigned,
    may_include_confidential,
)
from voice_app.reports.models import SECTIONS, WRITTEN, ReportSection
from voice_app.reports.services.drafting import report_of


class InterpretingRefused(Refused):
    """The request or translation was refused; nothing was stored."""


@dataclass(frozen=True)
class RequestDraft:
    kind: RequestKind
    language: str
    interpreter_id: int
    due_on: date
    contribution_id: int | None = None
    report_id: int | None = None
    report_section: str | None = None
    session_at: datetime | None = None
    session_place: str | None = None
    note: str | None = None


def interpreters_for(child: Child, language: str | None = None) -> list[User]:
    """Interpreter accounts assigned to the child now (for ``language``, when given)."""
    moment = utcnow()
    stmt = (
        select(User)
        .join(CaseAssignment, CaseAssignment.user_id == User.id)
        .where(
            CaseAssignment.child_id == child.id,
            CaseAssignment.role_on_case == AssignmentRole.INTERPRETER,
            CaseAssignment.starts_at <= moment,
            or_(CaseAssignment.ends_at.is_(None), CaseAssignment.ends_at > moment),
            User.role == Role.INTERPRETER,
            User.active.is_(True),
        )
    )
    if language is not None:
        stmt = stmt.where(
            User.id.in_(
                select(InterpreterLanguage.user_id).where(InterpreterLanguage.language == language)
            )
        )
    return list(db.session.scalars(stmt.order_by(User.name).distinct()))


def languages_of(user_ids: list[int]) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(InterpreterLanguage.user_id, InterpreterLanguage.language)
        .where(InterpreterLanguage.user_id.in_(user_ids))
        .order_by(InterpreterLanguage.language)
    )
    found: dict[int, list[str]] = {}
    for user_id, language in rows:
        found.setdefault(user_id, []).append(language)
    return found


def add_language(user: User, language: str) -> InterpreterLanguage | None:
    """Record that an interpreter works in ``language``; None if already recorded."""
    if user.role is not Role.INTERPRETER:
        raise ValueError("only interpreter accounts have working languages")
    if language in languages_of([user.id]).get(user.id, []):
        return None
    row = InterpreterLanguage(user_id=user.id, language=language)
    db.session.add(row)
    db.session.flush()
    return row


def _check_item(child: Child, draft: RequestDraft, by: User) -> dict[str, str]:
    problems: dict[str, str] = {}
    if draft.kind is RequestKind.CONTRIBUTION:
        contribution = db.session.get(Contribution, draft.contribution_id or 0)
        seen = disclosure_for(by, child.id)
        if contribution is None or not seen.may_see_contribution(contribution):
            problems["contribution_id"] = _("Please choose the words to translate.")
    elif draft.kind in (RequestKind.REPORT_SECTION, RequestKind.REPORT_DRAFT):
        report = report_of(child.id, draft.report_id or 0)
        if report is None:
            problems["report_id"] = _("Please choose the report.")
        elif draft.kind is RequestKind.REPORT_SECTION and (
            draft.report_section not in {s.value for s in SECTIONS[report.kind]}
            or ReportSection(draft.report_section) not in WRITTEN
        ):
            problems["report_section"] = _("Please choose a section the practitioner writes.")
    elif draft.kind is RequestKind.PLAN:
        if plan_of(child.id) is None:
            problems["kind"] = _("This child has no plan yet.")
    elif draft.session_at is None or not (draft.session_place or "").strip():
        problems["session_at"] = _("Please give the date, time and place of the session.")
    return problems


def create_request(child: Child, draft: RequestDraft, by: User, today: date) -> InterpretingRequest:
    """Ask one interpreter for one thing, by a date; audited. A recording in another
    language gets the machine's draft English translation queued for the interpreter."""
    problems = _check_item(child, draft, by)
    offered = {u.id: u for u in interpreters_for(child, draft.language)}
    if draft.interpreter_id not in offered:
        problems["interpreter_id"] = _(
            "Please choose an interpreter assigned to this child for this language."
        )
    if draft.due_on < today:
        problems["due_on"] = _("Please choose a date from today on.")
    if problems:
        raise InterpretingRefused(problems)
    interpreter = offered[draft.interpreter_id]
    row = InterpretingRequest(
        child_id=child.id,
        kind=draft.kind,
        language=draft.language,
        interpreter_id=interpreter.id,
        interpreter_label=interpreter.display,
        due_on=draft.due_on,
        status=RequestStatus.OPEN,
        contribution_id=draft.contribution_id if draft.kind is RequestKind.CONTRIBUTION else None,
        report_id=draft.report_id if draft.kind.value.startswith("report") else None,
        report_section=draft.report_section if draft.kind is RequestKind.REPORT_SECTION else None,
        plan_id=(plan := plan_of(child.id)) and plan.id if draft.kind is RequestKind.PLAN else None,
        session_at=draft.session_at if draft.kind is RequestKind.LIVE_SESSION else None,
        session_place=(draft.session_place or "").strip() or None
        if draft.kind is RequestKind.LIVE_SESSION
        else None,
        note=(draft.note or "").strip() or None,
        requested_by_id=by.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        AuditAction.INTERPRETING_REQUESTED,
        child_id=child.id,
        target=f"interpreting_request:{row.id}",
        details={"kind": str(row.kind), "language": row.language, "interpreter": interpreter.id},
    )
    contribution = db.session.get(Contribution, row.contribution_id or 0)
    if (
        contribution is not None
        and contribution.kind is ContributionKind.VOICE
        and contribution.media_id
        and row.language != "en"
    ):
        from voice_app.interpreting.tasks import translate_recording

        after_commit(translate_recording, row.id)
    return row


def requests_of(child: Child) -> list[InterpretingRequest]:
    stmt = select(InterpretingRequest).where(InterpretingRequest.child_id == child.id)
    return list(db.session.scalars(stmt.order_by(InterpretingRequest.id.desc())))


def record_requests_viewed(child_id: int | None, shown: list[InterpretingRequest]) -> None:
    audit.record(
        AuditAction.INTERPRETING_REQUESTS_VIEWED,
        child_id=child_id,
        details={"shown": [r.id for r in shown]},
    )


@dataclass(frozen=True)
class Queue:
    open: list[InterpretingRequest]
    #: Open and due today or earlier.
    due: list[InterpretingRequest]
    done: list[InterpretingRequest]


def queue_of(interpreter: User, today: date) -> Queue:
    """The interpreter's requests for children they are still assigned to; audited."""
    stmt = select(InterpretingRequest).where(InterpretingRequest.interpreter_id == interpreter.id)
    rows = [
        r
        for r in db.session.scalars(stmt.order_by(InterpretingRequest.due_on))
        if interpreter_assigned(interpreter, r.child_id)
    ]
    record_requests_viewed(None, rows)
    is_open = [r for r in rows if r.status is RequestStatus.OPEN]
    return Queue(
        open=[r for r in is_open if r.due_on > today],
        due=[r for r in is_open if r.due_on <= today],
        done=[r for r in rows if r.status is RequestStatus.DONE],
    )


def interpreter_scope(interpreter: User, child_id: int) -> InterpreterScope:
    """What this interpreter's requests for the child name: the facts disclosure decides on."""
    stmt = select(InterpretingRequest).where(
        InterpretingRequest.interpreter_id == interpreter.id,
        InterpretingRequest.child_id == child_id,
    )
    rows = list(db.session.scalars(stmt))
    return InterpreterScope(
        contribution_ids=frozenset(r.contribution_id for r in rows if r.contribution_id),
        included=frozenset(
            (r.contribution_id, r.confidential_included_by_id)
            for r in rows
            if r.contribution_id and r.confidential_included_by_id
        ),
        report_ids=frozenset(r.report_id for r in rows if r.report_id),
        plan_ids=frozenset(r.plan_id for r in rows if r.plan_id),
    )


def request_for_interpreter(interpreter: User, request_id: int) -> InterpretingRequest | None:
    """The request, if it is this interpreter's and they are still assigned to the child."""
    row = db.session.get(InterpretingRequest, request_id)
    if row is None or row.interpreter_id != interpreter.id:
        return None
    return row if interpreter_assigned(interpreter, row.child_id) else None


def request_of(child: Child, request_id: int) -> InterpretingRequest | None:
    row = db.session.get(InterpretingRequest, request_id)
    return row if row is not None and row.child_id == child.id else None


def include_confidential(row: InterpretingRequest, manager: User) -> None:
    """A manager with a live grant lets a confidential contribution go to the interpreter."""
    if row.contribution_id is None or not may_include_confidential(manager, row.child_id):
        raise InterpretingRefused(
            {"request": _("Only a manager with access to the confidential section may do this.")}
        )
    row.confidential_included_by_id = manager.id
    row.confidential_included_at = utcnow()
    audit.record(
        AuditAction.INTERPRETING_CONFIDENTIAL_INCLUDED,
        child_id=row.child_id,
        target=f"interpreting_request:{row.id}",
    )


def mark_done(row: InterpretingRequest) -> None:
    if row.status is RequestStatus.DONE:
        return
    row.status = RequestStatus.DONE
    row.done_at = utcnow()
    audit.record(
        AuditAction.INTERPRETING_DONE,
        child_id=row.child_id,
        target=f"interpreting_request:{row.id}",
    )
