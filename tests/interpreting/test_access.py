"""What an interpreter sees: only what a request needs, only while assigned.

The record's leak scene puts markers into a confidential entry and drawing, a third-party
entry without its source's agreement, words whose consent was refused or withdrawn, and
words kept for the child's worker only. The interpreter is asked about one contribution
of their own marker, and about the confidential drawing; every interpreter page (and the
media they may fetch) is searched for every other marker.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.interpreting.helpers import ask, interpreter_for
from tests.record.helpers import add_contribution
from tests.record.test_leaks import confide, marker, scene  # noqa: F401 - the shared fixture
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import CaseAssignment
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.record.confidential import services as confidential


def _setup(scene):  # noqa: F811
    child, by = scene["child"], scene["practitioner"]
    wanted = marker("wanted")
    asked = add_contribution(child, f"Chcę mieszkać z babcią {wanted}")
    interpreter = interpreter_for(child, name="Ines Interpreter")
    plain = ask(child, interpreter, by, contribution_id=asked.id)
    # Asked for before the drawing was placed in the confidential section.
    secret = ask(child, interpreter, by, contribution_id=scene["drawing"].id)
    confide(scene)
    db.session.commit()
    return interpreter, wanted, plain, secret


def _withheld(scene) -> list[str]:  # noqa: F811
    return [*scene["secret"].values(), *scene["shown"].values(), scene["child_only"]]


def _interpreter_pages(client, rows) -> dict[str, bytes]:
    pages = {"/interpreting": client.get("/interpreting").data}
    for row in rows:
        for path in ("", "/original"):
            url = f"/interpreting/{row.id}{path}"
            pages[url] = client.get(url).data
    return pages


def test_an_interpreter_sees_only_the_requested_item_and_never_a_withheld_one(
    make_client,
    scene,  # noqa: F811
):
    interpreter, wanted, plain, secret = _setup(scene)
    client = make_client(interpreter.email)
    pages = _interpreter_pages(client, [plain, secret])
    item = pages[f"/interpreting/{plain.id}"].decode()
    assert wanted in item and "Chcę mieszkać z babcią" in item
    assert scene["child"].display_name in item
    queue = pages["/interpreting"].decode()
    assert f"/interpreting/{plain.id}" in queue and scene["child"].display_name in queue
    for name, body in pages.items():
        for hidden in _withheld(scene):
            assert hidden.encode() not in body, f"{hidden} leaked on {name}"
    # The confidential drawing was asked for, but no manager with a grant included it.
    assert "nothing here for you to see" in pages[f"/interpreting/{secret.id}"].decode()
    assert client.get(f"/interpreting/{secret.id}/original").status_code == 404
    # The rest of the case stays shut.
    child_id = scene["child"].id
    for url in (f"/children/{child_id}/contributions", f"/children/{child_id}/record"):
        assert client.get(url).status_code in (403, 404)
    viewed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.INTERPRETING_ITEM_VIEWED)
    ).all()
    assert {e.target for e in viewed} >= {f"interpreting_request:{plain.id}"}


def test_a_manager_with_a_grant_lets_a_confidential_item_through_and_it_is_audited(
    make_client,
    scene,  # noqa: F811
):
    interpreter, _wanted, _plain, secret = _setup(scene)
    manager, child = scene["manager"], scene["child"]
    office = make_client(manager.email)
    url = f"/children/{child.id}/interpreting/{secret.id}/include-confidential"
    assert office.submit(url).status_code == 403  # no grant of their own yet
    grant = confidential.grant_access(child.id, manager, "Interpreting", manager)
    db.session.commit()
    assert office.submit(url).status_code == 302
    client = make_client(interpreter.email)
    page = client.get(f"/interpreting/{secret.id}").get_data(as_text=True)
    assert scene["secret"]["b"] in page  # the drawing's caption, now included
    assert client.get(f"/interpreting/{secret.id}/original").status_code == 200
    reads = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.CONFIDENTIAL_VIEWED)
    ).all()
    assert any('"interpreting"' in (e.details or "") for e in reads)
    # Everything else withheld stays withheld.
    assert scene["secret"]["a"] not in page and scene["child_only"] not in page
    # The manager's grant ends: what they let through is shut again.
    confidential.revoke_access(grant, "Interpreting finished", manager)
    db.session.commit()
    page = client.get(f"/interpreting/{secret.id}").get_data(as_text=True)
    assert scene["secret"]["b"] not in page
    assert client.get(f"/interpreting/{secret.id}/original").status_code == 404


def test_another_interpreter_and_an_ended_assignment_see_nothing(
    make_client,
    scene,  # noqa: F811
):
    interpreter, wanted, plain, _secret = _setup(scene)
    other = interpreter_for(scene["child"], name="Otto Other")
    stranger = make_client(other.email)
    assert stranger.get(f"/interpreting/{plain.id}").status_code == 404
    assert stranger.get(f"/interpreting/{plain.id}/original").status_code == 404
    assert wanted not in stranger.get("/interpreting").get_data(as_text=True)
    assert stranger.submit(f"/interpreting/{plain.id}/done").status_code == 404

    for assignment in db.session.scalars(
        select(CaseAssignment).where(CaseAssignment.user_id == interpreter.id)
    ):
        assignment.ends_at = utcnow()
    db.session.commit()
    client = make_client(interpreter.email)
    assert client.get(f"/interpreting/{plain.id}").status_code == 404
    queue = client.get("/interpreting").get_data(as_text=True)
    assert f"/interpreting/{plain.id}" not in queue
    assert scene["child"].display_name not in queue
    response = client.submit(
        f"/interpreting/{plain.id}/translations",
        {"source": f"contribution:{plain.contribution_id}", "text": "x", "action": "confirm"},
    )
    assert response.status_code == 404
