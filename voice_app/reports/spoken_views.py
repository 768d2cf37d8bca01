"""The family speaks a comment on a report instead of typing it, hears it read back, and
confirms the words. Routes on the family reports' blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.contributions import services as contributions
from voice_app.contributions.labels import TRANSCRIPT_LABELS
from voice_app.extensions import db
from voice_app.family.access import family_required, signed_in
from voice_app.family.forms import ReadBackForm
from voice_app.family.permissions import FamilyPermission
from voice_app.family.sharing import own_one, record_read
from voice_app.reports import meeting_forms
from voice_app.reports.family_views import _shared_report
from voice_app.reports.family_views import bp as family_bp
from voice_app.reports.labels import LABELS
from voice_app.reports.models import ReportSection, Stance
from voice_app.reports.services import spoken
from voice_app.reports.services.drafting import ReportRefused


@family_bp.post("/<int:report_id>/spoken-comments")
@family_required(FamilyPermission.REPORT_ANSWER)
def speak_comment(report_id: int) -> Response:
    space, account = signed_in()
    report = _shared_report(account, report_id)
    form = meeting_forms.SpokenCommentForm()
    back = url_for("family_reports.show", report_id=report.id)
    if not form.validate_on_submit() or form.section.data not in {s.value for s in ReportSection}:
        flash(_("That did not work. Please try again."), "error")
        return redirect(back)
    upload = form.media.data
    try:
        row = spoken.record_spoken_comment(
            report,
            account,
            ReportSection(form.section.data),
            Stance(form.stance.data) if form.stance.data else None,
            upload.read() if upload else None,
            space.locale,
            assisted_by=space.assisted_by,
        )
    except ReportRefused as refused:
        db.session.rollback()
        for message in refused.problems.values():
            flash(message, "error")
        return redirect(f"{back}#section-{form.section.data}")
    contribution_id = row.contribution_id
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        found = own_one(account, contribution_id)
        if found is not None:
            contributions.discard_media_of(found)
        raise
    return redirect(
        url_for("family_reports.spoken_read_back", report_id=report.id, spoken_id=row.id)
    )


@family_bp.route("/<int:report_id>/spoken-comments/<int:spoken_id>", methods=["GET", "POST"])
@family_required(FamilyPermission.REPORT_ANSWER)
def spoken_read_back(report_id: int, spoken_id: int) -> Response | str:
    """'Is this what you said?': the recording, what the machine heard, and the words to
    confirm or correct; only confirmed words become the comment."""
    _space, account = signed_in()
    report = _shared_report(account, report_id)
    row = spoken.own_spoken(account, report, spoken_id)
    contribution = own_one(account, row.contribution_id) if row is not None else None
    if row is None or contribution is None or contribution.transcript is None:
        abort(404)
    transcript = contribution.transcript
    db.session.refresh(transcript)
    form = ReadBackForm(text=transcript.confirmed_text or transcript.machine_text or "")
    if form.validate_on_submit():
        try:
            spoken.confirm_spoken_comment(report, account, row, form.text.data or "")
        except ReportRefused as refused:
            db.session.rollback()
            form.text.errors = list(refused.problems.values())
        else:
            db.session.commit()
            flash(
                _("Thank you. Your words are with the social worker, as you said them."),
                "success",
            )
            return redirect(
                url_for(
                    "family_reports.show", report_id=report.id, _anchor=f"section-{row.section}"
                )
            )
    else:
        record_read(account, contribution)
        db.session.commit()
    return render_template(
        "reports/spoken_read_back.html",
        form=form,
        report=report,
        row=row,
        contribution=contribution,
        transcript=transcript,
        transcript_labels=TRANSCRIPT_LABELS,
        **LABELS,
    )


@family_bp.app_template_global()
def spoken_recording(comment_id: int) -> int | None:
    """For a report page: the recording a comment was spoken in, if it was spoken."""
    return spoken.recordings_of([comment_id]).get(comment_id)


def spoken_comment_read_backs(contribution_ids: list[int]) -> dict[int, str]:
    """For the family's list of what they gave: where each recording made as a report
    comment (and not yet sent) is checked, on that comment's read-back, where confirming it
    sends the comment. One query for the page's recordings, not one each."""
    return {
        row.contribution_id: url_for(
            "family_reports.spoken_read_back", report_id=row.report_id, spoken_id=row.id
        )
        for row in spoken.spoken_of_contributions(contribution_ids)
        if row.comment_id is None
    }
