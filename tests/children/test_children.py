"""Children's records: who sees which child, the case list, creating and changing a record."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, TeamFactory, UserFactory
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import (
    AssignmentRole,
    CaseAssignment,
    Child,
    DevelopmentalBand,
    band_for_age,
)
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db


def born_years_ago(years: int) -> date:
    today = date.today()
    return today.replace(year=today.year - years) - timedelta(days=30)


def test_practitioner_sees_only_the_children_assigned_to_them(make_client):
    team = TeamFactory()
    sam = UserFactory(team=team)
    mine = ChildFactory(team=team, full_name="Maya Mine")
    ChildFactory(team=team, full_name="Other Person")
    AssignmentFactory(child=mine, user=sam)
    page = make_client(sam.email).get("/children/").get_data(as_text=True)
    assert "Maya Mine" in page
    assert "Other Person" not in page


def test_manager_sees_their_teams_children_but_not_another_teams(make_client):
    team, other = TeamFactory(), TeamFactory()
    manager = UserFactory(team=team, role=Role.MANAGER)
    ChildFactory(team=team, full_name="Team Child")
    ChildFactory(team=other, full_name="Elsewhere Child")
    page = make_client(manager.email).get("/children/").get_data(as_text=True)
    assert "Team Child" in page
    assert "Elsewhere Child" not in page


def test_an_ended_assignment_ends_access(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam, ends_at=utcnow() - timedelta(minutes=1))
    assert make_client(sam.email).get(f"/children/{child.id}").status_code == 404


def test_case_list_searches_names_and_references_and_pages(app, make_client):
    manager = UserFactory(role=Role.MANAGER)
    for n in range(30):
        ChildFactory(team=manager.team, full_name=f"Child {n:02d}", reference=f"ABC-{n:03d}")
    ChildFactory(team=manager.team, full_name="Zara Quinn", preferred_name="Zee", reference="XYZ-1")
    browser = make_client(manager.email)
    first = browser.get("/children/").get_data(as_text=True)
    assert "31 children" in first and "Page 1 of 2" in first
    assert "Child 00" in first and "Zara Quinn" not in first
    assert "Zara Quinn" in browser.get("/children/?page=2").get_data(as_text=True)
    for query in ("zara", "ZEE", "xyz-1"):
        searched = browser.submit("/children/search", {"q": query})
        # The search travels in the session: the URL it lands on names nobody.
        assert searched.status_code == 302 and searched.location == "/children/"
        found = browser.get("/children/").get_data(as_text=True)
        assert "Zara Quinn" in found and "Child 00" not in found
    browser.submit("/children/search", {"q": "nobody"})
    assert "No child you can see matches" in browser.get("/children/").get_data(as_text=True)
    browser.submit("/children/search", {"q": "nobody", "clear": "1"})
    assert "31 children" in browser.get("/children/").get_data(as_text=True)


def test_band_follows_age_and_an_override_needs_a_reason(make_client):
    assert band_for_age(4) is DevelopmentalBand.EARLY
    assert band_for_age(7) is DevelopmentalBand.EARLY
    assert band_for_age(8) is DevelopmentalBand.MIDDLE
    assert band_for_age(12) is DevelopmentalBand.MIDDLE
    assert band_for_age(13) is DevelopmentalBand.TEEN
    sam = UserFactory()
    child = ChildFactory(team=sam.team, date_of_birth=born_years_ago(14))
    AssignmentFactory(child=child, user=sam)
    browser = make_client(sam.email)
    assert "Teenager (13 and over)" in browser.get(f"/children/{child.id}").get_data(as_text=True)
    refused = browser.submit(f"/children/{child.id}/band", {"band": "middle", "reason": ""})
    page = browser.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Please say why you are choosing a different band." in page
    db.session.refresh(child)
    assert child.band_override is None
    browser.submit(
        f"/children/{child.id}/band",
        {"band": "middle", "reason": "Learning disability; prefers pictures."},
    )
    page = browser.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Middle years (about 8 to 12)" in page
    assert "Learning disability; prefers pictures." in page


def child_form(**changes: str) -> dict[str, str]:
    form = {
        "reference": "RCT-1",
        "full_name": "Amira Hassan",
        "preferred_name": "Amira",
        "date_of_birth": born_years_ago(6).isoformat(),
        "gender": "Girl",
        "ethnicity": "",
        "religion": "",
        "address": "1 High Street",
        "preferred_language": "ar",
        "communication_needs": "Speaks Arabic at home.",
        "lead_practitioner_id": "0",
    }
    form.update(changes)
    return form


def test_practitioner_creates_a_record_and_becomes_its_lead(make_client):
    sam = UserFactory()
    browser = make_client(sam.email)
    response = browser.submit("/children/new", child_form(lead_practitioner_id=str(sam.id)))
    assert response.status_code == 302
    child = db.session.scalar(select(Child).where(Child.reference == "RCT-1"))
    assert (
        child is not None and child.lead_practitioner_id == sam.id and child.team_id == sam.team_id
    )
    assert child.band(date.today()) is DevelopmentalBand.EARLY
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amira Hassan" in page and "Speaks Arabic at home." in page
    assert "Amira Hassan" in browser.get("/children/").get_data(as_text=True)
    assert db.session.scalar(
        select(CaseAssignment).where(
            CaseAssignment.child_id == child.id, CaseAssignment.role_on_case == AssignmentRole.LEAD
        )
    )


def test_bad_details_are_refused_with_messages_and_nothing_is_stored(make_client):
    sam = UserFactory()
    ChildFactory(team=sam.team, reference="TAKEN-1")
    browser = make_client(sam.email)
    future = (date.today() + timedelta(days=3)).isoformat()
    page = browser.submit("/children/new", child_form(full_name="", date_of_birth=future)).get_data(
        as_text=True
    )
    assert "Please fill this in." in page
    assert "A date of birth cannot be in the future." in page
    taken = browser.submit("/children/new", child_form(reference="TAKEN-1")).get_data(as_text=True)
    assert "Another child&#39;s record already has this reference." in taken
    assert db.session.scalar(select(Child).where(Child.full_name == "Amira Hassan")) is None


def test_editing_a_record_audits_the_changed_fields_but_not_their_values(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team, reference="RCT-9", full_name="Before Name")
    AssignmentFactory(child=child, user=sam)
    browser = make_client(sam.email)
    form = child_form(
        reference="RCT-9", full_name="After Name", date_of_birth=child.date_of_birth.isoformat()
    )
    assert browser.submit(f"/children/{child.id}/edit", form).status_code == 302
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CHILD_UPDATED)
    ).one()
    assert "full_name" in entry.details_dict["fields"]
    assert "After Name" not in entry.details
    assert "After Name" in browser.get(f"/children/{child.id}").get_data(as_text=True)


def test_family_members_are_added_with_parental_responsibility(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    browser = make_client(sam.email)
    response = browser.submit(
        f"/children/{child.id}/family/new",
        {
            "name": "Karim Haddad",
            "relationship": "father",
            "parental_responsibility": "y",
            "preferred_language": "ar",
            "interpreter_needed": "y",
            "phone": "07700 900000",
            "email": "",
        },
    )
    assert response.status_code == 302
    page = browser.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Karim Haddad" in page and "Father" in page and "needs an interpreter" in page


def test_manager_assigns_an_interpreter_only_for_a_limited_time(make_client):
    manager = UserFactory(role=Role.MANAGER)
    interpreter = UserFactory(team=manager.team, role=Role.INTERPRETER, name="Ines Interpreter")
    child = ChildFactory(team=manager.team, address="7 Secret Road")
    browser = make_client(manager.email)
    url = f"/children/{child.id}/assignments"
    refused = browser.submit(url, {"user_id": str(interpreter.id), "role_on_case": "interpreter"})
    assert "limited time" in browser.get(refused.headers["Location"]).get_data(as_text=True)
    until = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    browser.submit(
        url, {"user_id": str(interpreter.id), "role_on_case": "interpreter", "ends_at": until}
    )
    interpreter_view = (
        make_client(interpreter.email).get(f"/children/{child.id}").get_data(as_text=True)
    )
    assert child.full_name in interpreter_view
    # What an interpreter needs, not the whole record.
    assert "7 Secret Road" not in interpreter_view


def test_a_child_page_view_is_audited(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    make_client(sam.email).get(f"/children/{child.id}")
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CHILD_VIEWED)
    ).one()
    assert entry.child_id == child.id and entry.actor_id == sam.id
