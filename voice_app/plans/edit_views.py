"""Changing a plan's draft: its lines, actions, the child's words, reviews and scales."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.contributions import services as contributions
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.plans.forms import (
    ActionForm,
    ItemForm,
    PlaceWordsForm,
)
from voice_app.plans.labels import LABELS
from voice_app.plans.models import (
    ActionStatus,
    Outcome,
    OwnerKind,
    Plan,
    PlanAction,
    PlanItem,
    Section,
    Voice,
)
from voice_app.plans.services import drafting, reading, voices
from voice_app.plans.views import plan_or_404
from voice_app.record.lookup import child_or_404, reader

bp = Blueprint("plan_editing", __name__, url_prefix="/children")


class _HasId(Protocol):
    id: int


R = TypeVar("R", bound=_HasId)


def _not_saved() -> str:
    return _("The plan is not changed: please see the problems below.")


def _back(child_id: int, anchor: str | None = None) -> Response:
    return redirect(_at(child_id, anchor))


def _at(child_id: int, anchor: str | None = None) -> str:
    return url_for("plans.show", child_id=child_id, _anchor=anchor)


def _one_of(rows: Sequence[R], row_id: int | None) -> R:
    for row in rows:
        if row.id == row_id:
            return row
    abort(404)


def _read(plan: Plan, what: str, row_id: int | None) -> None:
    """A form that shows plan content or the child's words is a read: audit it, and keep it."""
    reading.record_read(plan, f"{what} form {row_id or 'new'}")
    db.session.commit()


@bp.route("/<int:child_id>/plan/items/new", methods=["GET", "POST"])
@bp.route("/<int:child_id>/plan/items/<int:item_id>", methods=["GET", "POST"])
@require(Permission.PLAN_EDIT)
def item(child_id: int, item_id: int | None = None) -> Response | str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    existing: PlanItem | None = _one_of(drafting.draft_of(plan).items, item_id) if item_id else None
    form = ItemForm(obj=existing)
    if form.validate_on_submit():
        draft = drafting.ItemDraft(
            Section(form.section.data),
            form.text.data or "",
            form.who.data,
            Voice(form.voice.data),
            form.child_text.data,
            form.show_to_child.data,
        )
        done = commit_or_show(
            form,
            lambda: drafting.save_item(plan, draft, existing),
            success=_("The plan's draft is changed."),
            redirect_to=lambda saved: _at(child.id, f"item-{saved.id}"),
            summary=_not_saved(),
        )
        if done:
            return done
    _read(plan, "item", existing.id if existing else None)
    return render_template(
        "plans/item_form.html", child=child, plan=plan, form=form, existing=existing, **LABELS
    )


@bp.post("/<int:child_id>/plan/items/<int:item_id>/remove")
@require(Permission.PLAN_EDIT)
def remove_item(child_id: int, item_id: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    drafting.remove_item(plan, _one_of(drafting.draft_of(plan).items, item_id))
    db.session.commit()
    flash(_("The line is taken out of the draft."), "success")
    return _back(child.id)


@bp.route("/<int:child_id>/plan/actions/new", methods=["GET", "POST"])
@bp.route("/<int:child_id>/plan/actions/<int:action_id>", methods=["GET", "POST"])
@require(Permission.PLAN_EDIT)
def action(child_id: int, action_id: int | None = None) -> Response | str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    existing: PlanAction | None = (
        _one_of(drafting.draft_of(plan).actions, action_id) if action_id else None
    )
    form = ActionForm(obj=existing)
    if form.validate_on_submit():
        draft = drafting.ActionDraft(
            what=form.what.data or "",
            owner_kind=OwnerKind(form.owner_kind.data),
            owner_name=form.owner_name.data or "",
            outcome=Outcome(form.outcome.data),
            status=ActionStatus(form.status.data),
            due_on=form.due_on.data,
            not_done_reason=form.not_done_reason.data,
            planned_outcome=form.planned_outcome.data,
            actual_outcome=form.actual_outcome.data,
            child_text=form.child_text.data,
            show_to_child=form.show_to_child.data,
        )
        done = commit_or_show(
            form,
            lambda: drafting.save_action(plan, draft, existing),
            success=_("The plan's draft is changed."),
            redirect_to=lambda saved: _at(child.id, f"action-{saved.id}"),
            summary=_not_saved(),
        )
        if done:
            return done
    _read(plan, "action", existing.id if existing else None)
    return render_template(
        "plans/action_form.html", child=child, plan=plan, form=form, existing=existing, **LABELS
    )


@bp.route("/<int:child_id>/plan/words/<int:contribution_id>", methods=["GET", "POST"])
@require(Permission.PLAN_EDIT)
def place(child_id: int, contribution_id: int) -> Response | str:
    """Put a contribution's words into a section: only those the plan's readers may see."""
    child = child_or_404(child_id)
    plan = drafting.plan_of(child.id)
    if plan is None:
        flash(_("Please start the child's plan first."), "error")
        return redirect(url_for("plans.show", child_id=child.id))
    shareable = voices.shareable_words(child.id)
    wanted = contributions.get_for_child(child.id, contribution_id)
    if wanted is None or wanted.id in shareable.confidential:
        abort(404)
    found = [c for c in voices.placeable(child.id, shareable) if c.id == contribution_id]
    if not found:
        _read(plan, "words", wanted.id)
        return render_template(
            "plans/place.html",
            child=child,
            plan=plan,
            form=None,
            words=voices.as_words(wanted),
            refused=voices.why_not_placeable(wanted, shareable),
            **LABELS,
        )
    contribution = found[0]
    form = PlaceWordsForm()
    suggested = voices.suggested_section(contribution)
    if not form.is_submitted() and suggested is not None:
        form.section.data = suggested.value
    if form.validate_on_submit():
        done = commit_or_show(
            form,
            lambda: drafting.place_words(
                plan,
                contribution,
                Section(form.section.data),
                reader(),
                form.child_text.data,
                form.show_to_child.data,
            ),
            success=_("The child's words are in the plan's draft."),
            redirect_to=_at(child.id, f"section-{form.section.data}"),
            summary=_not_saved(),
        )
        if done:
            return done
    _read(plan, "words", contribution.id)
    return render_template(
        "plans/place.html",
        child=child,
        plan=plan,
        form=form,
        words=voices.as_words(contribution),
        suggested=suggested,
        suggested_column=voices.suggested_column(contribution),
        **LABELS,
    )


@bp.post("/<int:child_id>/plan/words/placed/<int:placed_id>/remove")
@require(Permission.PLAN_EDIT)
def remove_words(child_id: int, placed_id: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    drafting.remove_words(plan, _one_of(drafting.draft_of(plan).words, placed_id))
    db.session.commit()
    flash(_("The words are taken out of the draft."), "success")
    return _back(child.id)
