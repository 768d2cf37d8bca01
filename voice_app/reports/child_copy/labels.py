"""Headings of the child's copy, in words for a child, and the pictures beside them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.reports.models import ReportSection

#: i18n: headings in a report written for a child (about 4 to 17 years old): short, plain.
CHILD_HEADINGS = {
    ReportSection.REASON: _l("Why there is a meeting"),
    ReportSection.PROGRESS: _l("How things have gone"),
    ReportSection.CARE_PLAN: _l("Where you live and who looks after you"),
    ReportSection.DEVELOPMENT: _l("How you are growing and learning"),
    ReportSection.PARENTING: _l("How grown-ups look after you"),
    ReportSection.FAMILY_ENVIRONMENT: _l("Your home and family"),
    ReportSection.WORRIED: _l("What grown-ups are worried about"),
    ReportSection.WORKING_WELL: _l("What is going well"),
    ReportSection.NEEDS_TO_HAPPEN: _l("What will happen next"),
    ReportSection.CHILD_VIEWS: _l("What you told us"),
    ReportSection.FAMILY_VIEWS: _l("What your family told us"),
    ReportSection.ANALYSIS: _l("What your worker thinks"),
    ReportSection.RECOMMENDATIONS: _l("What was decided"),
}

#: The child's-space pictures (static/img/child_space/<name>.svg) beside each heading.
CHILD_PICTURES = {
    ReportSection.WORRIED: "house-worries",
    ReportSection.WORKING_WELL: "house-good_things",
    ReportSection.NEEDS_TO_HAPPEN: "house-dreams",
    ReportSection.CHILD_VIEWS: "words",
    ReportSection.FAMILY_VIEWS: "share-family",
    ReportSection.RECOMMENDATIONS: "share-meeting",
}
DEFAULT_PICTURE = "share-meeting"
