"""After a purge nothing personal is left: not in any table, not in the audit chain, and
on SQLite not in the database file or its write-ahead log either."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.conftest import uploads_waiting
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from tests.record.helpers import add_contribution, add_entry
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions import upload_sessions
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db

MARKERS = ("Qzxname", "Qzxpref", "Qzxaddr", "Qzxwords", "Qzxnote", "Qzxsummary")


def every_row_as_text() -> str:
    dumped = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            dumped.append(repr(tuple(row)))
    return "\n".join(dumped)


def test_a_case_list_search_is_audited_without_its_words(make_client):
    worker = UserFactory()
    child = ChildFactory(team=worker.team, full_name="Maya Qzxsearch")
    AssignmentFactory(child=child, user=worker)
    db.session.commit()
    browser = make_client(worker.email)
    browser.submit("/children/search", {"q": "Qzxsearch"})
    assert "Maya Qzxsearch" in browser.get("/children/").get_data(as_text=True)
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == AuditAction.CASE_LIST_VIEWED)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None
    assert "qzxsearch" not in repr(entry.details).lower()
    details = json.loads(entry.details) if isinstance(entry.details, str) else entry.details
    assert details["searched"] is True and child.id in details["shown"]


def test_after_a_purge_no_marker_is_in_any_table_or_the_sqlite_files(
    app, make_client, runner, database_url
):
    worker = UserFactory(name="Sam Okafor")
    manager = UserFactory(team=worker.team, role=Role.MANAGER)
    child = ChildFactory(
        team=worker.team,
        full_name="Maya Qzxname",
        preferred_name="Qzxpref",
        address="1 Qzxaddr Lane",
    )
    AssignmentFactory(child=child, user=worker)
    add_entry(child, worker, "visit note Qzxnote")
    add_contribution(child, "I said Qzxwords")
    db.session.commit()
    # A recording still arriving in chunks when the record is destroyed goes with it.
    arriving = upload_sessions.begin(child.id, str(uuid.uuid4()), 10, "0" * 64, 100)
    upload_sessions.add_chunk(arriving, 0, b"Qzxchunk")
    assert arriving.prefix in uploads_waiting()
    for browser in (make_client(worker.email), make_client(manager.email)):
        for words in ("Qzxname", "Qzxpref"):
            browser.submit("/children/search", {"q": words})
            assert "Maya Qzxname" in browser.get("/children/").get_data(as_text=True)
    child.closed_at, child.closed_by_id = utcnow() - timedelta(days=3000), manager.id
    child.closing_summary = "Closed. Qzxsummary"
    child.destroy_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    assert "Qzxname" in every_row_as_text()  # the check below can find what it looks for

    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    dumped = every_row_as_text()
    for marker in MARKERS:
        assert marker.lower() not in dumped.lower(), marker
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert "uploads_in_progress 1" in result.output
    assert not any(item.startswith(f"{child.id}/") for item in uploads_waiting())

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return
    db.session.commit()
    path = Path(url.database or "")
    files = [p for p in (path, Path(f"{path}-wal")) if p.exists()]
    assert path in files
    for file in files:
        data = file.read_bytes()
        for marker in MARKERS:
            assert marker.encode() not in data, (file.name, marker)


def test_the_managers_audit_page_shows_the_tombstone_without_the_name(make_client, runner):
    worker = UserFactory()
    manager = UserFactory(team=worker.team, role=Role.MANAGER)
    child = ChildFactory(team=worker.team, full_name="Maya Qzxtomb")
    AssignmentFactory(child=child, user=worker)
    add_contribution(child, "words", media=b"drawing")
    db.session.commit()
    reference = child.reference
    browser = make_client(worker.email)
    closed = browser.submit(f"/children/{child.id}/close", {"summary": "Support ended."})
    assert closed.status_code == 302
    db.session.expire_all()
    child.destroy_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    assert runner.invoke(args=["records", "purge-expired"]).exit_code == 0
    page = make_client(manager.email).get("/audit/").get_data(as_text=True)
    row = page[page.index('class="audit-tombstone"') :]
    row = row[: row.index("</tr>")]
    assert reference in row
    assert "A record was destroyed at the end of its retention period" in row
    assert "Policy: 6 years after closure or until age 25, whichever is later" in row
    assert "2 rows and 2 files destroyed." in row  # contribution, assignment; drawing, thumbnail
    assert "Qzxtomb" not in page
    # Another team's manager does not see it.
    other = UserFactory(role=Role.MANAGER)
    assert reference not in make_client(other.email).get("/audit/").get_data(as_text=True)
