"""The confidential section: placing things in it, reading it, and managers' grants.

Anyone without the permission and a live grant for the child gets the same 404 as for a
child that does not exist: never a hint that the section holds anything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.record.confidential import services as confidential
from voice_app.record.entries.views import LABELS
from voice_app.record.forms import GrantForm, PlacementForm, RevokeForm
from voice_app.record.lookup import (
    child_or_404,
    contribution_or_404,
    entry_or_404,
    reader,
    seen_by_reader,
)
from voice_app.record.models import ConfidentialAccessGrant, ConfidentialReason

bp = Blueprint("confidential", __name__, url_prefix="/children")

F = TypeVar("F", bound=Callable[..., Any])


def signed_in(view: F) -> F:
    """Staff only; what they may see is decided inside, with a 404 for everything else."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        from voice_app.extensions import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


@bp.get("/<int:child_id>/record/confidential")
@signed_in
def section(child_id: int) -> str:
    if not current_user.can(Permission.CONFIDENTIAL_READ):
        abort(404)
    child = child_or_404(child_id)
    seen = seen_by_reader(child)
    if not seen.with_grant:
        abort(404)
    items = confidential.section(seen)
    db.session.commit()
    return render_template("record/confidential.html", child=child, items=items, **LABELS)


def _draft(form: PlacementForm) -> confidential.PlacementDraft:
    return confidential.PlacementDraft(
        reason=ConfidentialReason(form.reason.data),
        note=form.note.data or "",
        review_on=form.review_on.data or utcnow().date(),
    )


def _not_placed() -> str:
    return _("Nothing is placed in the confidential section: please see the problems below.")


def _placed() -> str:
    return _(
        "It is in the confidential section now. Only people with access to this child's "
        "confidential section can see it."
    )


def _placement_page(
    child: Child,
    place: Callable[[confidential.PlacementDraft], object],
    back: str,
    **shown: Any,
) -> Response | str:
    """The placement form for an entry or a contribution; ``place`` stores it."""
    form = PlacementForm()
    if form.validate_on_submit():
        done = commit_or_show(
            form,
            lambda: place(_draft(form)),
            success=_placed(),
            redirect_to=back,
            summary=_not_placed(),
        )
        if done:
            return done
    return render_template("record/place.html", child=child, form=form, **shown, **LABELS)


@bp.route("/<int:child_id>/record/<int:number>/confidential", methods=["GET", "POST"])
@require(Permission.CONFIDENTIAL_PLACE)
def place_entry(child_id: int, number: int) -> Response | str:
    """Place the entry the reader knows as ``number`` (their numbering) in the section."""
    child = child_or_404(child_id)
    entry = entry_or_404(child, number)
    db.session.commit()  # the audit of a confidential read, if it was one
    return _placement_page(
        child,
        lambda draft: confidential.place_entry(entry, draft, reader()),
        url_for("record.chronology", child_id=child.id),
        entry=entry,
        entry_number=number,
        contribution=None,
    )


@bp.route(
    "/<int:child_id>/contributions/<int:contribution_id>/confidential", methods=["GET", "POST"]
)
@require(Permission.CONFIDENTIAL_PLACE)
def place_contribution(child_id: int, contribution_id: int) -> Response | str:
    child = child_or_404(child_id)
    contribution = contribution_or_404(child, contribution_id)
    db.session.commit()  # the audit of a confidential read, if it was one
    return _placement_page(
        child,
        lambda draft: confidential.place_contribution(contribution, draft, reader()),
        url_for("contributions.timeline", child_id=child.id),
        entry=None,
        entry_number=None,
        contribution=contribution,
    )


def _team_child_or_404(child_id: int) -> Child:
    """Grants are for managers of the child's own team."""
    child = child_or_404(child_id)
    if child.team_id != current_user.team_id:
        abort(404)
    return child


@bp.route("/<int:child_id>/confidential-access", methods=["GET", "POST"])
@require(Permission.CONFIDENTIAL_GRANT)
def access(child_id: int) -> Response | str:
    child = _team_child_or_404(child_id)
    staff = {person.id: person for person in confidential.grantable_staff(child.team_id)}
    form = GrantForm()
    form.user_id.choices = choice_list({p.id: p.display for p in staff.values()})
    if form.validate_on_submit():
        person = staff[form.user_id.data]
        done = commit_or_show(
            form,
            lambda: confidential.grant_access(child.id, person, form.reason.data or "", reader()),
            success=_("%(name)s can now read this child's confidential section.", name=person.name),
            redirect_to=url_for("confidential.access", child_id=child.id),
            summary=_("Access is not given."),
        )
        if done:
            return done
    return render_template(
        "record/access.html",
        child=child,
        form=form,
        grants=confidential.grants_for(child.id),
    )


@bp.post("/<int:child_id>/confidential-access/<int:grant_id>/revoke")
@require(Permission.CONFIDENTIAL_GRANT)
def revoke(child_id: int, grant_id: int) -> Response:
    child = _team_child_or_404(child_id)
    grant = db.session.get(ConfidentialAccessGrant, grant_id)
    if grant is None or grant.child_id != child.id:
        abort(404)
    form = RevokeForm()
    if grant.revoked_at is not None:
        flash(_("That access had already ended."), "error")
    elif not form.validate_on_submit():
        flash(_("Please say why access is ending."), "error")
    else:
        confidential.revoke_access(grant, form.reason.data or "", reader())
        db.session.commit()
        flash(_("Access has ended."), "success")
    return redirect(url_for("confidential.access", child_id=child.id))
