"""Reading a child's plan: the page, versions side by side, the PDF; starting; signing off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.core import case_revisions
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.i18n import text_direction
from voice_app.interpreting.models import SourceKind
from voice_app.interpreting.services.translations import confirmed_translations
from voice_app.plans import fragments, pdf
from voice_app.plans.forms import NextReviewForm, ScaleForm, SignOffForm, StartPlanForm
from voice_app.plans.labels import (
    LABELS,
    PARTICIPANT_LABELS,
    REVIEW_KIND_LABELS,
    day_formatter,
    resolved_labels,
)
from voice_app.plans.models import Plan, PlanKind, PlanReview, PlanVersion
from voice_app.plans.services import drafting, reading, versions, voices
from voice_app.plans.services.review_reading import ReviewHeld, page_reviews
from voice_app.plans.services.voices import shareable_words
from voice_app.record.lookup import child_or_404, reader

bp = Blueprint("plans", __name__, url_prefix="/children")

#: Reviews shown in full on the plan page, newest first; the versions page lists them all.
RECENT_REVIEWS = 5


def plan_or_404(child: Child) -> Plan:
    plan = drafting.plan_for_page(child.id)
    if plan is None:
        abort(404)
    return plan


def version_or_404(plan: Plan, number: int) -> PlanVersion:
    for version in plan.versions:
        if version.number == number:
            return version
    abort(404)


def scale_form(held: Sequence[ReviewHeld | PlanReview]) -> ScaleForm:
    """The scale form, offering the plan's reviews, newest first."""
    form = ScaleForm()
    kinds = {kind: str(label) for kind, label in REVIEW_KIND_LABELS.items()}
    form.review_id.choices = [
        (r.id, f"{kinds[r.kind]} · {r.held_on.isoformat()}") for r in reversed(held)
    ]
    return form


def chart_context(plan: Plan, series: list[reading.ScaleSeries]) -> dict[str, Any]:
    """The chart and its table, in the reader's language and direction."""
    rtl = text_direction(str(get_locale() or "en")) == "rtl"
    labels = [
        _("%(name)s (own answers in their space)", name=_("The child"))
        if s.kind == "own"
        else _("%(name)s (%(who)s)", name=s.label, who=PARTICIPANT_LABELS[s.kind])
        for s in series
    ]
    title = _("Safety scales over time (0 to 10)")
    return {"chart_section": fragments.chart_section(series, labels, title, rtl)}


def may_edit() -> bool:
    """Whether the reader may change the plan: the one right the plan's body shows by."""
    return bool(current_user.can(Permission.PLAN_EDIT))


def page_context(plan: Plan, version: PlanVersion) -> dict[str, Any]:
    shareable = shareable_words(plan.child_id, [p.contribution_id for p in version.words])
    shown = reading.shown_version(plan, version, shareable)
    reviews = page_reviews(plan.id, RECENT_REVIEWS)
    return {
        "plan": plan,
        "shareable": shareable,
        "shown": shown,
        "reviews": reviews,
        "due": reading.reviews_due(plan, today(), reviews.held),
        **chart_context(plan, reading.scale_series(plan, shareable)),
        **resolved_labels(),
        "day": day_formatter(),
        "may_edit": may_edit(),
        "actions_table": fragments.actions_table,
        "scale_fields": fragments.scale_fields,
        # Confirmed translations, beside the words this version shows.
        "translated": confirmed_translations(
            SourceKind.CONTRIBUTION,
            {w.contribution.id for c in shown.columns for sec in c.sections for w in sec.words},
        ),
    }


@bp.get("/<int:child_id>/plan")
@require(Permission.PLAN_READ)
def show(child_id: int) -> str:
    child = child_or_404(child_id)
    found = drafting.plan_and_draft_for_page(child.id)
    if found is None:
        reading_context: dict[str, Any] = {"plan": None, **LABELS}
        db.session.commit()
        return render_template(
            "plans/start.html", child=child, form=StartPlanForm(), **reading_context
        )
    plan, version = found
    # The body is kept until the case changes (``fragments.page_body``). What consent and
    # the confidential section allow is decided while the body is made, through the record's
    # single owner: it reads only rows of the case (consent decisions, placements, record
    # entries), so a kept body is as current as its revision. Whether this reader may see
    # the child at all, and may edit, is decided on every request.
    revision = case_revisions.current(db.session, child.id)
    key = (
        "plan page",
        child.id,
        revision,
        str(get_locale()),
        str(get_timezone()),
        may_edit(),
        today(),
    )
    body = fragments.page_body(
        key,
        lambda: draft_body(child, plan, version),
        # A case never written since the column came has no token yet: nothing to key by.
        lambda: revision is not None and case_revisions.current(db.session, child.id) == revision,
    )
    reading.record_read(plan, "plan", version)
    db.session.commit()
    return render_template(
        "plans/show.html", child=child, plan=plan, body=body, **resolved_labels()
    )


