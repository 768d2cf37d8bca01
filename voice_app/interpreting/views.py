"""Interpreting pages for practitioners and managers: a child's requests, asking for one,
letting a confidential item through (a manager with a grant), a session's two languages.
The interpreter's own pages are in ``work_views``."""

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
from voice_app.interpreting.models import InterpretingRequest, RequestKind
from voice_app.interpreting.services import deadlines, requests
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


def two_languages_page(row: InterpretingRequest, child: Child, back: str) -> str:
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


@bp.get("/children/<int:child_id>/interpreting/<int:request_id>/two-languages")
@require(Permission.INTERPRETING_REQUEST)
def two_languages_for_practitioner(child_id: int, request_id: int) -> str:
    child = child_or_404(child_id)
    row = requests.request_of(child, request_id)
    if row is None:
        abort(404)
    return two_languages_page(row, child, url_for("interpreting.child_requests", child_id=child.id))
