"""The demo's report: a draft for Maya's review conference, shared with Claire, with one
comment of hers and Sam's answer."""

from __future__ import annotations

from datetime import timedelta

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount
from voice_app.reports.models import (
    AnswerOutcome,
    PointKind,
    Report,
    ReportKind,
    ReportSection,
    Stance,
)
from voice_app.reports.services import answers, drafting, sharing, voices

SECTIONS = {
    ReportSection.REASON: "Review of Maya's child protection plan, three months on.",
    ReportSection.PROGRESS: "Maya goes to school every day. Her grandad walks her there.",
    ReportSection.WORRIED: "There is shouting at home most evenings, and Maya hears it.",
    ReportSection.WORKING_WELL: "Grandad's school walks; Maya's teacher checks in each morning.",
    ReportSection.NEEDS_TO_HAPPEN: "Claire and Maya's dad to go to the parenting group.",
}


def seed_report(maya: Child, sam: User, claire: FamilyAccount) -> Report:
    report = drafting.start_report(
        maya, ReportKind.CP_REVIEW_CONFERENCE, today() + timedelta(days=21), sam
    )
    for section, text in SECTIONS.items():
        drafting.write_section(report, section, text, sam)
    drafting.add_point(
        report,
        PointKind.OPINION,
        "Things are calmer in the mornings than in the evenings.",
        "",
        sam,
    )
    drafting.add_decision(
        report,
        drafting.DecisionDraft(
            "The plan continues for three more months.",
            "Sam Okafor, social worker (recommendation to the conference)",
            "The evenings are not yet safe enough for Maya.",
        ),
    )
    for contribution in voices.choosable(report)[:3]:
        voices.choose_words(report, contribution.id, "Maya's drawing of home")
    if not voices.has_child_words(drafting.latest(report), maya.id):
        drafting.record_no_words_reason(report, "Maya's words are waiting for her agreement.")
    sharing.share(report, maya, [claire.id], sam)
    comment = answers.comment(
        report,
        claire,
        ReportSection.WORRIED,
        Stance.PARTLY_AGREE,
        "It is not most evenings. It was bad in October; since then it is once or twice a week.",
        "en",
    )
    answers.answer(
        report,
        comment,
        AnswerOutcome.CHANGED,
        "Claire says the shouting was worst in October and is now once or twice a week; "
        "Maya still hears it.",
        sam,
    )
    db.session.flush()
    return report
