"""A plan version as a PDF, with the child's drawings as pictures and their captions beside.

It reuses the reports' renderer (``voice_app.reports.pdf``): the document fetches nothing
but the drawings this version shows, which ``shown_version`` has already asked
``record.disclosure`` about; the renderer turns Pillow's ``LOAD_TRUNCATED_IMAGES`` back
off after WeasyPrint sets it, so a plan's PDF cannot weaken the drawing checks either.
"""

from __future__ import annotations

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.plans.models import Plan, PlanVersion
from voice_app.plans.services.reading import ShownVersion
from voice_app.reports import pdf as report_pdf


def render_pdf(html: str, shown: ShownVersion) -> bytes:
    """The PDF of a plan version's HTML, with the pictures of the drawings it shows."""
    drawings = (
        words.contribution
        for column in shown.columns
        for section in column.sections
        for words in section.words
        if words.is_drawing
    )
    return report_pdf.render_pdf(html, report_pdf.drawing_pictures(drawings))


def record_made(plan: Plan, version: PlanVersion) -> None:
    audit.record(
        AuditAction.PLAN_PDF_MADE,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"version": version.number},
    )
