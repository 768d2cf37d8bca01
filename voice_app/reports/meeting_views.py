"""After the meeting (who attended, giving the final report to those who did not) and the
signed-off report's PDF from the chronology. Routes on the reports' blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.record.lookup import child_or_404, reader, seen_by_reader
from voice_app.record.models import RecordEntry
from voice_app.reports import meeting_forms
from voice_app.reports.labels import LABELS
from voice_app.reports.models import Report
from voice_app.reports.services import chronology_pdf, distribution, drafting, reading
from voice_app.reports.views import bp, report_or_404

MEETING = "/<int:child_id>/reports/<int:report_id>/meeting"


def _attendance_form(report: Report) -> meeting_forms.AttendanceForm:
    from voice_app.children.models import Child

    form = meeting_forms.AttendanceForm()
    child = db.session.get_one(Child, report.child_id)
    # i18n: in the list of people at a meeting, someone not on the child's record.
    options: dict[int, str] = {0: _("Someone else (name them below)")}
    options.update({m.id: m.name for m in child.family_members})
    form.family_member_id.choices = choice_list(options)
    return form


@bp.get(MEETING)
@require(Permission.REPORT_READ)
def meeting(child_id: int, report_id: int) -> str:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    givings = distribution.givings_of(report)
    reading.record_read(report, "meeting", drafting.latest(report))
    db.session.commit()
    return render_template(
        "reports/meeting.html",
        child=child,
        report=report,
        attendance=distribution.attendance(report),
        absent=distribution.absent(report),
        final=distribution.final_version(report),
        givings=givings,
        attendance_form=_attendance_form(report),
        give_form=meeting_forms.GiveForm(),
        **LABELS,
    )


def _refused(refused: drafting.ReportRefused) -> None:
    db.session.rollback()
    for message in refused.problems.values():
        flash(message, "error")


@bp.post(MEETING + "/attendance")
@require(Permission.REPORT_EDIT)
def record_attendance(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = _attendance_form(report)
    if not form.validate_on_submit():
        flash(_("Please say who it was and whether they attended."), "error")
    else:
        try:
            distribution.record_attendance(
                report,
                reader(),
                family_member_id=form.family_member_id.data or None,
                name=form.name.data,
                role=form.role.data,
                attended=form.attended.data == "yes",
            )
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("reports.meeting", child_id=child.id, report_id=report.id))


@bp.post(MEETING + "/give")
@require(Permission.REPORT_EDIT)
def give_report(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = meeting_forms.GiveForm()
    if not form.validate_on_submit() or form.attendance_id.data is None:
        flash(_("Please choose someone invited who did not attend."), "error")
    else:
        try:
            distribution.give(report, form.attendance_id.data, form.how.data, reader())
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("The final report is given, and that is recorded."), "success")
    return redirect(
        url_for("reports.meeting", child_id=child.id, report_id=report.id, _anchor="given")
    )


@bp.get("/<int:child_id>/reports/<int:report_id>/versions/<int:number>/signed-off.pdf")
@require(Permission.RECORD_READ)
def chronology_report_pdf(child_id: int, report_id: int, number: int) -> Response:
    """The signed-off version's PDF kept on its chronology entry, for a reader who may see
    that entry; the copy itself is chosen by what they may see (``chronology_pdf``)."""
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    version = next((v for v in report.versions if v.number == number), None)
    stored = chronology_pdf.pdf_of_version(version) if version is not None else None
    if stored is None:
        abort(404)
    seen = seen_by_reader(child)
    entry = db.session.get(RecordEntry, stored.record_entry_id)
    if entry is None or not seen.may_see_entry(entry):
        abort(404)
    if seen.entry_placement(entry) is not None:
        seen.record_confidential_read("report_pdf", 1, sequence=entry.sequence)
    found = chronology_pdf.pdf_for_reader(stored, reader())
    db.session.commit()
    response = Response(found.body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="report-{report.id}-version-{number}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def report_pdf_url(child_id: int, entry_id: int) -> str | None:
    """For the chronology: where an entry's signed-off report PDF is, if it has one."""
    found = chronology_pdf.version_of_entry(entry_id)
    if found is None:
        return None
    report_id, number = found
    return url_for(
        "reports.chronology_report_pdf", child_id=child_id, report_id=report_id, number=number
    )
