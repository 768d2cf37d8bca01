"""Attaching a contribution to the record with a consent decision, and later decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.models import Child
from voice_app.children.services import parents_with_responsibility
from voice_app.contributions.models import AuthorKind, Contribution
from voice_app.core.db import utcnow
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.record import disclosure
from voice_app.record.consent import services as consent
from voice_app.record.entries.views import LABELS, entry_url
from voice_app.record.forms import AttachForm, ConsentForm, show_problems
from voice_app.record.lookup import child_or_404, contribution_or_404, reader, seen_by_reader
from voice_app.record.models import ConsentAnswer, ConsentFrom, ShareWithoutConsentReason

bp = Blueprint("consent", __name__, url_prefix="/children")


def _prepare(form: ConsentForm, child: Child) -> None:
    form.family_member_id.choices = choice_list(
        {0: _("Not a parent: the child was asked")}
        | {member.id: member.name for member in parents_with_responsibility(child)}
    )
    form.shared_with_member_id.choices = choice_list(
        {0: _("All the family")} | {member.id: member.name for member in child.family_members}
    )


def _draft(form: ConsentForm) -> consent.ConsentDraft:
    category = form.reason_category.data
    return consent.ConsentDraft(
        consent_from=ConsentFrom(form.consent_from.data),
        family_member_id=form.family_member_id.data or None,
        information=form.information.data or "",
        share_with_family=form.share_with_family.data,
        shared_with_member_id=form.shared_with_member_id.data or None,
        share_with_meeting=form.share_with_meeting.data,
        share_with_agencies=form.share_with_agencies.data,
        agencies=form.agencies.data,
        answer=ConsentAnswer(form.answer.data),
        decided_on=form.decided_on.data or utcnow().date(),
        shared_without_consent=form.shared_without_consent.data,
        reason_category=ShareWithoutConsentReason(category) if category else None,
        reasons=form.reasons.data,
        decision_maker=form.decision_maker.data,
        manager_consulted={"yes": True, "no": False}.get(form.manager_consulted.data or ""),
    )


def _preview(contribution: Contribution) -> tuple[str | None, str | None]:
    """The words that would go into the record, or why they cannot yet."""
    try:
        return consent.contribution_words(contribution), None
    except consent.ConsentRefused as refused:
        return None, next(iter(refused.problems.values()))


def _not_saved() -> str:
    return _("Nothing is saved: please see the problems below.")


@bp.route("/<int:child_id>/contributions/<int:contribution_id>/attach", methods=["GET", "POST"])
@require(Permission.CONSENT_RECORD)
def attach(child_id: int, contribution_id: int) -> Response | str:
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    db.session.commit()  # the audit of a confidential read, if it was one
    existing = consent.entry_for(contribution)
    if existing is not None:
        flash(_("This contribution is already in the record."), "success")
        return redirect(entry_url(child.id, seen_by_reader(child).number(existing)))
    form = AttachForm()
    _prepare(form, child)
    if request.method == "GET":
        form.decided_on.data = utcnow().date()
        form.contribution_author.data = contribution.author_kind.value
        # The child chose one grown-up ("only Mum"): the decision starts from their choice.
        if contribution.shared_with_member_id is not None:
            form.share_with_family.data = True
            form.shared_with_member_id.data = contribution.shared_with_member_id
    if form.validate_on_submit():
        try:
            entry = consent.attach(
                child,
                contribution,
                _draft(form),
                AuthorKind(form.contribution_author.data),
                form.note.data or "",
                reader(),
            )
        except consent.ConsentRefused as refused:
            db.session.rollback()
            show_problems(form, refused.problems, _not_saved())
        else:
            db.session.commit()
            number = seen_by_reader(child).number(entry)
            flash(
                _("The contribution is entry %(number)d in the record.", number=number),
                "success",
            )
            return redirect(entry_url(child.id, number))
    words, not_ready = _preview(contribution)
    return render_template(
        "record/attach.html",
        child=child,
        contribution=contribution,
        form=form,
        words=words,
        not_ready=not_ready,
        **LABELS,
    )


@bp.route("/<int:child_id>/contributions/<int:contribution_id>/consent", methods=["GET", "POST"])
@require(Permission.CONSENT_RECORD)
def new_decision(child_id: int, contribution_id: int) -> Response | str:
    """A later decision about an attached contribution: appended, never rewriting history."""
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    db.session.commit()  # the audit of a confidential read, if it was one
    entry = consent.entry_for(contribution)
    if entry is None:
        return redirect(
            url_for("consent.attach", child_id=child.id, contribution_id=contribution.id)
        )
    number = seen_by_reader(child).number(entry)
    form = ConsentForm()
    _prepare(form, child)
    in_force = disclosure.current_consent(contribution.id)
    if request.method == "GET":
        form.decided_on.data = utcnow().date()
        if in_force is not None:
            form.consent_from.data = in_force.consent_from.value
            form.family_member_id.data = in_force.family_member_id or 0
            form.information.data = in_force.information
            form.share_with_family.data = in_force.share_with_family
            form.shared_with_member_id.data = in_force.shared_with_member_id or 0
            form.share_with_meeting.data = in_force.share_with_meeting
            form.share_with_agencies.data = in_force.share_with_agencies
            form.agencies.data = in_force.agencies
    if form.validate_on_submit():
        done = commit_or_show(
            form,
            lambda: consent.record_decision(child, contribution, _draft(form), reader()),
            success=_("The consent decision is recorded."),
            redirect_to=entry_url(child.id, number),
            summary=_not_saved(),
        )
        if done:
            return done
    return render_template(
        "record/decision.html",
        child=child,
        contribution=contribution,
        entry=entry,
        entry_number=number,
        form=form,
        history=disclosure.consent_history(contribution.id),
        **LABELS,
    )
