"""SQLite transactions: staff pages read without the write lock, and write only the audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.core.db import WriteWhileReading, read_first
from voice_app.extensions import db


@pytest.fixture
def statements(app) -> Iterator[list[str]]:
    """Every BEGIN, INSERT and UPDATE the app sends, in order."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's transaction modes")
    sent: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        first = statement.split(None, 2)
        if first and first[0] in ("BEGIN", "INSERT", "UPDATE", "DELETE"):
            sent.append(" ".join(first[:2]) if first[0] == "BEGIN" else first[0])

    event.listen(db.engine, "before_cursor_execute", seen)
    yield sent
    event.remove(db.engine, "before_cursor_execute", seen)


def test_a_staff_page_reads_unlocked_and_locks_only_to_append_its_audit_entry(
    make_client, statements
):
    worker = UserFactory()
    child = ChildFactory(team=worker.team)
    AssignmentFactory(child=child, user=worker)
    db.session.commit()
    browser = make_client(worker.email)
    statements.clear()
    assert browser.get(f"/children/{child.id}").status_code == 200
    # Reads (the user, the child), the append under the lock, then the page renders unlocked.
    assert statements == ["BEGIN", "BEGIN IMMEDIATE", "INSERT", "BEGIN"], statements


def test_a_form_post_holds_the_lock_from_its_first_read(make_client, statements):
    worker = UserFactory()
    child = ChildFactory(team=worker.team)
    AssignmentFactory(child=child, user=worker)
    db.session.commit()
    browser = make_client(worker.email)
    token = browser.csrf_token()
    statements.clear()
    response = browser.post(
        f"/children/{child.id}/band",
        data={"csrf_token": token, "band": "teen", "reason": "Prefers the teen screens."},
    )
    assert response.status_code == 302
    assert statements[0] == "BEGIN IMMEDIATE" and "BEGIN" not in statements


def test_a_read_first_request_that_writes_anything_else_is_stopped(app, statements):
    child = ChildFactory()
    db.session.commit()
    with app.test_request_context(method="GET"):
        read_first(db.session)
        child.full_name = "Changed while reading"
        with pytest.raises(WriteWhileReading):
            db.session.flush()
        db.session.rollback()
