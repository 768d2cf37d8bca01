"""What report kinds, sections, stances and answers are called on screen and in the PDF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from voice_app.reports.models import AnswerOutcome, PointKind, ReportKind, ReportSection, Stance

KIND_LABELS: dict[str, Mapping[Any, Any]] = {
    ReportKind.CP_INITIAL_CONFERENCE: _l("Report for an initial child protection conference"),
    ReportKind.CP_REVIEW_CONFERENCE: _l("Report for a child protection review conference"),
    ReportKind.CHILD_IN_NEED_REVIEW: _l("Child in need review report"),
    ReportKind.LOOKED_AFTER_REVIEW: _l("Looked-after review report"),
    ReportKind.ASSESSMENT: _l("Assessment report"),
}
SECTION_LABELS: dict[str, Mapping[Any, Any]] = {
    ReportSection.REASON: _l("Why this meeting, and what it is for"),
    ReportSection.WORRIED: _l("What are we worried about?"),
    ReportSection.WORKING_WELL: _l("What is working well?"),
    ReportSection.NEEDS_TO_HAPPEN: _l("What needs to happen?"),
    ReportSection.CHILD_VIEWS: _l("The child's views, in their own words"),
    ReportSection.FAMILY_VIEWS: _l("The family's views"),
    ReportSection.ANALYSIS: _l("The practitioner's analysis"),
    ReportSection.RECOMMENDATIONS: _l("Recommendations and decisions"),
    ReportSection.PROGRESS: _l("Progress since the last meeting"),
    ReportSection.CARE_PLAN: _l("The care plan and where the child lives"),
    ReportSection.DEVELOPMENT: _l("The child's developmental needs"),
    ReportSection.PARENTING: _l("Parenting capacity"),
    ReportSection.FAMILY_ENVIRONMENT: _l("Family and environmental factors"),
}
POINT_LABELS: dict[str, Mapping[Any, Any]] = {
    PointKind.FACT: _l("Fact"),
    PointKind.OPINION: _l("Opinion"),
    PointKind.JUDGEMENT: _l("Professional judgement"),
}
STANCE_LABELS: dict[str, Mapping[Any, Any]] = {
    Stance.AGREE: _l("I agree"),
    Stance.PARTLY_AGREE: _l("I partly agree"),
    Stance.DISAGREE: _l("I disagree"),
}
OUTCOME_LABELS: dict[str, Mapping[Any, Any]] = {
    AnswerOutcome.CHANGED: _l("Changed"),
    AnswerOutcome.KEPT: _l("Kept as it was"),
}

LABELS: dict[str, Any] = {
    "kind_labels": KIND_LABELS,
    "section_labels": SECTION_LABELS,
    "point_labels": POINT_LABELS,
    "stance_labels": STANCE_LABELS,
    "outcome_labels": OUTCOME_LABELS,
}
