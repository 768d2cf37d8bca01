"""The practitioner marks what goes into the child's "Words and Pictures" copy of a
report, sees it as the child will, and gives it to the child."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.services import today
from voice_app.contributions.models import Contribution
from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.plans.services.voices import verbatim
from voice_app.record.disclosure import disclosure_for
from voice_app.record.lookup import child_or_404, reader
from voice_app.reports.child_copy import services
from voice_app.reports.child_copy.forms import ChildCopyActionForm, ChildItemForm, ChildLineForm
from voice_app.reports.child_copy.labels import CHILD_HEADINGS, CHILD_PICTURES, DEFAULT_PICTURE
from voice_app.reports.child_copy.pdf import child_copy_pdf
from voice_app.reports.labels import LABELS
from voice_app.reports.models import SECTIONS, Report, ReportSection
from voice_app.reports.services import drafting, reading
from voice_app.reports.services.drafting import ReportRefused
from voice_app.reports.views import report_or_404

bp = Blueprint("report_child_copy", __name__, url_prefix="/children")

BASE = "/<int:child_id>/reports/<int:report_id>/child-copy"


def _line_form(report: Report) -> ChildLineForm:
    form = ChildLineForm()
    form.section.choices = choice_list(
        {section.value: LABELS["section_labels"][section] for section in SECTIONS[report.kind]}
    )
    return form


def _back(child_id: int, report_id: int) -> Response:
    return redirect(url_for("report_child_copy.show", child_id=child_id, report_id=report_id))


def _done(action: Callable[[], object], message: str) -> None:
    try:
        action()
    except ReportRefused as refused:
        db.session.rollback()
        for problem in refused.problems.values():
            flash(problem, "error")
    else:
        db.session.commit()
        flash(message, "success")


@bp.get(BASE)
@require(Permission.REPORT_READ)
def show(child_id: int, report_id: int) -> str:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    lines = services.current_lines(report)
    items = {c.id: c for c in services.choosable_items(report)}
    # The child's words on a line, as this staff reader may see them (record.disclosure).
    seen = disclosure_for(reader(), child.id)
    line_words = {}
    for line in lines:
        contribution = db.session.get(Contribution, line.contribution_id or 0)
        if contribution is not None and seen.may_see_contribution(contribution):
            line_words[line.id] = verbatim(contribution) or _("A drawing")
    shown = services.preview(report)
    reading.record_read(report, "child_copy", drafting.latest(report))
    db.session.commit()
    return render_template(
        "reports/child_copy.html",
        child=child,
        report=report,
        lines=lines,
        line_words=line_words,
        items=items,
        verbatim=verbatim,
        shown=shown,
        given=services.last_given(report),
        line_form=_line_form(report),
        action_form=ChildCopyActionForm(),
        band=child.band(today()).value,
        headings=CHILD_HEADINGS,
        pictures=CHILD_PICTURES,
        default_picture=DEFAULT_PICTURE,
        **LABELS,
    )


@bp.post(BASE + "/lines")
@require(Permission.REPORT_EDIT)
def add_line(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = _line_form(report)
    if form.validate_on_submit():
        section = ReportSection(form.section.data)
        _done(
            lambda: services.add_line(report, section, form.body.data, reader()),
            _("The line is in the child's copy."),
        )
    else:
        flash(_("Please write the line for the child and choose its part."), "error")
    return _back(child.id, report.id)


@bp.post(BASE + "/items")
@require(Permission.REPORT_EDIT)
def add_item(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = ChildItemForm()
    if form.validate_on_submit() and form.contribution_id.data is not None:
        chosen = form.contribution_id.data
        _done(
            lambda: services.add_item(report, chosen, reader()),
            _("The child's own words are in their copy."),
        )
    return _back(child.id, report.id)


@bp.post(BASE + "/lines/<int:line_id>/remove")
@require(Permission.REPORT_EDIT)
def remove_line(child_id: int, report_id: int, line_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    if ChildCopyActionForm().validate_on_submit():
        _done(
            lambda: services.remove_line(report, line_id, reader()),
            _("The line is taken out of the child's copy."),
        )
    return _back(child.id, report.id)


@bp.post(BASE + "/give")
@require(Permission.REPORT_EDIT)
def give(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    if ChildCopyActionForm().validate_on_submit():
        _done(
            lambda: services.give(report, reader()),
            _("The child can now see their copy in their space."),
        )
    return _back(child.id, report.id)


@bp.get(BASE + "/pdf")
@require(Permission.REPORT_READ)
def as_pdf(child_id: int, report_id: int) -> Response:
    """The copy as it stands, to print for a child who reads it on paper."""
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    shown = services.preview(report)
    body = child_copy_pdf(child, shown, child.preferred_language)
    reading.record_read(report, "child_copy_pdf", drafting.latest(report))
    db.session.commit()
    return Response(body, mimetype="application/pdf")
