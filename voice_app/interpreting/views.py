"""Interpreting pages: a child's requests (practitioners and managers), and the
interpreter's own queue and the one item each request shows them."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.contributions.labels import AUTHOR_LABELS
from voice_app.contributions.labels import KIND_LABELS as CONTRIBUTION_KINDS
from voice_app.contributions.models import Contribution
from voice_app.contributions.services import record_media_viewed
from voice_app.contributions.views import media_response
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.core.view_helpers import commit_or_show
from voice_app.extensions import db
from voice_app.i18n import text_direction
from voice_app.interpreting import forms
from voice_app.interpreting.labels import (
    KIND_LABELS,
    REQUEST_LANGUAGES,
    STATUS_LABELS,
    TRANSLATION_LABELS,
    language_name,
)
from voice_app.interpreting.models import InterpretingRequest, RequestKind, SourceKind
from voice_app.interpreting.services import deadlines, requests, translations
from voice_app.interpreting.services.two_languages import two_languages
from voice_app.record.disclosure import disclosure_for
from voice_app.record.lookup import child_or_404, reader
from voice_app.reports.labels import KIND_LABELS as REPORT_KINDS
from voice_app.reports.labels import SECTION_LABELS
from voice_app.reports.models import WRITTEN, Report
from voice_app.reports.services.drafting import reports_of
from voice_app.reports.services.sharing import share_by

bp = Blueprint("interpreting", __name__)

UK_TIME = ZoneInfo("Europe/London")


def labels() -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "translation_labels": TRANSLATION_LABELS,
        "language_name": language_name,
        "section_labels": SECTION_LABELS,
    }


def _request_form(child: Child, form: forms.RequestForm | None = None) -> forms.RequestForm:
    form = form or forms.RequestForm()
    first = [child.preferred_language, *deadlines.family_languages(child)]
    codes = list(dict.fromkeys(c for c in [*first, *REQUEST_LANGUAGES] if c != "en"))
    form.language.choices = choice_list({c: language_name(c) for c in codes})
    offered = requests.interpreters_for(child)
    spoken = requests.languages_of([u.id for u in offered])
    form.interpreter_id.choices = choice_list(
        {
            u.id: f"{u.display} ({', '.join(language_name(c) for c in spoken.get(u.id, []))})"
            for u in offered
        }
    )
    seen = disclosure_for(reader(), child.id)
    visible = db.session.scalars(
        select(Contribution)
        .where(Contribution.child_id == child.id, seen.contribution_filter())
        .order_by(Contribution.created_at.desc())
    )
    # Labels name the contribution without its words: the list is not a place to read them.
    form.contribution_id.choices = choice_list(
        {"": ""}
        | {
            c.id: f"{CONTRIBUTION_KINDS[c.kind]}, {AUTHOR_LABELS[c.author_kind]}, "
            f"{c.created_at:%Y-%m-%d} (#{c.id})"
            for c in visible
        }
    )
    form.report_id.choices = choice_list(
        {"": ""} | {r.id: f"{REPORT_KINDS[r.kind]}, {r.meeting_on}" for r in reports_of(child.id)}
    )
    form.report_section.choices = choice_list(
        {"": ""} | {str(s): SECTION_LABELS[s] for s in SECTION_LABELS if s in WRITTEN}
    )
    return form


def _child_page(child: Child, form: forms.RequestForm | None = None) -> str:
    rows = requests.requests_of(child)
    requests.record_requests_viewed(child.id, rows)
    reports = {r.id: r for r in reports_of(child.id)}
    late = {
        r.id: share_by(reports[r.report_id], child)
        for r in rows
        if r.report_id in reports and deadlines.arrives_too_late(r, reports[r.report_id], child)
    }
    db.session.commit()
    return render_template(
        "interpreting/child.html",
        child=child,
        rows=rows,
        late=late,
        form=_request_form(child, form),
        include_form=forms.PlainForm(),
        **labels(),
    )


@bp.get("/children/<int:child_id>/interpreting")
@require(Permission.INTERPRETING_REQUEST)
def child_requests(child_id: int) -> str:
    return _child_page(child_or_404(child_id))


@bp.post("/children/<int:child_id>/interpreting")
@require(Permission.INTERPRETING_REQUEST)
def ask(child_id: int) -> Response | tuple[str, int]:
    child = child_or_404(child_id)
    form = _request_form(child)
    if form.validate_on_submit():
        assert form.due_on.data is not None
        draft = requests.RequestDraft(
            kind=RequestKind(form.kind.data),
            language=form.language.data,
            interpreter_id=form.interpreter_id.data or 0,
            due_on=form.due_on.data,
            contribution_id=form.contribution_id.data,
            report_id=form.report_id.data,
            report_section=form.report_section.data or None,
            # The form's time is the local (UK) time people give; stored in UTC.
            session_at=form.session_at.data.replace(tzinfo=UK_TIME).astimezone(UTC)
            if form.session_at.data
            else None,
            session_place=form.session_place.data,
            note=form.note.data,
        )

        def made(row: InterpretingRequest) -> str:
            report = db.session.get(Report, row.report_id or 0)
            if report is not None and deadlines.arrives_too_late(row, report, child):
                flash(
                    _(
                        "This translation would arrive after the report's share-by date, %(day)s.",
                        day=share_by(report, child).isoformat(),
                    ),
                    "warning",
                )
            return _("The request is sent to %(who)s.", who=row.interpreter_label)

        done = commit_or_show(
            form,
            lambda: requests.create_request(child, draft, reader(), today()),
            success=made,
            redirect_to=url_for("interpreting.child_requests", child_id=child.id),
        )
        if done is not None:
            return done
    db.session.rollback()
    return _child_page(child, form), 400


@bp.post("/children/<int:child_id>/interpreting/<int:request_id>/include-confidential")
@require(Permission.CONFIDENTIAL_GRANT)
def include_confidential(child_id: int, request_id: int) -> Response:
    child = child_or_404(child_id)
    row = requests.request_of(child, request_id)
    if row is None or not forms.PlainForm().validate_on_submit():
        abort(404)
    try:
        requests.include_confidential(row, reader())
    except requests.InterpretingRefused:
        db.session.rollback()
        abort(403)
    db.session.commit()
    flash(_("The interpreter may now see this item."), "success")
    return redirect(url_for("interpreting.child_requests", child_id=child.id))


# The interpreter's side.


@bp.get("/interpreting")
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


@bp.get("/interpreting/<int:request_id>")
@require(Permission.INTERPRETING_WORK)
def item(request_id: int) -> str:
    return _item_page(_mine_or_404(request_id))


@bp.post("/interpreting/<int:request_id>/translations")
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
            redirect_to=url_for("interpreting.item", request_id=row.id),
        )
        if done is not None:
            return done
    db.session.rollback()
    return _item_page(row, form), 400


@bp.post("/interpreting/<int:request_id>/done")
@require(Permission.INTERPRETING_WORK)
def done(request_id: int) -> Response:
    row = _mine_or_404(request_id)
    if not forms.PlainForm().validate_on_submit():
        abort(400)
    requests.mark_done(row)
    db.session.commit()
    flash(_("The request is marked as done."), "success")
    return redirect(url_for("interpreting.queue"))


@bp.get("/interpreting/<int:request_id>/original")
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


def _two_languages_page(row: InterpretingRequest, child: Child, back: str) -> str:
    if row.kind is not RequestKind.LIVE_SESSION:
        abort(404)
    requester = db.session.get(User, row.requested_by_id)
    theirs = (requester.locale if requester else None) or "en"
    pairs = two_languages(row.language, theirs)
    requests.record_requests_viewed(row.child_id, [row])
    db.session.commit()
    return render_template(
        "interpreting/two_languages.html",
        row=row,
        child=child,
        pairs=pairs,
        childs_language=row.language,
        practitioners_language=theirs,
        direction=text_direction,
        back=back,
        **labels(),
    )


@bp.get("/interpreting/<int:request_id>/two-languages")
@require(Permission.INTERPRETING_WORK)
def two_languages_for_interpreter(request_id: int) -> str:
    row = _mine_or_404(request_id)
    child = db.session.get_one(Child, row.child_id)
    return _two_languages_page(row, child, url_for("interpreting.item", request_id=row.id))


@bp.get("/children/<int:child_id>/interpreting/<int:request_id>/two-languages")
@require(Permission.INTERPRETING_REQUEST)
def two_languages_for_practitioner(child_id: int, request_id: int) -> str:
    child = child_or_404(child_id)
    row = requests.request_of(child, request_id)
    if row is None:
        abort(404)
    return _two_languages_page(
        row, child, url_for("interpreting.child_requests", child_id=child.id)
    )
