"""Asking an interpreter: only interpreter accounts are offered, and report deadlines show."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.interpreting.helpers import ask, interpreter_for
from tests.record.helpers import add_contribution
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.interpreting.models import InterpretingRequest, RequestKind
from voice_app.interpreting.services.deadlines import ask_by
from voice_app.reports.models import ReportKind
from voice_app.reports.services import drafting
from voice_app.reports.services.sharing import share_by


def _family():
    practitioner = UserFactory(name="Pat Practitioner")
    child = ChildFactory(team=practitioner.team, full_name="Zofia Nowak", preferred_language="pl")
    AssignmentFactory(child=child, user=practitioner)
    FamilyMemberFactory(child=child, name="Magda Nowak", preferred_language="pl")
    interpreter = interpreter_for(child, "pl", name="Ines Interpreter")
    db.session.commit()
    return practitioner, child, interpreter


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    return found.group(1)


def test_only_interpreter_accounts_are_offered_never_the_family_or_the_child(make_client):
    practitioner, child, interpreter = _family()
    words = add_contribution(child, "Tęsknię za tatą")
    staff = make_client(practitioner.email)
    page = staff.get(f"/children/{child.id}/interpreting").get_data(as_text=True)
    offered = _select(page, "interpreter_id")
    assert "Ines Interpreter" in offered
    for person in ("Magda Nowak", "Zofia Nowak", "Pat Practitioner"):
        assert person not in offered
    form = {
        "kind": "contribution",
        "language": "pl",
        "due_on": (date.today() + timedelta(days=2)).isoformat(),
        "contribution_id": str(words.id),
    }
    # Not an interpreter, and an interpreter without the language: both refused.
    refused = staff.submit(
        f"/children/{child.id}/interpreting", {**form, "interpreter_id": str(practitioner.id)}
    )
    assert refused.status_code == 400
    assert "assigned to this child for this language" in refused.get_data(as_text=True)
    wrong = staff.submit(
        f"/children/{child.id}/interpreting",
        {**form, "language": "ro", "interpreter_id": str(interpreter.id)},
    )
    assert wrong.status_code == 400
    assert db.session.scalar(select(func.count(InterpretingRequest.id))) == 0
    made = staff.submit(
        f"/children/{child.id}/interpreting", {**form, "interpreter_id": str(interpreter.id)}
    )
    assert made.status_code == 302
    row = db.session.scalars(select(InterpretingRequest)).one()
    assert row.interpreter_id == interpreter.id and row.interpreter_label.startswith("Ines")
    assert row.contribution_id == words.id and row.language == "pl"


def test_a_session_needs_its_date_and_place(make_client):
    practitioner, child, interpreter = _family()
    staff = make_client(practitioner.email)
    form = {
        "kind": "live_session",
        "language": "pl",
        "interpreter_id": str(interpreter.id),
        "due_on": (date.today() + timedelta(days=2)).isoformat(),
    }
    assert staff.submit(f"/children/{child.id}/interpreting", form).status_code == 400
    made = staff.submit(
        f"/children/{child.id}/interpreting",
        {
            **form,
            "session_at": f"{date.today() + timedelta(days=2)}T10:30",
            "session_place": "Leeds Family Centre",
        },
    )
    assert made.status_code == 302
    client = make_client(interpreter.email)
    row = db.session.scalars(select(InterpretingRequest)).one()
    page = client.get(f"/interpreting/{row.id}").get_data(as_text=True)
    assert "Leeds Family Centre" in page and "Zofia" in page


def test_a_translation_due_after_the_share_by_date_is_flagged_when_asked_for(make_client):
    practitioner, child, interpreter = _family()
    meeting = date.today() + timedelta(days=30)
    report = drafting.start_report(child, ReportKind.CP_REVIEW_CONFERENCE, meeting, practitioner)
    db.session.commit()
    due = share_by(report, child)
    staff = make_client(practitioner.email)
    page = staff.get(f"/children/{child.id}/reports/{report.id}").get_data(as_text=True)
    # Early enough: the page says by when to ask, and warns of nothing missed.
    assert "ask an interpreter for a translation by" in page
    assert "was asked for in time" not in page
    late = staff.submit(
        f"/children/{child.id}/interpreting",
        {
            "kind": "report_draft",
            "language": "pl",
            "interpreter_id": str(interpreter.id),
            "due_on": (due + timedelta(days=1)).isoformat(),
            "report_id": str(report.id),
        },
        follow_redirects=True,
    )
    text = late.get_data(as_text=True)
    assert "would arrive after the report&#39;s share-by date" in text
    assert "Arrives after the report" in text
    page = staff.get(f"/children/{child.id}/reports/{report.id}").get_data(as_text=True)
    assert "after the share-by date" in page
    ask(
        child,
        interpreter,
        practitioner,
        RequestKind.REPORT_DRAFT,
        report_id=report.id,
        due_in=(due - date.today()).days,
    )
    page = staff.get(f"/children/{child.id}/reports/{report.id}").get_data(as_text=True)
    assert "ask an interpreter for a translation by" not in page


def test_the_report_warns_when_no_translation_was_asked_for_in_time(make_client, app):
    practitioner, child, _interpreter = _family()
    meeting = date.today() + timedelta(days=4)
    report = drafting.start_report(child, ReportKind.CP_REVIEW_CONFERENCE, meeting, practitioner)
    db.session.commit()
    assert ask_by(report, child) < date.today()
    page = make_client(practitioner.email).get(f"/children/{child.id}/reports/{report.id}")
    assert "No translation into" in page.get_data(as_text=True)
    assert "was asked for in time" in page.get_data(as_text=True)
    # A family reading English gets no such warning.
    english = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=english, user=practitioner)
    FamilyMemberFactory(child=english, preferred_language="en")
    other = drafting.start_report(english, ReportKind.CP_REVIEW_CONFERENCE, meeting, practitioner)
    db.session.commit()
    page = make_client(practitioner.email).get(f"/children/{english.id}/reports/{other.id}")
    assert "translation-deadline" not in page.get_data(as_text=True)


def test_a_live_session_has_the_childs_space_in_two_languages(make_client):
    practitioner, child, interpreter = _family()
    row = ask(
        child,
        interpreter,
        practitioner,
        RequestKind.LIVE_SESSION,
        session_at=utcnow() + timedelta(days=1),
        session_place="Leeds Family Centre",
    )
    for client, url in (
        (make_client(interpreter.email), f"/interpreting/{row.id}/two-languages"),
        (
            make_client(practitioner.email),
            f"/children/{child.id}/interpreting/{row.id}/two-languages",
        ),
    ):
        page = client.get(url).get_data(as_text=True)
        # A prompt of the child's space, in Polish beside English, on one row.
        assert re.search(r"Tylko osoba, która mi pomaga</td>\s*<td[^>]*>Only my worker</td>", page)
        assert "Who can see this?" in page and "Polish" in page
    words = add_contribution(child, "Tęsknię")
    other = ask(child, interpreter, practitioner, contribution_id=words.id)
    client = make_client(interpreter.email)
    assert client.get(f"/interpreting/{other.id}/two-languages").status_code == 404


def test_the_queue_sorts_due_open_and_done_and_another_interpreter_sees_none(make_client):
    practitioner, child, interpreter = _family()
    words = add_contribution(child, "Tęsknię")
    due = ask(child, interpreter, practitioner, contribution_id=words.id, due_in=0)
    later = ask(child, interpreter, practitioner, contribution_id=words.id, due_in=5)
    session = ask(
        child, interpreter, practitioner, RequestKind.LIVE_SESSION,
        session_at=utcnow() + timedelta(days=1), session_place="Leeds",
    )  # fmt: skip
    client = make_client(interpreter.email)
    assert client.submit(f"/interpreting/{later.id}/done").status_code == 302

    def section(page: str, heading: str) -> str:
        return page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]

    page = client.get("/interpreting").get_data(as_text=True)
    assert f"/interpreting/{due.id}" in section(page, "Due now")
    assert f"/interpreting/{session.id}" in section(page, "Open")
    assert f"/interpreting/{later.id}" in section(page, "Done")
    other = make_client(interpreter_for(child, name="Otto Other").email)
    assert "Zofia" not in other.get("/interpreting").get_data(as_text=True)
    assert other.get(f"/interpreting/{session.id}/two-languages").status_code == 404
    # An interpreter never reaches a child's requests or asks for one.
    assert client.get(f"/children/{child.id}/interpreting").status_code == 403
