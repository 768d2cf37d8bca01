"""The demo's first conference, already held: Maya's parents live apart, Claire spoke her
comment instead of typing it, and the signed-off report went to Maya's dad, who was
invited but did not come.

- Mark Thompson, Maya's father, has his own family login; Maya drew a picture for her mum
  only ("Mum too" in her space), so Claire sees it and Mark does not.
- The initial child protection conference report, twelve weeks ago: its draft shared with
  both parents, Claire's spoken comment (a clip spoken by espeak-ng, transcribed by the
  real Whisper path, read back and confirmed), Sam's answer, a manager's sign-off, who
  attended, and the final report given to Mark in his family space.

It is made before the review report (``reports.demo``), so that report stays the newest.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

from PIL import Image, ImageDraw

from voice_app.accounts.models import User
from voice_app.children.models import Child, FamilyMember
from voice_app.children.services import today
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.extensions import db
from voice_app.family import services as family
from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE
from voice_app.family.models import FamilyAccount
from voice_app.read_aloud import speech
from voice_app.record.consent.services import ConsentDraft, attach
from voice_app.record.models import ConsentAnswer, ConsentFrom
from voice_app.reports.meeting_models import SpokenComment
from voice_app.reports.models import AnswerOutcome, Report, ReportKind, ReportSection, Stance
from voice_app.reports.services import answers, distribution, drafting, sharing, signing, spoken
from voice_app.reports.services import voices as report_voices
from voice_app.transcription.tasks import transcribe_recording

log = logging.getLogger(__name__)

#: Published in the README beside Claire's; demo databases only.
DEMO_FATHER_SIGN_IN = "mark.thompson"

#: What Claire says about the worries, in her own voice (espeak-ng speaks it for the demo).
CLAIRE_SAYS = "The shouting is not every night. It is better since the summer."

SECTIONS = {
    ReportSection.REASON: "Maya's teacher and her mother asked for help after shouting at home.",
    ReportSection.WORRIED: "There is shouting at home every night, and Maya hears it.",
    ReportSection.WORKING_WELL: "Maya goes to school every day and loves drawing.",
    ReportSection.NEEDS_TO_HAPPEN: "A child protection plan, with a weekly visit from Sam.",
}


def _drawing() -> bytes:
    """A small picture, as a child's drawing arrives from the tablet (PNG)."""
    image = Image.new("RGB", (480, 360), "white")
    pen = ImageDraw.Draw(image)
    pen.ellipse((90, 80, 170, 160), outline=(200, 60, 60), width=6)  # Mum
    pen.line((130, 160, 130, 280), fill=(200, 60, 60), width=6)
    pen.ellipse((290, 140, 350, 200), outline=(40, 90, 200), width=6)  # Maya
    pen.line((320, 200, 320, 290), fill=(40, 90, 200), width=6)
    pen.ellipse((190, 260, 270, 300), outline=(230, 170, 40), width=6)  # a pancake
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _mark(mark: FamilyMember, sam: User) -> FamilyAccount:
    """Mark's own login, as if he had opened Sam's invitation (the same demo passphrase)."""
    made = family.invite(mark, None, sam, timedelta(days=14))
    family.set_passphrase(made.invitation, DEMO_FATHER_SIGN_IN, DEMO_FAMILY_PASSPHRASE)
    return made.invitation.account


def _drawing_for_mum(maya: Child, claire: FamilyMember, sam: User) -> None:
    """Maya, on Sam's tablet, chose "Mum too": her parents live apart."""
    drawing, _created = add_contribution(
        maya,
        Submission(
            "demo-maya-pancakes",
            ContributionKind.DRAWING,
            SharingChoice.MY_FAMILY_TOO,
            shared_with_member_id=claire.id,
            language="en",
            text="Me and Mum making pancakes on Saturday",
            media=_drawing(),
        ),
        Author(AuthorKind.CHILD, with_practitioner_id=sam.id),
    )
    attach(
        maya,
        drawing,
        ConsentDraft(
            consent_from=ConsentFrom.CHILD,
            information="Maya's drawing of making pancakes with her mum.",
            answer=ConsentAnswer.GIVEN,
            decided_on=today(),
            share_with_family=True,
            shared_with_member_id=claire.id,
            reasons="Maya wants her mum to see it. Her parents live apart; she chose her mum.",
        ),
        AuthorKind.CHILD,
        "Maya drew this on my tablet during a home visit.",
        sam,
    )


