"""The interpreter's pages: their queue of requests, and the one item each request shows
them (what record.disclosure lets it show), translating it, finishing, the session's
"two languages" view."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.contributions.models import Contribution
from voice_app.contributions.services import record_media_viewed
from voice_app.contributions.views import media_response
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.interpreting import forms
from voice_app.interpreting.models import InterpretingRequest, SourceKind
from voice_app.interpreting.services import requests, translations
from voice_app.interpreting.views import labels, two_languages_page
from voice_app.record.lookup import reader
from voice_app.reports.labels import SECTION_LABELS

bp = Blueprint("interpreter_work", __name__, url_prefix="/interpreting")


@bp.get("")
@require(Permission.INTERPRETING_WORK)
def queue() -> str:
    found = requests.queue_of(reader(), today())
    children = {
        r.child_id: db.session.get_one(Child, r.child_id)
        for r in [*found.open, *found.due, *found.done]
    }
    db.session.commit()
    return render_template("interpreting/queue.html", queue=found, children=children, **labels())


def _mine_or_404(request_id: int) -> InterpretingRequest:
    row = requests.request_for_interpreter(reader(), request_id)
    if row is None:
        abort(404)
    return row


def _item_page(row: InterpretingRequest, form: forms.TranslationForm | None = None) -> str:
    item = translations.requested_item(row, reader(), SECTION_LABELS)
    child = db.session.get_one(Child, row.child_id)
    db.session.commit()
    return render_template(
        "interpreting/item.html",
        row=row,
        item=item,
        child=child,
        form=form or forms.TranslationForm(),
        done_form=forms.PlainForm(),
        **labels(),
    )


@bp.get("/<int:request_id>")
@require(Permission.INTERPRETING_WORK)
def item(request_id: int) -> str:
    return _item_page(_mine_or_404(request_id))


@bp.post("/<int:request_id>/translations")
@require(Permission.INTERPRETING_WORK)
def translate(request_id: int) -> Response | tuple[str, int]:
    row = _mine_or_404(request_id)
    form = forms.TranslationForm()
    if form.validate_on_submit():
        kind, _sep, source_id = (form.source.data or "").partition(":")
        if kind not in {k.value for k in SourceKind} or not source_id.isdigit():
            abort(404)
        confirm = form.action.data == "confirm"
        done = commit_or_show(
            form,
            lambda: translations.add_translation(
                row,
                reader(),
                SourceKind(kind),
                int(source_id),
                form.text.data or "",
                confirm=confirm,
                titles=SECTION_LABELS,
            ),
            success=_("The translation is confirmed.") if confirm else _("The draft is kept."),
            redirect_to=url_for("interpreter_work.item", request_id=row.id),
        )
        if done is not None:
            return done
    db.session.rollback()
    return _item_page(row, form), 400


@bp.post("/<int:request_id>/done")
@require(Permission.INTERPRETING_WORK)
def done(request_id: int) -> Response:
    row = _mine_or_404(request_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    requests.mark_done(row)
    db.session.commit()
    flash(_("The request is marked as done."), "success")
    return redirect(url_for("interpreter_work.queue"))


@bp.get("/<int:request_id>/original")
@require(Permission.INTERPRETING_WORK)
def original(request_id: int) -> Response:
    """The recording or drawing a request names, if disclosure lets its interpreter have it."""
    row = _mine_or_404(request_id)
    seen = translations.seen_by_interpreter(reader(), row.child_id)
    contribution = db.session.get(Contribution, row.contribution_id or 0)
    if contribution is None or not seen.may_see_contribution(contribution):
        abort(404)
    response = media_response(contribution, "original")
    record_media_viewed(contribution, "original")
    seen.record_confidential_read(
        "interpreting_media", int(seen.scope.contribution_is_confidential(contribution.id))
    )
    db.session.commit()
    return response


@bp.get("/<int:request_id>/two-languages")
@require(Permission.INTERPRETING_WORK)
def two_languages_for_interpreter(request_id: int) -> str:
    row = _mine_or_404(request_id)
    child = db.session.get_one(Child, row.child_id)
    return two_languages_page(row, child, url_for("interpreter_work.item", request_id=row.id))
