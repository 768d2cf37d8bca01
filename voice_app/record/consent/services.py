"""Attaching a child's contribution to the record, always with a consent decision.

A decision is never edited: a later one (a withdrawal, say) is appended, and the newest is
the one in force (``visibility.current_consent``). Sharing although consent was refused
or not sought needs a reason category, the reasons, who decided and whether a manager
was consulted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import parents_with_responsibility
from voice_app.contributions.labels import FEELINGS, HOUSES
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.errors import Refused
from voice_app.extensions import db
from voice_app.record.entries import services as entries
from voice_app.record.entries.services import blank, cleaned
from voice_app.record.models import (
    Classification,
    ConsentAnswer,
    ConsentDecision,
    ConsentFrom,
    EntryKind,
    RecordEntry,
    ShareWithoutConsentReason,
    Source,
)

#: Answers that must always come with their reasons.
NEEDS_REASONS = (ConsentAnswer.REFUSED, ConsentAnswer.NOT_SOUGHT, ConsentAnswer.WITHDRAWN)


class ConsentRefused(Refused):
    """Nothing stored; ``problems`` maps form fields to messages in the reader's language."""


@dataclass(frozen=True)
class ConsentDraft:
    consent_from: ConsentFrom
    information: str
    answer: ConsentAnswer
    decided_on: date
    family_member_id: int | None = None
    share_with_family: bool = False
    #: Shared with one family member only (None: all the family).
    shared_with_member_id: int | None = None
    share_with_meeting: bool = False
    share_with_agencies: bool = False
    agencies: str | None = None
    shared_without_consent: bool = False
    reason_category: ShareWithoutConsentReason | None = None
    reasons: str | None = None
    decision_maker: str | None = None
    manager_consulted: bool | None = None


def check_decision(child: Child, draft: ConsentDraft) -> dict[str, str]:
    """The rules every consent decision keeps, as ``{field: message}``."""
    problems: dict[str, str] = {}
    if draft.consent_from is ConsentFrom.PARENT and draft.family_member_id not in {
        member.id for member in parents_with_responsibility(child)
    }:
        problems["family_member_id"] = _(
            "Please choose the parent or carer, with parental responsibility, who was asked."
        )
    if draft.shared_with_member_id is not None and (
        not draft.share_with_family
        or draft.shared_with_member_id not in {member.id for member in child.family_members}
    ):
        problems["shared_with_member_id"] = _(
            "To share with one family member, choose someone in this child's family and "
            "tick sharing with the family."
        )
    if blank(draft.information):
        problems["information"] = _("Please say what information the decision is about.")
    if draft.share_with_agencies and blank(draft.agencies):
        problems["agencies"] = _("Please name the agencies.")
    if draft.decided_on > utcnow().date():
        problems["decided_on"] = _("The date of the decision cannot be in the future.")
    if draft.answer in NEEDS_REASONS and blank(draft.reasons):
        problems["reasons"] = _("Please record the reasons for this decision.")
    if draft.shared_without_consent:
        if draft.answer not in (ConsentAnswer.REFUSED, ConsentAnswer.NOT_SOUGHT):
            problems["shared_without_consent"] = _(
                "Sharing without consent applies only when consent was refused or not sought."
            )
        if draft.reason_category is None:
            problems["reason_category"] = _(
                "Sharing without consent needs a reason: please choose one."
            )
        if blank(draft.reasons):
            problems["reasons"] = _("Sharing without consent needs its reasons recorded in full.")
        if blank(draft.decision_maker):
            problems["decision_maker"] = _("Sharing without consent must say who decided.")
        if draft.manager_consulted is None:
            problems["manager_consulted"] = _("Please say whether a manager was consulted.")
        if not (draft.share_with_family or draft.share_with_meeting or draft.share_with_agencies):
            problems["shared_without_consent"] = _("Please say who the information is shared with.")
    return problems


