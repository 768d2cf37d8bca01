"""Changing a report's draft: sections, analysis, decisions, the child's words, the reason
for no words, sharing with the family, answering their comments, a new version, sign-off.

No route here writes to a family member's words: their comments and final views are only
ever read by staff.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice_app.core.forms import choice_list
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.record.lookup import child_or_404, reader
from voice_app.reports import forms
from voice_app.reports.models import WRITTEN, AnswerOutcome, PointKind, ReportComment, ReportSection
from voice_app.reports.services import answers, drafting, sharing, signing, voices
from voice_app.reports.views import report_or_404

bp = Blueprint("report_editing", __name__, url_prefix="/children")

BASE = "/<int:child_id>/reports/<int:report_id>"


def _back(child_id: int, report_id: int, anchor: str) -> Response:
    return redirect(url_for("reports.show", child_id=child_id, report_id=report_id, _anchor=anchor))


def _refused(refused: drafting.ReportRefused) -> None:
    db.session.rollback()
    for message in refused.problems.values():
        flash(message, "error")


@bp.post(BASE + "/sections/<section>")
@require(Permission.REPORT_EDIT)
def write_section(child_id: int, report_id: int, section: str) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    if section not in {s.value for s in WRITTEN}:
        abort(404)
    form = forms.SectionForm()
    if form.validate_on_submit():
        try:
            drafting.write_section(report, ReportSection(section), form.body.data, reader())
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return _back(child.id, report.id, f"section-{section}")


@bp.post(BASE + "/points")
@require(Permission.REPORT_EDIT)
def add_point(child_id: int, report_id: int) -> Response | str:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = forms.PointForm()
    if form.validate_on_submit():
        try:
            drafting.add_point(
                report, PointKind(form.kind.data), form.body.data, form.entries.data, reader()
            )
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("The point is added."), "success")
    else:
        flash(
            _("Please write the point and say whether it is fact, opinion or judgement."), "error"
        )
    return _back(child.id, report.id, "section-analysis")


@bp.post(BASE + "/decisions")
@require(Permission.REPORT_EDIT)
def add_decision(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = forms.DecisionForm()
    if form.validate_on_submit():
        draft = drafting.DecisionDraft(form.body.data, form.decided_by.data, form.reasons.data)
        try:
            drafting.add_decision(report, draft)
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("The recommendation is added."), "success")
    return _back(child.id, report.id, "section-recommendations")


@bp.post(BASE + "/words")
@require(Permission.REPORT_EDIT)
def choose_words(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = forms.WordsForm()
    if form.validate_on_submit():
        assert form.contribution_id.data is not None
        try:
            voices.choose_words(report, form.contribution_id.data, form.caption.data)
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("The child's words are in the report, as they gave them."), "success")
    return _back(child.id, report.id, "section-child_views")


@bp.post(BASE + "/no-words")
@require(Permission.REPORT_EDIT)
def no_words(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = forms.NoWordsForm()
    if form.validate_on_submit():
        try:
            drafting.record_no_words_reason(report, form.reason.data)
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return _back(child.id, report.id, "section-child_views")


@bp.post(BASE + "/share")
@require(Permission.REPORT_EDIT)
def share(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    form = forms.ShareForm()
    form.accounts.choices = choice_list(
        {a.id: a.family_member.name for a in sharing.family_accounts(child.id)}
    )
    if form.validate_on_submit():
        try:
            sharing.share(report, child, list(form.accounts.data or []), reader())
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("The draft is shared. It shows in their family space."), "success")
    else:
        flash(_("Please choose who to share the draft with."), "error")
    return _back(child.id, report.id, "sharing")


@bp.post(BASE + "/comments/<int:comment_id>/answer")
@require(Permission.REPORT_EDIT)
def answer(child_id: int, report_id: int, comment_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    comment = db.session.get(ReportComment, comment_id)
    if comment is None or comment.version_id not in {v.id for v in report.versions}:
        abort(404)
    form = forms.AnswerForm()
    if form.validate_on_submit():
        try:
            answers.answer(
                report, comment, AnswerOutcome(form.outcome.data), form.body.data, reader()
            )
        except drafting.ReportRefused as refused:
            _refused(refused)
        else:
            db.session.commit()
            flash(_("Your answer is saved. The family sees it in their space."), "success")
    return _back(child.id, report.id, f"comment-{comment.id}")


@bp.post(BASE + "/versions")
@require(Permission.REPORT_EDIT)
def new_version(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    if drafting.draft_of(report) is not None:
        flash(_("The draft is still open: keep writing it."), "error")
    else:
        drafting.new_version(report)
        db.session.commit()
        flash(_("A new version is started as a copy of the signed-off one."), "success")
    return _back(child.id, report.id, "top")


@bp.post(BASE + "/sign-off")
@require(Permission.REPORT_SIGN_OFF)
def sign_off(child_id: int, report_id: int) -> Response:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    try:
        signing.sign_off(report, reader())
    except drafting.ReportRefused as refused:
        _refused(refused)
    else:
        db.session.commit()
        flash(_("The report is signed off and in the chronology."), "success")
    return _back(child.id, report.id, "top")
