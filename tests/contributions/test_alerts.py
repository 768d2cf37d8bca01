"""Safety alerts as practitioners meet them: one line per child, one response for all of
them, and the child's "I pressed it by mistake" beside the alert, never instead of it."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import MistakenPress, SafetyResponse
from voice_app.core.permissions import Role
from voice_app.extensions import db


@pytest.fixture
def case(make_client):
    sam = UserFactory(name="Sam Okafor")
    manager = UserFactory(team=sam.team, role=Role.MANAGER)
    maya = ChildFactory(team=sam.team, full_name="Maya Thompson", preferred_name="Maya")
    leo = ChildFactory(team=sam.team, full_name="Leo Brown")
    for child in (maya, leo):
        AssignmentFactory(child=child, user=sam)
    tablets = {}
    for child in (maya, leo):
        made = create_invitation(child, "alerts", sam, timedelta(days=1))
        db.session.commit()
        tablets[child.full_name] = make_client()
        assert tablets[child.full_name].get(f"/i/{made.token}").status_code == 302
    return {"sam": sam, "manager": manager, "maya": maya, "leo": leo, "tablets": tablets}


def press(tablet, text: str = "") -> int:
    data = {"client_id": str(uuid.uuid4()), "kind": "text", "sharing": "my_worker", "unsafe": "1"}
    if text:
        data["text"] = text
    response = tablet.submit("/me/contributions", data)
    assert response.status_code == 201
    return int(response.get_json()["id"])


def alert_lines(page: str) -> list[str]:
    return re.findall(r'<li class="alert-group">(.*?)</li>', page, flags=re.S)


def test_alerts_are_grouped_one_line_per_child(make_client, case):
    maya_tablet = case["tablets"]["Maya Thompson"]
    press(maya_tablet)
    press(maya_tablet, "My uncle shouts at night")
    press(maya_tablet, "I want to stay at Gran's")
    press(case["tablets"]["Leo Brown"])
    for who in ("sam", "manager"):
        page = make_client(case[who].email).get("/children/").get_data(as_text=True)
        lines = alert_lines(page)
        assert len(lines) == 2  # not one line per press
        (maya_line,) = [line for line in lines if "Maya Thompson" in line]
        assert "3 times, first at" in maya_line and "latest at" in maya_line
        assert "My uncle shouts at night" in maya_line
        assert "I want to stay at Gran&#39;s" in maya_line
        (leo_line,) = [line for line in lines if "Leo Brown" in line]
        assert "times" not in leo_line


def test_one_response_records_what_was_done_for_all_of_a_childs_alerts(make_client, case):
    maya = case["maya"]
    tablet = case["tablets"]["Maya Thompson"]
    first, second = press(tablet), press(tablet, "please come")
    press(case["tablets"]["Leo Brown"])
    desk = make_client(case["sam"].email)
    page = desk.get(f"/children/{maya.id}/safety-alerts").get_data(as_text=True)
    assert "2 alerts are waiting" in page and "please come" in page

    refused = desk.submit(f"/children/{maya.id}/safety-alerts", {"note": "  "})
    assert refused.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SafetyResponse)) == 0

    done = desk.submit(
        f"/children/{maya.id}/safety-alerts", {"note": "Visited Maya at school with her teacher."}
    )
    assert done.status_code == 302
    responded = db.session.scalars(select(SafetyResponse.contribution_id)).all()
    assert sorted(responded) == sorted([first, second])  # Leo's alert is still open
    lines = alert_lines(desk.get("/children/").get_data(as_text=True))
    assert len(lines) == 1 and "Leo Brown" in lines[0]
    timeline = desk.get(f"/children/{maya.id}/contributions").get_data(as_text=True)
    assert timeline.count("Visited Maya at school with her teacher.") == 2
    assert "No alert is waiting" in desk.get(f"/children/{maya.id}/safety-alerts").get_data(
        as_text=True
    )


def test_pressed_by_mistake_is_shown_beside_the_alert_and_never_cancels_it(make_client, case):
    maya = case["maya"]
    tablet = case["tablets"]["Maya Thompson"]
    pressed = press(tablet)
    said = tablet.send_json(f"/me/contributions/{pressed}/mistake", {})
    assert said.status_code == 200 and said.get_json()["id"] == pressed
    again = tablet.send_json(f"/me/contributions/{pressed}/mistake", {})
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(MistakenPress)) == 1

    desk = make_client(case["sam"].email)
    (line,) = alert_lines(desk.get("/children/").get_data(as_text=True))
    assert "Maya Thompson" in line and "The child said one press was a mistake" in line
    timeline = desk.get(f"/children/{maya.id}/contributions").get_data(as_text=True)
    assert "the child said they pressed it by mistake" in timeline
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UNSAFE_FLAG_MISTAKE)
    )


def test_only_a_press_of_the_childs_own_can_be_taken_back(make_client, case):
    tablet = case["tablets"]["Maya Thompson"]
    ordinary = tablet.submit(
        "/me/contributions", {"client_id": str(uuid.uuid4()), "kind": "text", "text": "hello"}
    ).get_json()["id"]
    assert tablet.send_json(f"/me/contributions/{ordinary}/mistake", {}).status_code == 400
    leos = press(case["tablets"]["Leo Brown"])
    assert tablet.send_json(f"/me/contributions/{leos}/mistake", {}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(MistakenPress)) == 0
