"""The child's section comes only from the disclosure owner; sharing keeps its deadline."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from tests.record.helpers import place
from tests.reports.helpers import MEETING, child_words, marker, report_scene
from voice_app.extensions import db
from voice_app.reports.models import (
    AnswerOutcome,
    ReportHistoryChanged,
    ReportKind,
    ReportSection,
    Stance,
)
from voice_app.reports.services import answers, drafting, sharing, voices
from voice_app.reports.services.voices import MEETING as FOR_MEETING
from voice_app.reports.services.voices import Readers


def test_only_consented_unconfidential_words_can_be_chosen_and_the_family_sees_less(
    app: Flask,
) -> None:
    scene = report_scene()
    by = scene.practitioner
    both = child_words(scene.child, by, marker("both"))
    meeting_only = child_words(scene.child, by, marker("meeting"), family=False)
    secret = child_words(scene.child, by, marker("secret"))
    place(scene.child, by, contribution=secret)
    never = child_words(scene.child, by, marker("never"), meeting=False, family=False)
    choosable = {c.id for c in voices.choosable(scene.report)}
    assert choosable == {both.id, meeting_only.id}
    for c in (both, meeting_only):
        voices.choose_words(scene.report, c.id, None)
    with app.test_request_context(), pytest.raises(drafting.ReportRefused):
        voices.choose_words(scene.report, never.id, None)
    db.session.commit()
    version = drafting.draft_of(scene.report)
    assert version is not None
    meeting = [c.words.text for c in voices.shown_words(version, scene.child.id, FOR_MEETING)]
    assert meeting == [both.text, meeting_only.text]
    reader = Readers(family=True, family_member_id=scene.account.family_member_id)
    family = [c.words.text for c in voices.shown_words(version, scene.child.id, reader)]
    assert family == [both.text]


def test_the_deadline_counts_working_days_back_per_kind_in_the_childs_nation(app: Flask) -> None:
    initial = report_scene(ReportKind.CP_INITIAL_CONFERENCE)
    review = report_scene(ReportKind.CP_REVIEW_CONFERENCE)
    # Meeting Thursday 10 December 2026: 3 working days before leaves Friday 4th as the
    # last day whose deadline falls before the meeting; 5 leaves Wednesday 2nd.
    assert sharing.share_by(initial.report, initial.child) == date(2026, 12, 4)
    assert sharing.share_by(review.report, review.child) == date(2026, 12, 2)
    status = sharing.share_status(initial.report, initial.child, date(2026, 12, 7))
    assert status.overdue and {a.id for a in status.waiting} >= {initial.account.id}
    assert MEETING.isoformat() == "2026-12-10"


def test_no_word_from_the_child_needs_a_reason_before_sharing(app: Flask) -> None:
    scene = report_scene()
    with app.test_request_context():
        with pytest.raises(drafting.ReportRefused):
            sharing.share(scene.report, scene.child, [scene.account.id], scene.practitioner)
        db.session.rollback()
        drafting.record_no_words_reason(scene.report, "Maya chose not to take part this time.")
        made = sharing.share(scene.report, scene.child, [scene.account.id], scene.practitioner)
    db.session.commit()
    assert [s.family_account_id for s in made] == [scene.account.id]
    assert sharing.reports_shared_with(scene.account) == [scene.report]
    assert sharing.reports_shared_with(scene.other_account) == []


def test_the_family_comment_stays_verbatim_and_a_change_answers_it(app: Flask) -> None:
    scene = report_scene()
    words = "  It was  one time, not every week.  "
    with app.test_request_context():
        row = answers.comment(
            scene.report, scene.account, ReportSection.WORRIED, Stance.DISAGREE, words, "pl"
        )
        answers.answer(
            scene.report, row, AnswerOutcome.CHANGED, "Once, in October.", scene.practitioner
        )
    db.session.commit()
    assert row.body == words.strip() and row.author_label.endswith("(mother)")
    version = drafting.draft_of(scene.report)
    assert version is not None
    text = drafting.current_texts(version)[ReportSection.WORRIED]
    assert text.body == "Once, in October." and text.answers_comment_id == row.id
    row.body = "softened"
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()
