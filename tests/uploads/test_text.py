"""Control characters are refused on every text field, with a message, and nothing is stored."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

from flask_wtf import FlaskForm
from sqlalchemy import func, select

import voice_app
from tests.child_space.test_child_space import upload
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.models import Invitation
from voice_app.contributions.models import Contribution
from voice_app.core.forms import Form
from voice_app.core.text import has_control_characters
from voice_app.extensions import db

HIDDEN = "hidden character in it that cannot be saved"


def test_only_tab_and_newline_pass():
    assert not has_control_characters("line one\n\tline two\r\nthree")
    for bad in ("\x00", "\x1b[31m", "\x07", "\x7f", "\x85", "\x0b"):
        assert has_control_characters(f"hello{bad}world"), repr(bad)


def test_a_nul_byte_in_the_childs_words_is_refused_and_nothing_is_stored(family):
    _child, _sam, tablet, _made = family
    response = upload(tablet, {"kind": "text", "text": "hello\x00world"})
    assert response.status_code == 400
    assert HIDDEN in response.get_json()["error"]
    assert response.get_json()["reason"] == "control_characters"
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_a_nul_byte_in_a_staff_form_is_refused_beside_the_field(make_client):
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team)
    AssignmentFactory(child=child, user=sam)
    db.session.commit()
    browser = make_client(sam.email)
    response = browser.submit(
        f"/children/{child.id}/invitations", {"purpose": "before\x00my meeting", "days": "3"}
    )
    assert response.status_code == 200
    assert HIDDEN in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    # The same form takes the words once the hidden character is gone (and a textarea's CRLF).
    response = browser.submit(
        f"/children/{child.id}/invitations", {"purpose": "before my\r\nmeeting", "days": "3"}
    )
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


def _all_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(voice_app.__path__, "voice_app."):
        if module.name.endswith("forms"):
            import_module(module.name)
    found: list[type[FlaskForm]] = []
    pending = list(FlaskForm.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("voice_app.")]


def test_every_form_is_built_on_the_form_that_refuses_control_characters():
    forms = _all_forms()
    assert forms
    outside = [f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, Form)]
    assert outside == [], "build these on voice_app.core.forms.Form"
    assert all(inspect.isclass(f) for f in forms)
