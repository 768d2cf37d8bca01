"""Writing replies to the child, and when each reply is due.

A reply is due ``REPLY_WORKING_DAYS`` working days (in the child's UK nation) after the
contribution, on the day in UK time it was made; an "I don't feel safe" press is
answered the same day. Every read and change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, Contribution
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.core.working_days import add_working_days
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.plans.services.reading import actions_to_answer_with
from voice_app.replies import access
from voice_app.replies.models import ChildReply

#: The clock deadlines are counted on.
UK_TIME = ZoneInfo("Europe/London")
#: Whose contributions are answered: the child's own words, however they were written down.
ANSWERED_AUTHORS = (AuthorKind.CHILD, AuthorKind.PRACTITIONER_FOR_CHILD)
MAX_REPLY_LENGTH = 2_000
MAX_WHAT_WE_DID_LENGTH = 5_000


class ReplyRefused(Refused):
    """Nothing stored; ``problems`` maps form fields to messages in the reader's language."""


@dataclass(frozen=True)
class ReplyDraft:
    text: str
    language: str
    what_we_did: str = ""
    #: The key of the plan action this reply is about, if any.
    plan_action_key: str = ""


@dataclass(frozen=True)
class ReplyStatus:
    """Where one contribution's reply stands, as the timeline shows it."""

    current: ChildReply | None
    earlier: int
    due_on: date
    overdue: bool


def uk_day(moment: datetime) -> date:
    """The calendar day in the UK at ``moment``."""
    return moment.astimezone(UK_TIME).date()


def uk_today() -> date:
    return uk_day(utcnow())


def start_of_uk_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the UK, in UTC."""
    return datetime.combine(day, time.min, tzinfo=UK_TIME).astimezone(UTC)


def working_days_for(unsafe: bool) -> int:
    """How many working days a reply may take: none for "I don't feel safe"."""
    return 0 if unsafe else int(current_app.config["REPLY_WORKING_DAYS"])


def due_on(contribution: Contribution, nation: str) -> date:
    """The last day on which the reply to ``contribution`` is on time."""
    return add_working_days(
        uk_day(contribution.created_at), working_days_for(contribution.flagged_unsafe), nation
    )


def needs_reply(contribution: Contribution) -> bool:
    return contribution.author_kind in ANSWERED_AUTHORS


def history(contribution_id: int) -> list[ChildReply]:
    """Every reply to a contribution, oldest first; the last is the one the child sees."""
    return list(
        db.session.scalars(
            select(ChildReply)
            .where(ChildReply.contribution_id == contribution_id)
            .order_by(ChildReply.id)
        )
    )


def current_replies(contribution_ids: Iterable[int]) -> dict[int, tuple[ChildReply, int]]:
    """The newest reply to each contribution, with how many replies came before it."""
    ids = list(contribution_ids)
    if not ids:
        return {}
    newest = (
        select(func.max(ChildReply.id), func.count(ChildReply.id))
        .where(ChildReply.contribution_id.in_(ids))
        .group_by(ChildReply.contribution_id)
    )
    counts = {reply_id: count for reply_id, count in db.session.execute(newest)}
    replies = db.session.scalars(select(ChildReply).where(ChildReply.id.in_(list(counts))))
    return {reply.contribution_id: (reply, counts[reply.id] - 1) for reply in replies}


def statuses(child: Child, items: Iterable[Contribution]) -> dict[int, ReplyStatus]:
    """Reply, due date and lateness for each contribution that is answered; audited when
    any reply is shown."""
    answered = [item for item in items if needs_reply(item)]
    current = current_replies(item.id for item in answered)
    today = uk_today()
    found: dict[int, ReplyStatus] = {}
    for item in answered:
        reply, earlier = current.get(item.id, (None, 0))
        due = due_on(item, child.nation)
        found[item.id] = ReplyStatus(reply, earlier, due, reply is None and today > due)
    if current:
        audit.record(
            AuditAction.REPLIES_VIEWED,
            child_id=child.id,
            details={"replies": sorted(reply.id for reply, _earlier in current.values())},
        )
    return found


def record_history_viewed(contribution: Contribution, replies: list[ChildReply]) -> None:
    audit.record(
        AuditAction.REPLIES_VIEWED,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
        details={"replies": [reply.id for reply in replies]},
    )


def _check(contribution: Contribution, draft: ReplyDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not needs_reply(contribution):
        problems["text"] = _("Replies are for what a child said, not for family members.")
    if not draft.text.strip():
        problems["text"] = _("Please write the reply to the child.")
    elif len(draft.text.strip()) > MAX_REPLY_LENGTH:
        problems["text"] = _("Please keep the reply short: a child reads or hears it.")
    if draft.language not in LANGUAGES:
        problems["language"] = _("Please choose a language.")
    if len(draft.what_we_did.strip()) > MAX_WHAT_WE_DID_LENGTH:
        problems["what_we_did"] = _("That is too long.")
    if draft.plan_action_key and draft.plan_action_key not in actions_to_answer_with(
        contribution.child_id
    ):
        problems["plan_action"] = _("That action is not in the child's plan.")
    return problems


def write_reply(contribution: Contribution, draft: ReplyDraft, by: User) -> ChildReply:
    """Store a new reply to the child; it supersedes the one before, which is kept."""
    problems = _check(contribution, draft)
    if problems:
        raise ReplyRefused(problems)
    before = current_replies([contribution.id]).get(contribution.id)
    reply = ChildReply(
        child_id=contribution.child_id,
        contribution_id=contribution.id,
        text=draft.text.strip(),
        language=draft.language,
        what_we_did=draft.what_we_did.strip() or None,
        plan_action_key=draft.plan_action_key or None,
        supersedes_id=before[0].id if before else None,
        written_by_id=by.id,
        written_by_label=by.display,
    )
    db.session.add(reply)
    db.session.flush()
    audit.record(
        AuditAction.REPLY_WRITTEN,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
        details={
            "reply": reply.id,
            "supersedes": reply.supersedes_id,
            "plan_action": reply.plan_action_key,
        },
    )
    return reply


def replies_for_child_space(child_id: int) -> dict[int, ChildReply]:
    """The current reply to each of the child's own contributions that is still theirs to
    see (never one hidden from them); audited as shown to the child when there are any."""
    own = db.session.scalars(
        select(Contribution.id).where(
            Contribution.child_id == child_id,
            Contribution.author_kind == AuthorKind.CHILD,
            access.seen_by_child(child_id),
        )
    )
    current = {cid: reply for cid, (reply, _earlier) in current_replies(own).items()}
    if current:
        audit.record(
            AuditAction.REPLIES_SHOWN_TO_CHILD,
            child_id=child_id,
            details={"replies": sorted(reply.id for reply in current.values())},
        )
    return current


def plan_actions(child_id: int) -> dict[str, str]:
    """The child's plan actions a reply can be linked to, by key (none without a plan)."""
    return actions_to_answer_with(child_id)