def draft_body(child: Child, plan: Plan, version: PlanVersion) -> str:
    """The plan page's body for its draft, with everything it shows read now."""
    context = page_context(plan, version)
    placed = {p.contribution_id for p in version.words}
    waiting = [voices.as_words(c) for c in voices.placeable(child.id, context["shareable"], placed)]
    # Once per person who placed words, not once per placed words.
    placed_by = {
        label: _("placed by %(who)s", who=label)
        for label in {p.placed_by_label for p in version.words}
    }
    return render_template(
        "plans/_show_body.html",
        placed_by=placed_by,
        child=child,
        scale_form=scale_form(context["reviews"].held),
        next_review_form=NextReviewForm(obj=plan),
        is_draft=True,
        waiting=waiting,
        **context,
    )


@bp.post("/<int:child_id>/plan")
@require(Permission.PLAN_EDIT)
def start(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    form = StartPlanForm()
    if form.validate_on_submit():
        assert form.started_on.data is not None
        started_on = form.started_on.data
        done = commit_or_show(
            form,
            lambda: drafting.start_plan(
                child, PlanKind(form.kind.data), started_on, form.next_review_on.data, reader()
            ),
            success=_("The plan is started. Its first draft is ready to fill in."),
            redirect_to=url_for("plans.show", child_id=child.id),
            summary=_("The plan is not started."),
        )
        if done:
            return done
    return render_template("plans/start.html", child=child, form=form, plan=None, **LABELS)


@bp.get("/<int:child_id>/plan/versions")
@require(Permission.PLAN_READ)
def history(child_id: int) -> str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    reading.record_read(plan, "history")
    db.session.commit()
    return render_template(
        "plans/history.html",
        child=child,
        plan=plan,
        form=SignOffForm(),
        shown_reviews=list(reversed(plan.reviews)),
        day=day_formatter(),
        **resolved_labels(),
    )


@bp.get("/<int:child_id>/plan/versions/<int:number>")
@require(Permission.PLAN_READ)
def version(child_id: int, number: int) -> str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    shown_version = version_or_404(plan, number)
    context = page_context(plan, shown_version)
    body = render_template("plans/_show_body.html", child=child, is_draft=False, **context)
    reading.record_read(plan, "version", shown_version)
    db.session.commit()
    shown = Markup(body)  # noqa: S704 - rendered with autoescaping
    return render_template(
        "plans/show.html", child=child, plan=plan, body=shown, **resolved_labels()
    )


@bp.get("/<int:child_id>/plan/compare")
@require(Permission.PLAN_READ)
def compare(child_id: int) -> str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    first = version_or_404(plan, request.args.get("first", 1, type=int))
    second = version_or_404(plan, request.args.get("second", plan.versions[-1].number, type=int))
    shareable = shareable_words(
        plan.child_id, [p.contribution_id for v in (first, second) for p in v.words]
    )
    sections, actions = reading.compare(
        reading.shown_version(plan, first, shareable),
        reading.shown_version(plan, second, shareable),
    )
    reading.record_read(plan, f"compare {first.number} {second.number}")
    db.session.commit()
    return render_template(
        "plans/compare.html",
        child=child,
        plan=plan,
        first=first,
        second=second,
        sections=sections,
        actions=actions,
        **LABELS,
    )


@bp.post("/<int:child_id>/plan/versions/<int:number>/sign-off")
@require(Permission.PLAN_SIGN_OFF)
def sign_off(child_id: int, number: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    form = SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        versions.sign_off(plan, version_or_404(plan, number), reader(), form.note.data)
    except drafting.PlanRefused as refused:
        db.session.rollback()
        flash(" ".join(refused.problems.values()), "error")
    else:
        db.session.commit()
        flash(_("Version %(number)d is signed off.", number=number), "success")
    return redirect(url_for("plans.history", child_id=child.id))


@bp.get("/<int:child_id>/plan/versions/<int:number>/pdf")
@require(Permission.PLAN_READ)
def version_pdf(child_id: int, number: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    shown_version = version_or_404(plan, number)
    context = page_context(plan, shown_version)
    html = render_template(
        "plans/pdf.html", child=child, is_draft=not shown_version.agreed, **context
    )
    document = pdf.render_pdf(html, context["shown"])
    pdf.record_made(plan, shown_version)
    db.session.commit()
    return Response(
        document,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="plan-{child.reference}-v{number}.pdf"'
        },
    )
