"""Review meetings on a plan: recording one, the scales given at it, a child in need
plan's next review date."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from voice_app.children.services import today
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import show_problems
from voice_app.extensions import db
from voice_app.plans.forms import MAX_DECISION_ROWS, NextReviewForm, ReviewForm
from voice_app.plans.labels import LABELS
from voice_app.plans.models import ParticipantKind, ReviewKind
from voice_app.plans.services import drafting, reviews
from voice_app.plans.services.timetable import review_kinds
from voice_app.plans.views import plan_or_404, scale_form
from voice_app.record.entries import services as entries
from voice_app.record.lookup import child_or_404, reader

bp = Blueprint("plan_reviews", __name__, url_prefix="/children")


def _back(child_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("plans.show", child_id=child_id, _anchor=anchor))


#: Where a chronology entry's refusals belong on the review form.
_REVIEW_FIELDS = {"occurred_at": "held_on"}


def _decision_rows(form: ReviewForm) -> tuple[list[reviews.DecisionDraft], list[int]]:
    """The decisions of the rows filled in, and each one's row on the form."""
    rows = [i for i, row in enumerate(form.decisions) if not row.form.is_blank]
    drafts = [
        reviews.DecisionDraft(
            form.decisions[i].form.decision.data or "",
            form.decisions[i].form.decided_by.data or "",
            form.decisions[i].form.reasons.data or "",
        )
        for i in rows
    ]
    return drafts, rows


def _show_review_problems(form: ReviewForm, problems: dict[str, str], rows: list[int]) -> None:
    """The service's refusals beside the fields they concern: a decision's beside its row."""
    others: dict[str, str] = {}
    for key, message in problems.items():
        if key.startswith("decisions-"):
            _prefix, index, name = key.split("-", 2)
            field = getattr(form.decisions[rows[int(index)]].form, name)
            field.errors = [*field.errors, message]
        else:
            others[_REVIEW_FIELDS.get(key, key)] = message
    show_problems(form, others, _("The review is not recorded: please see the problems below."))


def _rows_sent() -> int:
    return len({key.split("-")[1] for key in request.form if key.startswith("decisions-")})


@bp.route("/<int:child_id>/plan/reviews/new", methods=["GET", "POST"])
@require(Permission.PLAN_EDIT)
def review(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    form = ReviewForm()
    form.kind.choices = [c for c in form.kind.choices if c.value in review_kinds(plan.kind)]
    if form.is_submitted() and "add_decision" in request.form:
        # "Add another decision" comes back here, without JavaScript: the same form, one
        # row longer, nothing recorded.
        if len(form.decisions) < MAX_DECISION_ROWS:
            form.decisions.append_entry()
    elif form.is_submitted() and _rows_sent() > MAX_DECISION_ROWS:
        # WTForms would drop the rows past the last silently: refuse rather than keep part.
        form.validate()
        form.form_errors.append(
            _("One review takes at most %(max)d decisions.", max=MAX_DECISION_ROWS)
        )
    elif form.validate_on_submit():
        assert form.held_on.data is not None
        decisions, rows = _decision_rows(form)
        draft = reviews.ReviewDraft(
            kind=ReviewKind(form.kind.data),
            held_on=form.held_on.data,
            what_changed=form.what_changed.data or "",
            present=reviews.names(form.present.data),
            absent=reviews.names(form.absent.data),
            decisions=decisions,
            late_reason=form.late_reason.data,
            agree_plan=form.agree_plan.data,
        )
        try:
            reviews.record_review(plan, draft, reader())
        except (drafting.PlanRefused, entries.EntryRefused) as refused:
            db.session.rollback()
            _show_review_problems(form, refused.problems, rows)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "The review is recorded, with %(num)d decision.",
                    "The review is recorded, with %(num)d decisions.",
                    len(decisions),
                )
                if decisions
                else _("The review is recorded."),
                "success",
            )
            return _back(child.id, "reviews")
    return render_template(
        "plans/review_form.html",
        child=child,
        plan=plan,
        form=form,
        max_rows=MAX_DECISION_ROWS,
        **LABELS,
    )


@bp.post("/<int:child_id>/plan/scales")
@require(Permission.PLAN_EDIT)
def add_scale(child_id: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    form = scale_form(plan.reviews)
    if not form.validate_on_submit() or form.value.data is None:
        flash(_("The scale is not added: please give a name and a number from 0 to 10."), "error")
        return _back(child.id, "scales")
    held = next((r for r in plan.reviews if r.id == form.review_id.data), None)
    if held is None:
        abort(404)
    reviews.add_scale(
        plan,
        held,
        reviews.ScaleDraft(
            ParticipantKind(form.participant_kind.data),
            form.participant_name.data or "",
            form.value.data,
            form.reason.data,
            form.show_to_child.data,
        ),
    )
    db.session.commit()
    flash(_("The scale is added."), "success")
    return _back(child.id, "scales")


@bp.post("/<int:child_id>/plan/next-review")
@require(Permission.PLAN_EDIT)
def next_review(child_id: int) -> Response:
    child = child_or_404(child_id)
    plan = plan_or_404(child)
    form = NextReviewForm()
    if form.validate_on_submit():
        if form.next_review_on.data is not None and form.next_review_on.data < today():
            flash(_("The next review cannot be in the past."), "error")
        else:
            drafting.set_next_review(plan, form.next_review_on.data)
            db.session.commit()
            flash(_("The next review date is set."), "success")
    return _back(child.id, "due")
