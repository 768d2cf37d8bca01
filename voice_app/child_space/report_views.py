"""The child's "Words and Pictures" copies of their reports, on the child's space's ``bp``:
the list, one copy (read aloud like their plan), and its PDF. Every read is audited and
goes through ``reports.child_copy``, which asks ``record.disclosure``'s child reader."""

from __future__ import annotations

from flask import abort, render_template
from werkzeug.wrappers import Response

from voice_app.child_space.views import _space_and_child, bp
from voice_app.children.services import today
from voice_app.extensions import db
from voice_app.reports.child_copy import services
from voice_app.reports.child_copy.labels import CHILD_HEADINGS, CHILD_PICTURES, DEFAULT_PICTURE
from voice_app.reports.child_copy.pdf import child_copy_pdf


@bp.get("/me/reports")
def my_reports() -> str:
    _space, child = _space_and_child()
    reports = services.given_reports(child)
    return render_template(
        "child_space/reports.html", reports=reports, band=child.band(today()).value
    )


@bp.get("/me/reports/<int:report_id>")
def my_report(report_id: int) -> str:
    _space, child = _space_and_child()
    shown = services.copy_for_child(child, report_id, "page")
    if shown is None:
        abort(404)
    db.session.commit()
    return render_template(
        "child_space/report.html",
        shown=shown,
        band=child.band(today()).value,
        child_name=child.display_name,
        headings=CHILD_HEADINGS,
        pictures=CHILD_PICTURES,
        default_picture=DEFAULT_PICTURE,
    )


@bp.get("/me/reports/<int:report_id>/pdf")
def my_report_pdf(report_id: int) -> Response:
    space, child = _space_and_child()
    shown = services.copy_for_child(child, report_id, "pdf")
    if shown is None:
        abort(404)
    body = child_copy_pdf(child, shown, space.locale)
    db.session.commit()
    return Response(body, mimetype="application/pdf")
