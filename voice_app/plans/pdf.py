"""A plan version as a PDF, rendered from HTML by WeasyPrint through the record's renderer.

``voice_app.subject_access.export.render_pdf`` fetches nothing from outside the document and turns
Pillow's ``LOAD_TRUNCATED_IMAGES`` back off after WeasyPrint sets it, so a plan's PDF
cannot weaken the drawing checks either. Drawings appear by their captions: the PDF
fetches no media.
"""

from __future__ import annotations

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.plans.models import Plan, PlanVersion
from voice_app.subject_access.export import render_pdf as _render_pdf


def render_pdf(html: str) -> bytes:
    """The PDF of a plan page's HTML."""
    return _render_pdf(html)


def record_made(plan: Plan, version: PlanVersion) -> None:
    audit.record(
        AuditAction.PLAN_PDF_MADE,
        child_id=plan.child_id,
        target=f"plan:{plan.id}",
        details={"version": version.number},
    )
