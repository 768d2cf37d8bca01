"""Spoken family comments on a report: the family member speaks instead of typing.

The recording is the family member's own contribution, stored and checked by the
contributions area and transcribed by the same Whisper job as their other spoken words
(``family.sharing.contribute``, ``transcription.tasks``). Nothing counts until they have
heard it read back and confirmed the words; only then is the ``ReportComment`` made, with
the confirmed words verbatim, and the recording stays beside it.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions import services as contributions
from voice_app.contributions.models import ContributionKind, SharingChoice
from voice_app.core.queue import after_commit
from voice_app.extensions import db
from voice_app.family import sharing as family_sharing
from voice_app.family.models import FamilyAccount
from voice_app.reports.meeting_models import SpokenComment
from voice_app.reports.models import SECTIONS, Report, ReportComment, ReportSection, Stance
from voice_app.reports.services import answers, distribution
from voice_app.reports.services.drafting import ReportRefused, draft_of
from voice_app.transcription.tasks import transcribe_recording


def record_spoken_comment(
    report: Report,
    account: FamilyAccount,
    section: ReportSection,
    stance: Stance | None,
    recording: bytes | None,
    language: str,
    assisted_by: int | None = None,
) -> SpokenComment:
    """Keep the recording and queue its transcript; the comment waits for confirmation."""
    version = draft_of(report)
    if version is None or not distribution.draft_shared_with(account, report):
        raise ReportRefused({"body": _("This report is final: you can say whether you agree.")})
    if section not in SECTIONS[report.kind]:
        raise ReportRefused({"section": _("This section is not in the report.")})
    own_section = section is ReportSection.FAMILY_VIEWS
    if stance is None and not own_section:
        raise ReportRefused({"stance": _("Please say if you agree, partly agree or disagree.")})
    if not recording:
        raise ReportRefused({"media": _("There is no recording yet.")})
    submission = contributions.Submission(
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        # Said about the report, to the social worker: shared no further by this choice.
        sharing=SharingChoice.MY_WORKER,
        language=language,
        media=recording,
    )
    try:
        contribution, _new = family_sharing.contribute(account, submission, assisted_by)
    except contributions.SubmissionRejected as rejected:
        raise ReportRefused({"media": rejected.message}) from rejected
    row = SpokenComment(
        report_id=report.id,
        version_id=version.id,
        section=section,
        stance=None if own_section else stance,
        family_member_id=account.family_member_id,
        contribution_id=contribution.id,
    )
    db.session.add(row)
    db.session.flush()
    if contribution.transcript is not None:
        after_commit(transcribe_recording, contribution.transcript.id)
    audit.record(
        AuditAction.FAMILY_REPORT_COMMENTED,
        child_id=report.child_id,
        target=f"report:{report.id}",
        details={"section": str(section), "spoken": row.id, "confirmed": False},
    )
    return row


def own_spoken(account: FamilyAccount, report: Report, spoken_id: int) -> SpokenComment | None:
    """One of this family member's spoken comments on this report; None as if absent."""
    row = db.session.get(SpokenComment, spoken_id)
    if row is None or row.report_id != report.id:
        return None
    if row.family_member_id != account.family_member_id:
        return None
    return row


def confirm_spoken_comment(
    report: Report, account: FamilyAccount, row: SpokenComment, text: str
) -> ReportComment:
    """They have heard it read back: their words (corrected where the machine misheard)
    are confirmed on the recording and become their comment, verbatim."""
    if row.comment_id is not None:
        raise ReportRefused({"text": _("These words are already with the social worker.")})
    contribution = family_sharing.own_one(account, row.contribution_id)
    if contribution is None:
        raise ReportRefused({"text": _("The recording is not there any more.")})
    try:
        transcript = contributions.confirm_transcript(contribution, text, by_child=False)
    except contributions.SubmissionRejected as rejected:
        raise ReportRefused({"text": rejected.message}) from rejected
    comment = answers.comment(
        report,
        account,
        row.section,
        row.stance,
        transcript.confirmed_text,
        contribution.language or "",
    )
    row.comment_id = comment.id
    db.session.flush()
    return comment


def spoken_of_contributions(contribution_ids: list[int]) -> list[SpokenComment]:
    """The spoken comments these recordings were made for (none for other recordings)."""
    if not contribution_ids:
        return []
    return list(
        db.session.scalars(
            select(SpokenComment).where(SpokenComment.contribution_id.in_(contribution_ids))
        )
    )


def recordings_of(comment_ids: list[int]) -> dict[int, int]:
    """Comment id -> the contribution holding its recording, for the comments spoken."""
    if not comment_ids:
        return {}
    stmt = select(SpokenComment.comment_id, SpokenComment.contribution_id).where(
        SpokenComment.comment_id.in_(comment_ids)
    )
    return {comment: contribution for comment, contribution in db.session.execute(stmt) if comment}
