"""The family's answers to a shared draft and the practitioner's answer to each comment.

What a family member writes is stored verbatim, attributed, and never changed: there is
no service that edits a ``ReportComment`` or ``ReportFinalView`` (the model guard refuses
it too).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.reports.models import (
    SECTIONS,
    AnswerOutcome,
    Report,
    ReportAnswer,
    ReportComment,
    ReportFinalView,
    ReportSection,
    ReportText,
    ReportVersion,
    Stance,
)
from voice_app.reports.services.drafting import ReportRefused, changed, clean, draft_of, latest


def author_label(account: FamilyAccount) -> str:
    member = account.family_member
    return f"{member.name} ({member.relationship_to_child.value.replace('_', ' ')})"


def comments_on(version: ReportVersion) -> list[ReportComment]:
    stmt = select(ReportComment).where(ReportComment.version_id == version.id)
    return list(db.session.scalars(stmt.order_by(ReportComment.id)))


def answers_to(comment_ids: list[int]) -> dict[int, list[ReportAnswer]]:
    found: dict[int, list[ReportAnswer]] = {i: [] for i in comment_ids}
    stmt = select(ReportAnswer).where(ReportAnswer.comment_id.in_(comment_ids))
    for answer in db.session.scalars(stmt.order_by(ReportAnswer.id)):
        found[answer.comment_id].append(answer)
    return found


def comment(
    report: Report,
    account: FamilyAccount,
    section: ReportSection,
    stance: Stance | None,
    body: str | None,
    language: str,
) -> ReportComment:
    """A family member's view of a section, or their words for the family's section."""
    version = draft_of(report)
    if version is None:
        raise ReportRefused({"body": _("This report is final: you can say whether you agree.")})
    if section not in SECTIONS[report.kind]:
        raise ReportRefused({"section": _("This section is not in the report.")})
    own_section = section is ReportSection.FAMILY_VIEWS
    if clean(body) is None or (stance is None and not own_section):
        raise ReportRefused({"body": _("Please say what you think, in your own words.")})
    row = ReportComment(
        version_id=version.id,
        section=section,
        family_member_id=account.family_member_id,
        author_label=author_label(account),
        stance=None if own_section else stance,
        body=body.strip() if body else "",
        language=language,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        AuditAction.FAMILY_REPORT_COMMENTED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"section": str(section), "stance": str(stance) if stance else None},
    )
    return row


def answer(
    report: Report, comment_row: ReportComment, outcome: AnswerOutcome, body: str | None, by: User
) -> ReportAnswer:
    """Changed (``body`` is the section's new text) or kept (``body`` says why)."""
    version = draft_of(report)
    if version is None or comment_row.version_id != version.id:
        raise ReportRefused({"body": _("This comment is on a version that is signed off.")})
    if clean(body) is None:
        raise ReportRefused({"body": _("Please write the new text, or why it stays.")})
    text = clean(body) or ""
    row = ReportAnswer(
        comment_id=comment_row.id,
        outcome=outcome,
        body=text,
        answered_by_id=by.id,
        answered_by_label=by.display,
    )
    db.session.add(row)
    if outcome is AnswerOutcome.CHANGED and comment_row.section is not ReportSection.FAMILY_VIEWS:
        db.session.add(
            ReportText(
                version_id=version.id,
                section=comment_row.section,
                body=text,
                written_by_id=by.id,
                answers_comment_id=comment_row.id,
            )
        )
    db.session.flush()
    db.session.refresh(version)
    audit.record(
        AuditAction.REPORT_COMMENT_ANSWERED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"comment": comment_row.id, "outcome": str(outcome)},
    )
    return row


def final_views(version: ReportVersion) -> list[ReportFinalView]:
    stmt = select(ReportFinalView).where(ReportFinalView.version_id == version.id)
    return list(db.session.scalars(stmt.order_by(ReportFinalView.id)))


def record_final_view(
    report: Report, account: FamilyAccount, agrees: bool, body: str | None
) -> ReportFinalView:
    """Whether the family member agrees with the signed-off report; a disagreement needs
    their words, which the report prints as they are."""
    version = latest(report)
    if version.signed_off_at is None:
        raise ReportRefused({"body": _("The report is not final yet.")})
    if not agrees and clean(body) is None:
        raise ReportRefused({"body": _("Please say what you disagree with, in your own words.")})
    row = ReportFinalView(
        version_id=version.id,
        family_member_id=account.family_member_id,
        author_label=author_label(account),
        agrees=agrees,
        body=body.strip() if body and body.strip() else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        AuditAction.FAMILY_REPORT_FINAL_VIEW,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"agrees": agrees, "version": version.number},
    )
    return row


__all__ = ["changed"]
