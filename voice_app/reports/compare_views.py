"""Comparing two versions of a report side by side: for staff, and for a family member
over the versions they were given. Routes on the reports' and family reports' blueprints.
"""

from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from voice_app.children.services import get_child
from voice_app.core.permissions import Permission, require
from voice_app.extensions import db
from voice_app.family.access import family_required, signed_in
from voice_app.family.permissions import FamilyPermission
from voice_app.record.disclosure import Reader
from voice_app.record.lookup import child_or_404, reader
from voice_app.reports import compare
from voice_app.reports.family_views import _shared_report
from voice_app.reports.family_views import bp as family_bp
from voice_app.reports.labels import LABELS
from voice_app.reports.models import ReportVersion
from voice_app.reports.services import reading
from voice_app.reports.services.voices import MEETING, Readers
from voice_app.reports.views import bp, report_or_404


def _pair(versions: list[ReportVersion]) -> tuple[ReportVersion, ReportVersion] | None:
    """The two versions the query names (``old``, ``new`` numbers), by default the two
    newest; None when there is only one. A number not in ``versions`` is a 404."""
    by_number = {v.number: v for v in versions}
    asked = [request.args.get(key, type=int) for key in ("old", "new")]
    if any(n is not None and n not in by_number for n in asked):
        abort(404)
    if len(versions) < 2:
        return None
    old_n = asked[0] or versions[-2].number
    new_n = asked[1] or versions[-1].number
    return by_number[old_n], by_number[new_n]


@bp.get("/<int:child_id>/reports/<int:report_id>/compare")
@require(Permission.REPORT_READ)
def compare_versions(child_id: int, report_id: int) -> str:
    child = child_or_404(child_id)
    report = report_or_404(child, report_id)
    versions = list(report.versions)
    pair = _pair(versions)
    changes: list[compare.SectionChange] = []
    if pair is not None:
        me = Reader.staff(reader())
        old, new = (reading.shown_report(report, v, me, MEETING) for v in pair)
        changes = compare.compare(old, new)
        compare.record_compared(report, pair[0], pair[1])
    db.session.commit()
    return render_template(
        "reports/compare.html",
        layout="base.html",
        child_name=child.full_name,
        report=report,
        versions=versions,
        pair=pair,
        changes=changes,
        back=("reports.show", {"child_id": child.id, "report_id": report.id}),
        here=("reports.compare_versions", {"child_id": child.id, "report_id": report.id}),
        **LABELS,
    )


@family_bp.get("/<int:report_id>/compare")
@family_required(FamilyPermission.REPORT_READ)
def compare_versions_for_family(report_id: int) -> Response | str:
    _space, account = signed_in()
    report = _shared_report(account, report_id)
    versions = compare.family_versions(account, report)
    pair = _pair(versions)
    changes: list[compare.SectionChange] = []
    if pair is not None:
        member = account.family_member_id
        readers = Readers(family=True, family_member_id=member)
        old, new = (
            reading.shown_report(report, v, Reader.family(member), readers, all_comments=False)
            for v in pair
        )
        changes = compare.compare(old, new)
        compare.record_compared(report, pair[0], pair[1], family=True)
    child = get_child(account.child_id)
    db.session.commit()
    return render_template(
        "reports/compare.html",
        layout="family/layout.html",
        child_name=child.display_name if child else "",
        report=report,
        versions=versions,
        pair=pair,
        changes=changes,
        back=("family_reports.show", {"report_id": report.id}),
        here=("family_reports.compare_versions_for_family", {"report_id": report.id}),
        **LABELS,
    )
