"""Symbols mode: on for the early band, set for any child from their communication needs,
with OpenMoji pictures on every question, credited on the "about" page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.child_space.symbols import SERVED, SYMBOLS, missing
from voice_app.children.models import Child
from voice_app.extensions import db


def open_space(make_client, age: int, uses_symbols: bool | None):
    sam = UserFactory()
    child = ChildFactory(
        team=sam.team,
        date_of_birth=date.today() - timedelta(days=365 * age + 40),
        uses_symbols=uses_symbols,
    )
    AssignmentFactory(child=child, user=sam)
    made = create_invitation(child, "symbols", sam, timedelta(days=1))
    db.session.commit()
    device = make_client()
    device.get(f"/i/{made.token}")
    return device.get("/me").get_data(as_text=True)


@pytest.mark.parametrize(
    ("age", "uses_symbols", "on"),
    [(5, None, True), (10, None, False), (10, True, True), (15, True, True), (5, False, False)],
)
def test_symbols_mode_follows_the_band_unless_set_for_the_child(make_client, age, uses_symbols, on):
    page = open_space(make_client, age, uses_symbols)
    body_class = re.search(r'<body class="([^"]*)"', page)
    assert body_class is not None
    assert ("cs-symbols" in body_class.group(1).split()) is on
    assert f'data-symbols="{"true" if on else "false"}"' in page


def test_every_question_carries_its_picture(make_client):
    page = open_space(make_client, 5, None)
    for name in ("voice", "drawing", "feeling", "text", "hello", "sharing", "unsafe"):
        assert f"/static/img/openmoji/{SYMBOLS[name]}.svg" in page, name


def test_the_pictures_are_installed_and_served(client):
    assert missing() == []
    assert (SERVED / "LICENSE.txt").exists()
    picture = client.get(f"/static/img/openmoji/{SYMBOLS['hello']}.svg")
    assert picture.status_code == 200 and b"<svg" in picture.data
    picture.close()


def test_a_practitioner_sets_symbols_mode_from_the_childs_communication_needs(make_client):
    sam = UserFactory()
    child = ChildFactory(team=sam.team, full_name="Jo Bloggs")
    AssignmentFactory(child=child, user=sam)
    db.session.commit()
    browser = make_client(sam.email)
    form = browser.get(f"/children/{child.id}/edit").get_data(as_text=True)
    assert 'name="uses_symbols"' in form
    sent = browser.submit(
        f"/children/{child.id}/edit",
        {
            "reference": child.reference,
            "full_name": child.full_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "preferred_language": "en",
            "communication_needs": "Prefers pictures; uses symbols.",
            "uses_symbols": "yes",
            "nation": "england_wales",
            "lead_practitioner_id": "0",
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[-2000:]
    db.session.expire_all()
    saved = db.session.get(Child, child.id)
    assert saved is not None and saved.uses_symbols is True
    page = browser.get(f"/children/{child.id}").get_data(as_text=True)
    assert "On: pictures first" in page
