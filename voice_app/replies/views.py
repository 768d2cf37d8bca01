"""Practitioners' pages for replies to the child, and the manager's team view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.lookup import child_or_404, reader
from voice_app.children.models import Child
from voice_app.contributions.labels import FEELINGS, HOUSES, KIND_LABELS, TRANSCRIPT_LABELS
from voice_app.contributions.models import Contribution
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.replies import access, overdue, services
from voice_app.replies.forms import ReplyForm

bp = Blueprint("replies", __name__, url_prefix="/children")
team_bp = Blueprint("team", __name__, url_prefix="/team")


def _answered(child_id: int, contribution_id: int) -> tuple[Child, Contribution]:
    child = child_or_404(child_id)
    contribution = access.contribution_for_reader(child, contribution_id)
    if not services.needs_reply(contribution):
        abort(404)
    return child, contribution


def _form(child: Child) -> ReplyForm:
    form = ReplyForm(language=child.preferred_language)
    form.language.choices = choice_list(dict(LANGUAGES))
    form.plan_action.choices = [("", _("No plan action")), *services.plan_actions(child.id).items()]
    return form


def _page(child: Child, contribution: Contribution, form: ReplyForm) -> str:
    replies = services.history(contribution.id)
    services.record_history_viewed(contribution, replies)
    if access.is_confidential(reader(), contribution):
        access.note_confidential_read(reader(), child.id, 1 + len(replies))
    db.session.commit()
    return render_template(
        "replies/reply.html",
        child=child,
        item=contribution,
        replies=replies,
        form=form,
        plan_actions=services.plan_actions(child.id),
        due_on=services.due_on(contribution, child.nation),
        today=services.uk_today(),
        kind_labels=KIND_LABELS,
        transcript_labels=TRANSCRIPT_LABELS,
        feeling_labels=FEELINGS,
        house_labels=HOUSES,
    )


@bp.get("/<int:child_id>/contributions/<int:contribution_id>/reply")
@require(Permission.CASE_READ)
def reply_page(child_id: int, contribution_id: int) -> str:
    """What the child said, every reply so far, and the form for a new one."""
    child, contribution = _answered(child_id, contribution_id)
    return _page(child, contribution, _form(child))


@bp.post("/<int:child_id>/contributions/<int:contribution_id>/reply")
@require(Permission.REPLY_WRITE)
def write_reply(child_id: int, contribution_id: int) -> Response | tuple[str, int]:
    child, contribution = _answered(child_id, contribution_id)
    form = _form(child)
    if form.validate_on_submit():
        draft = services.ReplyDraft(
            form.text.data or "",
            form.language.data or "",
            form.what_we_did.data or "",
            form.plan_action.data or "",
        )
        done = commit_or_show(
            form,
            lambda: services.write_reply(contribution, draft, reader()),
            success=_("Your reply is saved. The child sees it in their space."),
            redirect_to=url_for(
                "contributions.timeline", child_id=child.id, _anchor=f"c{contribution.id}"
            ),
        )
        if done:
            return done
    return _page(child, contribution, form), 400


@team_bp.get("/")
@require(Permission.TEAM_READ)
def overview() -> str:
    """Overdue work per practitioner of the manager's team."""
    rows = overdue.team_overview(reader())
    db.session.commit()
    return render_template("replies/team.html", rows=rows, columns=overdue.TEAM_COUNTS)
