"""Report drafts due or overdue to share with the family: on the practitioner's case list
and, counted per lead practitioner, on the manager's team view."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, TeamFactory, UserFactory
from tests.reports.helpers import report_scene
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.working_days import add_working_days
from voice_app.extensions import db
from voice_app.replies.services import uk_today
from voice_app.reports.models import Report, ReportKind
from voice_app.reports.services import drafting, sharing
from voice_app.reports.services.due import DUE_SOON_WORKING_DAYS


def _meeting_due_soon(report: Report) -> None:
    """Move the meeting so the share-by day falls within the warning days, not yet passed."""
    child = report_child(report)
    today = uk_today()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS, str(child.nation))
    for days in range(1, 28):
        report.meeting_on = today + timedelta(days=days)
        if today <= sharing.share_by(report, child) <= soon:
            db.session.commit()
            return
    raise AssertionError("no meeting day gives a near deadline")


def report_child(report: Report):  # type: ignore[no-untyped-def]
    from voice_app.children.models import Child

    return db.session.get_one(Child, report.child_id)


def _count(page: str, name: str, key: str) -> str:
    return page.split(name, 1)[1].split(f'data-count="{key}">', 1)[1].split("<", 1)[0]


def test_due_and_overdue_shares_show_to_the_practitioner_and_the_manager(app, make_client):
    today = uk_today()
    overdue = report_scene()
    sam = overdue.practitioner
    overdue.child.lead_practitioner = sam
    overdue.report.meeting_on = today + timedelta(days=2)  # 3 working days back: passed

    due = report_scene()
    due.child.team = sam.team
    due.child.lead_practitioner = sam
    AssignmentFactory(child=due.child, user=sam)
    _meeting_due_soon(due.report)

    far = drafting.start_report(overdue.child, ReportKind.ASSESSMENT, today + timedelta(27), sam)
    shared = drafting.start_report(
        overdue.child, ReportKind.CP_REVIEW_CONFERENCE, today + timedelta(days=2), sam
    )
    drafting.record_no_words_reason(shared, "She chose not to take part.")
    sharing.share(shared, overdue.child, [overdue.account.id, overdue.other_account.id], sam)
    elsewhere = report_scene()  # another team's child, with an overdue draft
    elsewhere.report.meeting_on = today + timedelta(days=2)
    db.session.commit()

    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    listed = page.split('id="report-shares-due"', 1)[1].split("</section>", 1)[0]
    assert f"/reports/{overdue.report.id}#sharing" in listed
    assert f"/reports/{due.report.id}#sharing" in listed
    for absent in (far.id, shared.id, elsewhere.report.id):
        assert f"/reports/{absent}#sharing" not in listed
    assert listed.index(f"/reports/{overdue.report.id}") < listed.index(f"/reports/{due.report.id}")
    assert listed.count("overdue: it was due by") == 1 and listed.count("share by") == 1
    logged = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_SHARES_DUE_VIEWED)
    ).all()
    assert logged and set(logged[-1].details_dict["shown"]) == {
        f"{overdue.child.id}:{overdue.report.id}",
        f"{due.child.id}:{due.report.id}",
    }

    team = make_client(overdue.manager.email).get("/team/").get_data(as_text=True)
    assert "Report drafts overdue to share" in team and "Report drafts to share soon" in team
    assert _count(team, sam.display, "overdue_report_shares") == "1"
    assert _count(team, sam.display, "due_report_shares") == "1"

    # Shared with every family member: it leaves both lists.
    drafting.record_no_words_reason(overdue.report, "She chose not to take part.")
    sharing.share(
        overdue.report, overdue.child, [overdue.account.id, overdue.other_account.id], sam
    )
    db.session.commit()
    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    assert f"/reports/{overdue.report.id}#sharing" not in page
    team = make_client(overdue.manager.email).get("/team/").get_data(as_text=True)
    assert _count(team, sam.display, "overdue_report_shares") == "0"


def test_a_practitioner_with_nothing_due_sees_no_list(app, make_client):
    team = TeamFactory()
    someone = UserFactory(team=team)
    child = ChildFactory(team=team)
    AssignmentFactory(child=child, user=someone)
    db.session.commit()
    page = make_client(someone.email).get("/children/").get_data(as_text=True)
    assert 'id="report-shares-due"' not in page
