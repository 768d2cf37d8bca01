"""Drafting a report: sections per kind, append-only texts, versions as copies."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.record.helpers import add_entry
from tests.reports.helpers import report_scene
from voice_app.extensions import db
from voice_app.reports.models import (
    SECTIONS,
    WRITTEN,
    PointKind,
    ReportHistoryChanged,
    ReportKind,
    ReportSection,
    ReportText,
)
from voice_app.reports.services import drafting, signing


def test_every_kind_has_the_common_sections_in_order() -> None:
    for kind in ReportKind:
        sections = SECTIONS[kind]
        common = [s for s in sections if s in WRITTEN or s.name.endswith("VIEWS")]
        assert ReportSection.CHILD_VIEWS in sections and ReportSection.FAMILY_VIEWS in sections
        assert sections.index(ReportSection.WORRIED) < sections.index(ReportSection.ANALYSIS)
        assert sections[-1] is ReportSection.RECOMMENDATIONS
        assert common


def test_a_new_text_is_a_new_row_and_the_old_one_stays(app: Flask) -> None:
    scene = report_scene()
    drafting.write_section(scene.report, ReportSection.WORRIED, "First worry", scene.practitioner)
    drafting.write_section(scene.report, ReportSection.WORRIED, "Second", scene.practitioner)
    db.session.commit()
    version = drafting.draft_of(scene.report)
    assert version is not None
    assert drafting.current_texts(version)[ReportSection.WORRIED].body == "Second"
    bodies = db.session.scalars(select(ReportText.body).order_by(ReportText.id)).all()
    assert bodies[-2:] == ["First worry", "Second"]
    first = db.session.scalars(select(ReportText).order_by(ReportText.id)).all()[-2]
    first.body = "rewritten"
    with pytest.raises(ReportHistoryChanged):
        db.session.flush()
    db.session.rollback()


def test_analysis_names_entries_by_the_writers_numbers_and_refuses_unknown_ones(app: Flask) -> None:
    scene = report_scene()
    add_entry(scene.child, scene.practitioner, "Seen at school")
    point = drafting.add_point(
        scene.report, PointKind.FACT, "Attends every day", "1", scene.practitioner
    )
    assert point.entry_ids != ""
    with app.test_request_context(), pytest.raises(drafting.ReportRefused):
        drafting.add_point(scene.report, PointKind.OPINION, "x", "99", scene.practitioner)
    db.session.rollback()


def test_a_decision_needs_who_and_why(app: Flask) -> None:
    scene = report_scene()
    with app.test_request_context(), pytest.raises(drafting.ReportRefused) as refused:
        drafting.add_decision(scene.report, drafting.DecisionDraft("Plan continues", "", ""))
    assert set(refused.value.problems) == {"decided_by", "reasons"}
    db.session.rollback()


def test_signing_off_freezes_the_version_and_a_new_version_is_a_copy(app: Flask) -> None:
    scene = report_scene()
    drafting.write_section(scene.report, ReportSection.REASON, "Why we meet", scene.practitioner)
    drafting.add_decision(
        scene.report, drafting.DecisionDraft("Stay on plan", "Conference", "Safe")
    )
    signed = signing.sign_off(scene.report, scene.manager)
    db.session.commit()
    assert signed.record_entry_id is not None
    with app.test_request_context(), pytest.raises(drafting.ReportRefused):
        drafting.write_section(scene.report, ReportSection.REASON, "Later", scene.practitioner)
    second = drafting.new_version(scene.report)
    db.session.commit()
    assert second.number == 2
    assert drafting.current_texts(second)[ReportSection.REASON].body == "Why we meet"
    assert [d.body for d in second.decisions] == ["Stay on plan"]
    assert drafting.current_texts(signed)[ReportSection.REASON].body == "Why we meet"
