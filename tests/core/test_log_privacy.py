"""Nothing personal in any log: names, words, addresses and searches, in use and in errors.

Markers go through the staff pages, the case-list search, the child's space, a forced
500 in an upload (a real SQL error carrying the child's words as parameters), a forced
error with the name in its message, and a failing worker job. Every log record the app,
SQLAlchemy (echo at DEBUG) and the Huey worker make is captured, and a real gunicorn
run's access and error logs are read: no marker appears in any of them.
"""

from __future__ import annotations

import http.client
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from tests.bench.common import Browser, free_port
from tests.conftest import test_config
from tests.factories import UserFactory
from tests.record.helpers import add_contribution
from voice_app import create_app
from voice_app.accounts.invitations import create_invitation
from voice_app.children.models import Child
from voice_app.config import ROOT
from voice_app.contributions import services as contribution_services
from voice_app.contributions.models import ContributionKind, Transcript, TranscriptStatus
from voice_app.core.demo import seed_demo
from voice_app.extensions import db
from voice_app.transcription import tasks as transcription_tasks

NAME = "Qzvelmarker Oakhollow"
PREFERRED = "Zibbletonk"
ADDRESS = "17 Plumquist Lane"
WORDS = "my secret is blorptangle"
SEARCH = "Qzvelmark"
MARKERS = (NAME, "Qzvelmarker", "Oakhollow", PREFERRED, ADDRESS, "Plumquist", "blorptangle", SEARCH)


def leaked(log_text: str) -> list[str]:
    return [marker for marker in MARKERS if marker.lower() in log_text.lower()]


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Each record as a handler would write it, tracebacks included, and its raw parts."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
    return "\n".join(parts)


def _fail_after_storing(original):  # type: ignore[no-untyped-def]
    """An upload that fails after its row is written: a real SQL error, the words as parameters."""

    def add_then_fail(child, submission, author):  # type: ignore[no-untyped-def]
        contribution, created = original(child, submission, author)
        db.session.execute(
            text(
                "INSERT INTO safety_responses (contribution_id, note, responded_by_id,"
                " responded_by_label, responded_at) VALUES (:c, :note, -1, :label, :at)"
            ),
            {"c": contribution.id, "note": WORDS, "label": NAME, "at": "2026-01-01 00:00:00"},
        )
        return contribution, created

    return add_then_fail


class _DeafEngine:
    def transcribe(self, path: Path, language: str | None = None, hint: str | None = None) -> None:
        raise RuntimeError(f"could not hear {WORDS} from {NAME}")


def test_no_marker_reaches_any_log_in_use_or_in_errors(app, make_client, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    # An operator who turns SQL echo on still gets no parameters and no rows.
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    sam = UserFactory()
    staff = make_client(sam.email)
    created = staff.submit(
        "/children/new",
        {
            "reference": "LEAK-0001",
            "full_name": NAME,
            "preferred_name": PREFERRED,
            "date_of_birth": "2018-04-01",
            "address": ADDRESS,
            "preferred_language": "en",
            "lead_practitioner_id": str(sam.id),
        },
    )
    assert created.status_code == 302
    child = db.session.scalar(select(Child).where(Child.reference == "LEAK-0001"))
    assert child is not None and child.address == ADDRESS
    assert staff.submit("/children/search", {"q": SEARCH}).status_code == 302
    assert NAME in staff.get("/children/").get_data(as_text=True)
    assert PREFERRED in staff.get(f"/children/{child.id}").get_data(as_text=True)
    # A search posted without its CSRF token is refused, and the refusal is logged safely.
    assert staff.post("/children/search", data={"q": SEARCH}).status_code == 400

    made = create_invitation(child, "visit", sam, timedelta(days=3))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    headers = {"X-CSRFToken": tablet.csrf_token()}
    form = {"client_id": "6b1d7e4e-0d4c-4c55-9b64-2f1f5c1e0001", "sharing": "my_worker"}
    stored = tablet.post(
        "/me/contributions", data={**form, "kind": "text", "text": WORDS}, headers=headers
    )
    assert stored.status_code == 201

    # Forced errors: a 500 in the middle of an upload, and one naming the child.
    monkeypatch.setattr(
        contribution_services,
        "add_contribution",
        _fail_after_storing(contribution_services.add_contribution),
    )
    failed = tablet.post(
        "/me/contributions",
        data={
            **form,
            "client_id": "6b1d7e4e-0d4c-4c55-9b64-2f1f5c1e0002",
            "kind": "text",
            "text": WORDS,
        },
        headers=headers,
    )
    assert failed.status_code == 500

    def refuse_to_show(found: Child) -> None:
        raise ValueError(f"cannot show {found.full_name} at {found.address}")

    monkeypatch.setattr("voice_app.children.views.services.record_child_viewed", refuse_to_show)
    assert staff.get(f"/children/{child.id}").status_code == 500

    # The worker: a transcription job that fails with the child's words in its error.
    voice = add_contribution(child, None, kind=ContributionKind.VOICE, media=b"RIFF")
    transcript = Transcript(contribution_id=voice.id, status=TranscriptStatus.QUEUED)
    db.session.add(transcript)
    db.session.commit()
    monkeypatch.setattr(transcription_tasks, "get_engine", lambda *args: _DeafEngine())
    transcription_tasks.transcribe_recording(transcript.id)
    db.session.expire_all()
    assert db.session.get_one(Transcript, transcript.id).error  # the job did fail

    logged = everything_logged(caplog)
    assert leaked(logged) == []
    # The errors and the SQL were logged — by type and place, with parameters hidden.
    assert "Unhandled error in POST child_space" in logged and "IntegrityError" in logged
    assert "Unhandled error in GET children.child_page: ValueError at" in logged
    assert "Unhandled exception in task" in logged and "RuntimeError at" in logged
    assert "INSERT INTO children" in logged and "SQL parameters hidden" in logged


def wait_until_up(port: int, deadline: float = 60) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn on port {port} did not start")


@pytest.fixture
def served_instance(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A demo database on disk, for a real gunicorn to serve."""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    served = create_app(test_config(tmp_path, url))
    with served.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.engine.dispose()
    return tmp_path, url


def test_gunicorns_access_and_error_logs_name_nobody(served_instance):
    folder, url = served_instance
    port = free_port()
    access, errors, output = folder / "access.log", folder / "error.log", folder / "stderr.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VOICE_APP_")},
        "VOICE_APP_ENV": "production",
        "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
        "VOICE_APP_DATABASE_URL": url,
        "VOICE_APP_QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "debug"),
        *("--access-logfile", str(access), "--error-logfile", str(errors)),
        "voice_app:create_app()",
    ]
    with output.open("wb") as stderr:
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=stderr, stderr=stderr, start_new_session=True
        )
        try:
            wait_until_up(port)
            sam = Browser(port)
            sam.sign_in("practitioner@demo.example", "demo-password")
            sam.search_cases(SEARCH)
            status, page, _ = sam.request("GET", "/children/")
            assert status == 200 and SEARCH.encode() in page  # the search did reach the page
            sam.search_cases(NAME)
            assert sam.request("GET", "/children/")[0] == 200
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    access_log = access.read_text()
    assert "POST /children/search" in access_log and "GET /children/ " in access_log
    every_log = access_log + errors.read_text() + output.read_text()
    assert leaked(every_log) == []
