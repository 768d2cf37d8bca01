"""Reading reports: a child's reports, one report with its sharing and comments, the PDF
(the meeting's copy or the family's); starting a report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.models import Child
from voice_app.children.services import today
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.i18n import text_direction
from voice_app.interpreting.labels import language_name
from voice_app.interpreting.services import deadlines
from voice_app.plans.labels import HOW_LABELS
from voice_app.plans.services.voices import as_words
from voice_app.record.disclosure import Reader
from voice_app.record.lookup import child_or_404, reader
from voice_app.reports import forms, pdf
from voice_app.reports.labels import LABELS
from voice_app.reports.models import Report, ReportKind, ReportVersion
from voice_app.reports.services import drafting, reading, sharing, voices
from voice_app.reports.services.voices import MEETING, Readers

bp = Blueprint("reports", __name__, url_prefix="/children")


def report_or_404(child: Child, report_id: int) -> Report:
    report = drafting.report_of(child.id, report_id)
    if report is None:
        abort(404)
    return report


def version_or_404(report: Report, number: int | None) -> ReportVersion:
    if number is None:
        return drafting.latest(report)
    for version in report.versions:
        if version.number == number:
            return version
    abort(404)


def shared_context() -> dict[str, Any]:
    return {**LABELS, "how_labels": HOW_LABELS}


@bp.get("/<int:child_id>/reports")
@require(Permission.REPORT_READ)
def index(child_id: int) -> str:
    child = child_or_404(child_id)
    reports = drafting.reports_of(child.id)
    for report in reports:
        reading.record_read(report, "list", drafting.latest(report))
    db.session.commit()
    return render_template(
        "reports/index.html",
        child=child,
        reports=reports,
        form=forms.StartReportForm(),
        **shared_context(),
    )


@bp.post("/<int:child_id>/reports")
@require(Permission.REPORT_EDIT)
def start(child_id: int) -> Response | str:
    child = child_or_404(child_id)
    form = forms.StartReportForm()
    if not form.validate_on_submit():
        db.session.rollback()
        return render_template(
            "reports/index.html",
            child=child,
            reports=drafting.reports_of(child.id),
            form=form,
            **shared_context(),
        ), 400  # type: ignore[return-value]
    assert form.meeting_on.data is not None
    report = drafting.start_report(
        child, ReportKind(form.kind.data), form.meeting_on.data, reader()
    )
    db.session.commit()
    flash(_("The report is started. Its first draft is ready to write."), "success")
    return redirect(url_for("reports.show", child_id=child.id, report_id=report.id))


def page(child: Child, report: Report, version: ReportVersion, **forms_given: Any) -> str:
    shown = reading.shown_report(report, version, Reader.staff(reader()), MEETING)
    draft = drafting.draft_of(report)
    share_form = forms_given.pop("share_form", None) or forms.ShareForm()
    share_form.accounts.choices = choice_list(
        {a.id: a.family_member.name for a in sharing.family_accounts(child.id)}
    )
    reading.record_read(report, "report", version)
    db.session.commit()
    chosen = {w.contribution_id for w in version.words}
    accounts = sharing.family_accounts(child.id)
    return render_template(
        "reports/show.html",
        child=child,
        report=report,
        shown=shown,
        is_draft=draft is not None and draft.id == version.id,
        choosable=[as_words(c) for c in voices.choosable(report) if c.id not in chosen],
        share=sharing.share_status(report, child, today()),
        translation=deadlines.report_translation(report, child, today()),
        language_name=language_name,
        share_form=share_form,
        section_form=forms.SectionForm(),
        point_form=forms_given.pop("point_form", None) or forms.PointForm(),
        decision_form=forms_given.pop("decision_form", None) or forms.DecisionForm(),
        words_form=forms.WordsForm(),
        no_words_form=forms_given.pop("no_words_form", None) or forms.NoWordsForm(),
        answer_form=forms.AnswerForm(),
        has_child_words=bool(shown.words),
        account_names={a.id: a.family_member.name for a in accounts},
        account_members={a.id: a.family_member_id for a in accounts},
        **shared_context(),
    )


@bp.get("/<int:child_id>/reports/<int:report_id>")
@require(Permission.REPORT_READ)
def show(child_id: int, report_id: int) -> str:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    number = request.args.get("version", type=int)
    return page(child, report, version_or_404(report, number))


@bp.get("/<int:child_id>/reports/<int:report_id>/pdf")
@require(Permission.REPORT_READ)
def as_pdf(child_id: int, report_id: int) -> Response:
    """The meeting's copy, or (``copy=family&member=<id>``) one family member's copy."""
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    version = version_or_404(report, request.args.get("version", type=int))
    copy = request.args.get("copy", "meeting")
    if copy == "family":
        member_id = request.args.get("member", type=int)
        accounts = {a.family_member_id for a in sharing.family_accounts(child.id)}
        if member_id not in accounts:
            abort(404)
        shown = reading.shown_report(
            report,
            version,
            Reader.family(member_id),
            Readers(family=True, family_member_id=member_id),
            all_comments=False,
        )
    else:
        shown = reading.shown_report(report, version, Reader.staff(reader()), MEETING)
    body = render_pdf_of(child, shown)
    pdf.record_made(report, version, copy)
    db.session.commit()
    return Response(body, mimetype="application/pdf")


def render_pdf_of(child: Child, shown: reading.ShownReport, locale: str | None = None) -> bytes:
    locale = locale or str(get_locale() or "en")
    html = render_template(
        "reports/pdf.html",
        child=child,
        shown=shown,
        current_locale=locale,
        text_direction=text_direction(locale),
        **shared_context(),
    )
    return pdf.render_pdf(html, pdf.pictures_of(shown.words))
