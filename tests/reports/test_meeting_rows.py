"""Rows around the meeting are append-only; a spoken comment's link is filled in once."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.reports.helpers import report_scene
from voice_app.extensions import db
from voice_app.reports.meeting_models import SpokenComment
from voice_app.reports.models import ReportComment, ReportHistoryChanged, ReportSection
from voice_app.reports.services import distribution


def test_attendance_is_never_changed_only_recorded_again(app: Flask) -> None:
    scene = report_scene()
    member = scene.account.family_member
    with app.test_request_context():
        row = distribution.record_attendance(
            scene.report,
            scene.practitioner,
            family_member_id=member.id,
            name=None,
            role=None,
            attended=False,
        )
        db.session.commit()
        row.attended = True
        with pytest.raises(ReportHistoryChanged):
            db.session.flush()
        db.session.rollback()
        distribution.record_attendance(
            scene.report,
            scene.practitioner,
            family_member_id=member.id,
            name=None,
            role=None,
            attended=True,
        )
        db.session.commit()
        current = distribution.attendance(scene.report)
    assert [(r.name, r.attended) for r in current] == [(member.name, True)]


def test_a_spoken_comment_keeps_what_was_said_about(app: Flask) -> None:
    from tests.record.helpers import add_contribution
    from voice_app.contributions.models import AuthorKind

    scene = report_scene()
    voice = add_contribution(scene.child, "words", author_kind=AuthorKind.FAMILY_MEMBER)
    version = scene.report.versions[-1]
    row = SpokenComment(
        report_id=scene.report.id,
        version_id=version.id,
        section=ReportSection.WORRIED,
        family_member_id=scene.account.family_member_id,
        contribution_id=voice.id,
    )
    db.session.add(row)
    db.session.commit()
    row.section = ReportSection.FAMILY_VIEWS
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()
    db.session.delete(row)
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()

    # The one value filled in later: the comment it became, once, and never again.
    comments = [
        ReportComment(
            version_id=version.id,
            section=ReportSection.WORRIED,
            family_member_id=scene.account.family_member_id,
            author_label="Claire (mother)",
            body=body,
        )
        for body in ("words", "other words")
    ]
    db.session.add_all(comments)
    db.session.flush()
    row.comment_id = comments[0].id
    db.session.commit()
    db.session.refresh(row)
    assert row.comment_id == comments[0].id
    row.comment_id = comments[1].id
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()
    row.comment_id = None
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()
