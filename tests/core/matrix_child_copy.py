"""Permission-matrix rows for the child's "Words and Pictures" copy of a report: the
practitioner marks and gives it, managers read it, and only the child's own device opens
it in the child's space. Family members get nothing of it."""

from __future__ import annotations

from datetime import date

from tests.core.matrix import CASE_READERS, Row, World, child_only, only
from tests.core.matrix_plans import EDITORS_POST
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.extensions import db
from voice_app.reports.child_copy import services as child_copy
from voice_app.reports.models import ReportKind, ReportSection
from voice_app.reports.services import drafting


def extend_world(world: World) -> None:
    """A report of Matrix Child whose copy, one line long, was given to the child."""
    practitioner: User = world.users["practitioner"]
    child = db.session.get_one(Child, world.child_id)
    report = drafting.start_report(
        child, ReportKind.CHILD_IN_NEED_REVIEW, date(2026, 12, 14), practitioner
    )
    line = child_copy.add_line(
        report, ReportSection.WORKING_WELL, "School is going well.", practitioner
    )
    child_copy.give(report, practitioner)
    db.session.flush()
    world.extra.update(child_copy_report=report.id, child_copy_line=line.id)


def _c(w: World) -> str:
    return f"/children/{w.child_id}/reports/{w.extra['child_copy_report']}/child-copy"


def _post(path: str, data: dict[str, str] | None = None) -> Row:
    return Row("POST", lambda w: f"{_c(w)}{path}", only(EDITORS_POST), lambda w: data or {})


ROWS: dict[str, list[Row]] = {
    "report_child_copy.show": [Row("GET", _c, only(CASE_READERS))],
    "report_child_copy.as_pdf": [Row("GET", lambda w: f"{_c(w)}/pdf", only(CASE_READERS))],
    "report_child_copy.add_line": [
        _post("/lines", {"section": "worried", "body": "Grown-ups want you safe."})
    ],
    "report_child_copy.add_item": [_post("/items", {"contribution_id": "0"})],
    "report_child_copy.remove_line": [
        Row(
            "POST",
            lambda w: f"{_c(w)}/lines/{w.extra['child_copy_line']}/remove",
            only(EDITORS_POST),
        )
    ],
    "report_child_copy.give": [_post("/give")],
    "child_space.my_reports": [Row("GET", lambda w: "/me/reports", child_only(200))],
    "child_space.my_report": [
        Row("GET", lambda w: f"/me/reports/{w.extra['child_copy_report']}", child_only(200))
    ],
    "child_space.my_report_pdf": [
        Row("GET", lambda w: f"/me/reports/{w.extra['child_copy_report']}/pdf", child_only(200))
    ],
}