def _spoken_comment(report: Report, claire: FamilyAccount, sam: User) -> None:
    """Claire speaks her view of the worries; Whisper drafts it; she confirms it read back."""
    try:
        clip = speech.render("en", CLAIRE_SAYS, speech.default_format())
    except (speech.SpeechUnavailable, OSError) as missing:
        log.warning("demo: no spoken comment (%s)", missing)
        return
    row = spoken.record_spoken_comment(
        report, claire, ReportSection.WORRIED, Stance.PARTLY_AGREE, clip, "en"
    )
    row_id = row.id
    recording = db.session.get(Contribution, row.contribution_id)
    assert recording is not None and recording.transcript is not None
    transcript_id = recording.transcript.id
    # The commit sends the queued job (run at once where the queue is immediate); running
    # it here as well makes the draft now, before `make run` starts the worker. Whichever
    # comes second finds the draft made and does nothing.
    db.session.commit()
    try:
        # The Huey task's own function, run here (``call_local``), not queued again.
        transcribe_recording.call_local(transcript_id)  # type: ignore[attr-defined]
    except Exception:  # no model: the comment waits for Claire, as it would for anyone
        log.warning("demo: the spoken comment was not transcribed", exc_info=True)
        return
    confirming = db.session.get(SpokenComment, row_id)
    drafted = db.session.get(Transcript, transcript_id)
    if confirming is None or drafted is None or drafted.status is not TranscriptStatus.DRAFT:
        return  # a worker has it still: Claire confirms it herself in her space
    # Claire heard the machine's words read back and put right anything it misheard.
    comment = spoken.confirm_spoken_comment(report, claire, confirming, CLAIRE_SAYS)
    answers.answer(
        report,
        comment,
        AnswerOutcome.CHANGED,
        "There is shouting at home most evenings; Claire says it has been less since the "
        "summer. Maya hears it.",
        sam,
    )


def seed_first_conference(
    maya: Child,
    claire: FamilyMember,
    claire_account: FamilyAccount,
    mark: FamilyMember,
    sam: User,
    manager: User,
) -> Report:
    """Everything above, in the order it happened."""
    mark_account = _mark(mark, sam)
    _drawing_for_mum(maya, claire, sam)
    report = drafting.start_report(
        maya, ReportKind.CP_INITIAL_CONFERENCE, today() - timedelta(weeks=12), sam
    )
    for section, text in SECTIONS.items():
        drafting.write_section(report, section, text, sam)
    for contribution in report_voices.choosable(report)[:1]:
        report_voices.choose_words(report, contribution.id, "What Maya told Sam")
    if not report_voices.has_child_words(drafting.latest(report), maya.id):
        drafting.record_no_words_reason(report, "Maya's words are waiting for her agreement.")
    sharing.share(report, maya, [claire_account.id, mark_account.id], sam)
    _spoken_comment(report, claire_account, sam)
    signing.sign_off(report, manager)
    for member, attended in ((claire, True), (mark, False)):
        distribution.record_attendance(
            report, sam, family_member_id=member.id, name=None, role=None, attended=attended
        )
    distribution.record_attendance(
        report,
        sam,
        family_member_id=None,
        name="Mrs Patel",
        role="class teacher, Hill Primary",
        attended=True,
    )
    (absent,) = distribution.absent(report)
    # Written as the record keeps it (the words of the person giving it).
    distribution.give(report, absent.id, "In his family space, the day after the conference", sam)
    db.session.flush()
    return report