def record_decision(
    child: Child, contribution: Contribution, draft: ConsentDraft, by: User
) -> ConsentDecision:
    """Append a consent decision about a contribution, or refuse it whole (``ConsentRefused``)."""
    problems = check_decision(child, draft)
    if problems:
        raise ConsentRefused(problems)
    without_consent = draft.shared_without_consent
    decision = ConsentDecision(
        child_id=child.id,
        contribution_id=contribution.id,
        consent_from=draft.consent_from,
        family_member_id=draft.family_member_id
        if draft.consent_from is ConsentFrom.PARENT
        else None,
        information=draft.information.strip(),
        share_with_family=draft.share_with_family,
        shared_with_member_id=draft.shared_with_member_id if draft.share_with_family else None,
        share_with_meeting=draft.share_with_meeting,
        share_with_agencies=draft.share_with_agencies,
        agencies=cleaned(draft.agencies) if draft.share_with_agencies else None,
        answer=draft.answer,
        decided_on=draft.decided_on,
        shared_without_consent=without_consent,
        reason_category=draft.reason_category if without_consent else None,
        reasons=cleaned(draft.reasons),
        decision_maker=cleaned(draft.decision_maker),
        manager_consulted=draft.manager_consulted if without_consent else None,
        recorded_by_id=by.id,
        recorded_by_label=by.display,
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        AuditAction.CONSENT_RECORDED,
        child_id=child.id,
        target=f"contribution:{contribution.id}",
        details={
            "decision": decision.id,
            "answer": str(decision.answer),
            "shared_without_consent": without_consent,
            "family_member": decision.shared_with_member_id,
        },
    )
    return decision


def contribution_words(contribution: Contribution) -> str:
    """The child's words as they go into the record, verbatim.

    A recording's words are its confirmed transcript: a machine draft is never taken for
    the child's words. Feelings, houses and scales carry the child's answer, in the
    language the child used, and any words with it.
    """
    if contribution.kind is ContributionKind.VOICE:
        transcript = contribution.transcript
        if transcript is None or transcript.status is not TranscriptStatus.CONFIRMED:
            raise ConsentRefused(
                {
                    "contribution": _(
                        "The transcript of this recording is not confirmed yet. Please confirm "
                        "the child's words with them first, then add it to the record."
                    )
                }
            )
        return transcript.confirmed_text or ""
    words = contribution.text or ""
    with force_locale(contribution.language):
        if contribution.kind is ContributionKind.FEELING and contribution.feeling:
            answer = str(FEELINGS[contribution.feeling])
        elif contribution.kind is ContributionKind.HOUSE and contribution.house:
            answer = str(HOUSES[contribution.house])
        elif contribution.kind is ContributionKind.SCALE and contribution.scale_value is not None:
            answer = _("%(value)d out of 10", value=contribution.scale_value)
        else:
            return words
    return f"{answer}: {words}" if words else answer


def entry_for(contribution: Contribution) -> RecordEntry | None:
    """The entry that carries the contribution into the record, if it has been attached."""
    return db.session.scalar(
        select(RecordEntry)
        .where(
            RecordEntry.contribution_id == contribution.id,
            RecordEntry.kind == EntryKind.CONTRIBUTION,
        )
        .order_by(RecordEntry.id)
    )


def attach(
    child: Child,
    contribution: Contribution,
    draft: ConsentDraft,
    author_kind: AuthorKind,
    note: str,
    by: User,
) -> RecordEntry:
    """Put a contribution into the chronology with its consent decision, both or neither."""
    if entry_for(contribution) is not None:
        raise ConsentRefused({"contribution": _("This contribution is already in the record.")})
    problems = {}
    try:
        words = contribution_words(contribution)
    except ConsentRefused as refused:
        problems.update(refused.problems)
        words = ""
    problems.update(check_decision(child, draft))
    if problems:
        raise ConsentRefused(problems)
    decision = record_decision(child, contribution, draft, by)
    entry = entries.store(
        RecordEntry(
            child_id=child.id,
            kind=EntryKind.CONTRIBUTION,
            body=note.strip(),
            # The contribution is time-stamped where it was made, so it is never "late".
            occurred_at=contribution.created_at,
            recorded_at=utcnow(),
            classification=Classification.FACT,
            source=Source.FIRST_HAND,
            contribution_id=contribution.id,
            contribution_words=words,
            contribution_author=author_kind,
            consent_decision_id=decision.id,
        ),
        by,
    )
    audit.record(
        AuditAction.CONTRIBUTION_ATTACHED,
        child_id=child.id,
        target=f"contribution:{contribution.id}",
        details={"sequence": entry.sequence, "decision": decision.id},
    )
    return entry
