"""A child's open "I don't feel safe" alerts in one place, and one response for all of them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import Select
from werkzeug.wrappers import Response

from voice_app.children.lookup import child_or_404, reader
from voice_app.children.models import Child
from voice_app.children.services import visible_child_ids
from voice_app.contributions import alerts
from voice_app.contributions.forms import SafetyResponseForm
from voice_app.contributions.services import SubmissionRejected
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.record.disclosure import alert_groups
from voice_app.record.disclosure.alerts import open_alerts_stmt

bp = Blueprint("alerts", __name__, url_prefix="/children")


def _child_ids(child_id: int) -> Select[int]:
    return visible_child_ids(reader()).where(Child.id == child_id)


@bp.get("/<int:child_id>/safety-alerts")
@require(Permission.CASE_READ)
def child_alerts(child_id: int) -> str:
    """Every open alert of the child, with what they said where the reader may see it."""
    child = child_or_404(child_id)
    groups = alert_groups(reader(), _child_ids(child.id))
    db.session.commit()
    return render_template(
        "contributions/alerts.html",
        child=child,
        group=groups[0] if groups else None,
        form=SafetyResponseForm(),
    )


@bp.post("/<int:child_id>/safety-alerts")
@require(Permission.CASE_EDIT)
def respond_to_alerts(child_id: int) -> Response:
    """Record what was done, once, for every alert of the child still open."""
    child = child_or_404(child_id)
    form = SafetyResponseForm()
    if not form.validate_on_submit():
        flash(_("Please say what was done, and by whom."), "error")
        return redirect(url_for("alerts.child_alerts", child_id=child.id))
    open_now = db.session.scalars(open_alerts_stmt(_child_ids(child.id))).all()
    try:
        alerts.respond_to_all(open_now, form.note.data or "", reader())
    except SubmissionRejected as rejected:
        db.session.rollback()
        flash(rejected.message, "error")
        return redirect(url_for("alerts.child_alerts", child_id=child.id))
    db.session.commit()
    flash(_("What was done is recorded, and the alert has left the case list."), "success")
    return redirect(url_for("children.case_list"))
