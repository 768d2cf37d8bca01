"""An administrator sets the languages each interpreter works in, on a page: the ticks
decide who practitioners can ask, every change is audited, and nobody else may do it."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.interpreting.helpers import interpreter_for
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import AssignmentRole
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.interpreting.services.requests import interpreters_for, languages_of


def _offered(page: str) -> list[str]:
    """The interpreters a practitioner's request form offers, as its options read."""
    select_html = re.search(r'<select[^>]*name="interpreter_id".*?</select>', page, re.S)
    assert select_html, "no interpreter choice on the request form"
    return re.findall(r"<option[^>]*>([^<]+)</option>", select_html.group(0))


def test_the_administrators_ticks_decide_who_can_be_asked(make_client):
    admin = UserFactory(role=Role.ADMIN)
    practitioner = UserFactory(name="Pat Practitioner")
    child = ChildFactory(team=practitioner.team, preferred_language="so")
    AssignmentFactory(child=child, user=practitioner)
    ines = UserFactory(
        team=child.team, role=Role.INTERPRETER, name="Ines Abdi", post_title="Interpreter"
    )
    AssignmentFactory(
        child=child,
        user=ines,
        role_on_case=AssignmentRole.INTERPRETER,
        ends_at=utcnow() + timedelta(days=30),
    )
    db.session.commit()
    assert interpreters_for(child, "so") == []

    browser = make_client(admin.email)
    overview = browser.get("/admin/interpreters").get_data(as_text=True)
    assert "Ines Abdi" in overview and "None yet: nobody can ask them for anything." in overview
    form = browser.get(f"/admin/interpreters/{ines.id}").get_data(as_text=True)
    ticks = re.findall(r'<input[^>]*name="languages"[^>]*type="checkbox"[^>]*value="(\w+)"', form)
    assert "so" in ticks and "ar" in ticks and "en" not in ticks and len(ticks) == 11

    saved = browser.submit(f"/admin/interpreters/{ines.id}", {"languages": ["so", "ar"]})
    assert saved.status_code == 302
    assert languages_of([ines.id]) == {ines.id: ["ar", "so"]}
    overview = browser.get("/admin/interpreters").get_data(as_text=True)
    assert "Somali" in overview and "Arabic" in overview
    # The practitioner's request form now offers Ines, for Arabic and Somali.
    pat = make_client(practitioner.email)
    asking = pat.get(f"/children/{child.id}/interpreting").get_data(as_text=True)
    assert [o for o in _offered(asking) if "Ines Abdi" in o] == [
        "Ines Abdi, Interpreter (Arabic, Somali)"
    ]
    assert [u.id for u in interpreters_for(child, "so")] == [ines.id]

    # Untick Somali, add Persian by its code: Ines is no longer offered for Somali.
    browser.submit(f"/admin/interpreters/{ines.id}", {"languages": ["ar"], "other": "FA"})
    assert languages_of([ines.id]) == {ines.id: ["ar", "fa"]}
    assert interpreters_for(child, "so") == []
    asking = pat.get(f"/children/{child.id}/interpreting").get_data(as_text=True)
    assert [o for o in _offered(asking) if "Ines Abdi" in o] == [
        "Ines Abdi, Interpreter (Arabic, Persian)"
    ]

    changes = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == AuditAction.USER_UPDATED, AuditEntry.target == f"user:{ines.id}"
        )
        .order_by(AuditEntry.id)
    ).all()
    assert [json.loads(e.details) for e in changes] == [
        {"fields": ["languages"], "languages_added": ["ar", "so"], "languages_removed": []},
        {"fields": ["languages"], "languages_added": ["fa"], "languages_removed": ["so"]},
    ]
    assert {e.actor_id for e in changes} == {admin.id}


def test_a_language_code_nobody_knows_is_refused_and_nothing_changes(make_client):
    child = ChildFactory()
    ines = interpreter_for(child, "pl")
    browser = make_client(UserFactory(role=Role.ADMIN).email)
    for typed in ("xx", "english", "en", "p1"):
        page = browser.submit(f"/admin/interpreters/{ines.id}", {"languages": [], "other": typed})
        assert page.status_code == 200
        assert "Please give a language code such as fa, ku or ti." in page.get_data(as_text=True)
    # A tick that is not on the form is refused too.
    page = browser.submit(f"/admin/interpreters/{ines.id}", {"languages": ["zz"]})
    assert page.status_code == 200
    assert languages_of([ines.id]) == {ines.id: ["pl"]}


def test_only_interpreter_accounts_have_a_languages_page(make_client):
    practitioner = UserFactory()
    browser = make_client(UserFactory(role=Role.ADMIN).email)
    assert browser.get(f"/admin/interpreters/{practitioner.id}").status_code == 404
    assert browser.submit(f"/admin/interpreters/{practitioner.id}", {}).status_code == 404
    assert browser.get("/admin/interpreters/999999").status_code == 404


def test_the_form_needs_its_csrf_token(make_client):
    child = ChildFactory()
    ines = interpreter_for(child, "pl")
    browser = make_client(UserFactory(role=Role.ADMIN).email)
    refused = browser.post(f"/admin/interpreters/{ines.id}", data={"languages": ["ar"]})
    assert refused.status_code == 400
    assert languages_of([ines.id]) == {ines.id: ["pl"]}


def test_a_manager_cannot_set_an_interpreters_languages(make_client):
    child = ChildFactory()
    ines = interpreter_for(child, "pl")
    manager = UserFactory(role=Role.MANAGER, team=child.team)
    browser = make_client(manager.email)
    assert browser.get("/admin/interpreters").status_code == 403
    assert (
        browser.submit(f"/admin/interpreters/{ines.id}", {"languages": ["ar"]}).status_code == 403
    )
    assert languages_of([ines.id]) == {ines.id: ["pl"]}
