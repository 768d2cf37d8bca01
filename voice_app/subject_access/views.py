"""Subject-access pages: ask for a copy of a record, authorise it, download it."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from voice_app.children.lookup import child_or_404
from voice_app.children.models import Child
from voice_app.children.services import parents_with_responsibility
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.record.models import RequesterKind, SubjectAccessRequest
from voice_app.subject_access import export_labels
from voice_app.subject_access import services as subject_access
from voice_app.subject_access.forms import CHILD_CHOICE, SubjectAccessRequestForm

bp = Blueprint("subject_access", __name__, url_prefix="/children")


def _request_or_404(child: Child, request_id: int) -> SubjectAccessRequest:
    found = subject_access.get_request(child.id, request_id)
    if found is None:
        abort(404)
    return found


def _form(child: Child) -> SubjectAccessRequestForm:
    form = SubjectAccessRequestForm()
    form.requester.choices = choice_list(
        {CHILD_CHOICE: _("%(name)s (the child)", name=child.display_name)}
        | {
            f"parent:{member.id}": _("%(name)s (parent)", name=member.name)
            for member in parents_with_responsibility(child)
        }
    )
    form.language.choices = choice_list({"": _("Their preferred language")} | LANGUAGES)
    return form


REFUSALS = {
    "not_a_parent": lambda: _("Only a family member with parental responsibility can ask."),
    "unknown_language": lambda: _("Please choose one of the languages offered."),
    "own_request": lambda: _("You asked for this copy, so another manager must authorise it."),
    "not_waiting": lambda: _("This request is not waiting to be authorised."),
}


@bp.route("/<int:child_id>/subject-access", methods=["GET", "POST"])
@require(Permission.SUBJECT_ACCESS_REQUEST)
def requests(child_id: int) -> BaseResponse | str:
    child = child_or_404(child_id)
    form = _form(child)
    if form.validate_on_submit():
        kind = RequesterKind.CHILD if form.requester.data == CHILD_CHOICE else RequesterKind.PARENT
        try:
            subject_access.request_export(
                child,
                kind,
                form.family_member_id(),
                form.language.data or None,
                form.note.data,
                current_user._get_current_object(),
            )
        except subject_access.RequestRefused as refused:
            db.session.rollback()
            flash(REFUSALS[refused.reason](), "error")
        else:
            db.session.commit()
            flash(_("The request is recorded. A manager needs to authorise it."), "success")
            return redirect(url_for("subject_access.requests", child_id=child.id))
    found = subject_access.requests_for(child.id)
    return render_template(
        "subject_access/requests.html",
        child=child,
        form=form,
        requests=found,
        family_members={m.id: m for m in child.family_members},
        can_authorise=current_user.can(Permission.SUBJECT_ACCESS_AUTHORISE),
        authorisable=subject_access.AUTHORISABLE,
        labels=export_labels,
    )


@bp.post("/<int:child_id>/subject-access/<int:request_id>/authorise")
@require(Permission.SUBJECT_ACCESS_AUTHORISE)
def authorise(child_id: int, request_id: int) -> BaseResponse:
    child = child_or_404(child_id)
    found = _request_or_404(child, request_id)
    try:
        subject_access.authorise(found, current_user._get_current_object())
    except subject_access.RequestRefused as refused:
        db.session.rollback()
        flash(REFUSALS[refused.reason](), "error")
        return redirect(url_for("subject_access.requests", child_id=child.id))
    db.session.commit()  # queues the export
    flash(_("Authorised. The copy is being prepared."), "success")
    return redirect(url_for("subject_access.requests", child_id=child.id))


def _download(child_id: int, request_id: int, kind: str) -> Response:
    child = child_or_404(child_id)
    found = _request_or_404(child, request_id)
    data = subject_access.open_download(found, kind)
    if data is None:
        abort(404)
    db.session.commit()
    response = Response(data, mimetype=subject_access.DOWNLOADS[kind])
    response.headers["Cache-Control"] = "private, no-store"
    reference = re.sub(r"[^A-Za-z0-9_-]", "", child.reference)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="record-{reference}-{found.id}.{kind}"'
    )
    return response


@bp.get("/<int:child_id>/subject-access/<int:request_id>/pdf")
@require(Permission.SUBJECT_ACCESS_REQUEST)
def download_pdf(child_id: int, request_id: int) -> Response:
    return _download(child_id, request_id, "pdf")


@bp.get("/<int:child_id>/subject-access/<int:request_id>/zip")
@require(Permission.SUBJECT_ACCESS_REQUEST)
def download_zip(child_id: int, request_id: int) -> Response:
    return _download(child_id, request_id, "zip")
