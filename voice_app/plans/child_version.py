"""The child's version of their plan: only what the practitioner marked for them, in the
short sentences written for them, with pictures, and their own 0-10 answers over time.

Nothing from the confidential section ever appears, and words whose consent is withdrawn
are left out, because every word goes through ``services.voices.shareable_words``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.extensions import db
from voice_app.plans.models import COLUMN_OF, Column, Plan, PlanVersion
from voice_app.plans.services.drafting import agreed_versions, plan_of
from voice_app.plans.services.reading import ScalePoint, ScaleSeries, scale_series
from voice_app.plans.services.voices import shareable_words


@dataclass(frozen=True)
class ChildLine:
    text: str
    #: The child's own drawing, when the line is one they drew.
    drawing_id: int | None = None


@dataclass
class ChildPlan:
    plan: Plan
    version: PlanVersion
    columns: dict[Column, list[ChildLine]] = field(default_factory=dict)
    own_answers: list[ScalePoint] = field(default_factory=list)
    #: Other people's scales the practitioner chose to show the child.
    shown_scales: list[ScaleSeries] = field(default_factory=list)


def child_plan(child: Child) -> ChildPlan | None:
    """The newest agreed version, as the child may see it; None before one is agreed."""
    plan = plan_of(child.id)
    agreed = agreed_versions(plan) if plan else []
    if plan is None or not agreed:
        return None
    version = agreed[-1]
    shareable = shareable_words(child.id)
    shown = ChildPlan(plan, version, {column: [] for column in Column})
    for item in version.items:
        if item.show_to_child and item.child_text:
            shown.columns[COLUMN_OF[item.section]].append(ChildLine(item.child_text))
    for action in version.actions:
        if action.show_to_child and action.child_text:
            shown.columns[Column.NEEDS_TO_HAPPEN].append(ChildLine(action.child_text))
    for placed in version.words:
        if not (placed.show_to_child and placed.child_text):
            continue
        if placed.contribution_id not in shareable.allowed:
            continue
        contribution = db.session.get(Contribution, placed.contribution_id)
        drawing = (
            contribution.id
            if contribution and contribution.kind is ContributionKind.DRAWING
            else None
        )
        shown.columns[COLUMN_OF[placed.section]].append(ChildLine(placed.child_text, drawing))
    for series in scale_series(plan, shareable, child_view=True):
        if series.kind == "own":
            shown.own_answers = series.points
        else:
            shown.shown_scales.append(series)
    audit.record(
        AuditAction.CHILD_PLAN_VIEWED,
        child_id=child.id,
        target=f"plan:{plan.id}",
        details={"version": version.number},
    )
    return shown


def answers_picture(points: list[ScalePoint], title: str, rtl: bool) -> Markup:
    """The child's own answers as bars, 0 to 10, oldest first (from the right in RTL)."""
    bar, gap, height = 36, 14, 220
    width = max(1, len(points)) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 30}" '
        f'class="child-scale" role="img" aria-labelledby="child-scale-title">',
        f'<title id="child-scale-title">{escape(title)}</title>',
    ]
    for index, point in enumerate(points):
        slot = len(points) - 1 - index if rtl else index
        x = gap + slot * (bar + gap)
        tall = max(4, point.value / 10 * height)
        parts.append(
            f'<rect x="{x}" y="{height - tall:.1f}" width="{bar}" height="{tall:.1f}" '
            f'rx="6" fill="#2563eb"/>'
            f'<text x="{x + bar / 2}" y="{height + 22}" text-anchor="middle" font-size="18" '
            f'fill="#111827">{point.value}</text>'
        )
    parts.append("</svg>")
    # Only numbers and the escaped title go in.
    return Markup("".join(parts))  # noqa: S704
