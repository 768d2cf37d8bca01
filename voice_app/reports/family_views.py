"""Reports in the family's space: reading each section they may see, saying what they
think of it, writing the family's section, their view of the final report, and its PDF.

A family member reaches only reports shared with them, about the child on whose record
they are; anything else is a 404. Every read is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.children.services import get_child
from voice_app.extensions import db
from voice_app.family.access import family_required, signed_in
from voice_app.family.models import FamilyAccount
from voice_app.family.permissions import FamilyPermission
from voice_app.plans.labels import HOW_LABELS
from voice_app.record.disclosure import Reader
from voice_app.reports import forms, pdf
from voice_app.reports.labels import LABELS
from voice_app.reports.models import SECTIONS, Report, ReportSection, Stance
from voice_app.reports.services import answers, distribution, drafting, reading
from voice_app.reports.services.voices import Readers

bp = Blueprint("family_reports", __name__, url_prefix="/family/reports")


def _shared_report(account: FamilyAccount, report_id: int) -> Report:
    """A report shared with this family member as a draft, or given to them as final."""
    for report in distribution.readable_reports(account):
        if report.id == report_id:
            return report
    abort(404)


def _shown(account: FamilyAccount, report: Report) -> reading.ShownReport:
    member = account.family_member_id
    return reading.shown_report(
        report,
        distribution.family_version(account, report),
        Reader.family(member),
        Readers(family=True, family_member_id=member),
        all_comments=False,
    )


@bp.get("/<int:report_id>")
@family_required(FamilyPermission.REPORT_READ)
def show(report_id: int) -> str:
    _space, account = signed_in()
    report = _shared_report(account, report_id)
    shown = _shown(account, report)
    reading.record_read(report, "family_report", shown.version, family=True)
    child = get_child(account.child_id)
    db.session.commit()
    return render_template(
        "reports/family_show.html",
        account=account,
        child_name=child.display_name if child else "",
        shown=shown,
        is_final=shown.version.signed_off_at is not None,
        mine=[v for v in shown.final_views if v.family_member_id == account.family_member_id],
        comment_form=forms.CommentForm(),
        final_form=forms.FinalViewForm(),
        how_labels=HOW_LABELS,
        **LABELS,
    )


@bp.post("/<int:report_id>/comments")
@family_required(FamilyPermission.REPORT_ANSWER)
def comment(report_id: int) -> Response:
    space, account = signed_in()
    report = _shared_report(account, report_id)
    form = forms.CommentForm()
    sections = {s.value for s in SECTIONS[report.kind]}
    if not distribution.draft_shared_with(account, report):
        # Given the final report after the meeting, not asked about a draft.
        flash(_("This report is final: you can say whether you agree."), "error")
        return redirect(url_for("family_reports.show", report_id=report.id))
    if not form.validate_on_submit() or form.section.data not in sections:
        flash(_("Please say what you think, in your own words."), "error")
        return redirect(url_for("family_reports.show", report_id=report.id))
    stance = Stance(form.stance.data) if form.stance.data else None
    try:
        answers.comment(
            report, account, ReportSection(form.section.data), stance, form.body.data, space.locale
        )
    except drafting.ReportRefused as refused:
        db.session.rollback()
        for message in refused.problems.values():
            flash(message, "error")
    else:
        db.session.commit()
        flash(_("Thank you. Your words are with the social worker, as you wrote them."), "success")
    return redirect(
        url_for("family_reports.show", report_id=report.id, _anchor=f"section-{form.section.data}")
    )


@bp.post("/<int:report_id>/final-view")
@family_required(FamilyPermission.REPORT_ANSWER)
def final_view(report_id: int) -> Response:
    _space, account = signed_in()
    report = _shared_report(account, report_id)
    form = forms.FinalViewForm()
    if form.validate_on_submit():
        try:
            answers.record_final_view(report, account, form.agrees.data == "yes", form.body.data)
        except drafting.ReportRefused as refused:
            db.session.rollback()
            for message in refused.problems.values():
                flash(message, "error")
        else:
            db.session.commit()
            flash(_("Thank you. Your view is printed in the report as you wrote it."), "success")
    return redirect(url_for("family_reports.show", report_id=report.id, _anchor="final"))


@bp.get("/<int:report_id>/pdf")
@family_required(FamilyPermission.REPORT_READ)
def as_pdf(report_id: int) -> Response:
    from voice_app.reports.views import render_pdf_of

    _space, account = signed_in()
    report = _shared_report(account, report_id)
    shown = _shown(account, report)
    child = get_child(account.child_id)
    if child is None:
        abort(404)
    body = render_pdf_of(child, shown)
    reading.record_read(report, "family_pdf", shown.version, family=True)
    pdf.record_made(report, shown.version, "family")
    db.session.commit()
    return Response(body, mimetype="application/pdf")
