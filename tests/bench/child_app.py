"""The child's side of the app path in the transcription benchmark: upload, poll, timings."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.common import ROOT, Browser

#: Per recording sent through the app: seconds in each stage (see ``app_path``).
STAGES: list[dict[str, float]] = []
#: How often the child's page asks whether the draft is ready (static/js/child_space/things.js).
POLL = 1.5


class ChildBrowser(Browser):
    """A child's tablet: opens an invitation, sends contributions, reads transcripts."""

    def open_invitation(self, token: str) -> None:
        self.request("GET", f"/i/{token}")
        _status, page, _headers = self.request("GET", "/me")
        self.read_token(page)

    def upload(
        self, fields: dict[str, str], media: bytes | None = None, filename: str = "voice.wav"
    ) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        if media is not None:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + media
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, data, _ = self.request(
            "POST",
            "/me/contributions",
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-CSRFToken": self.token,
            },
        )
        # An error page is HTML: the caller sees the status and an empty body.
        return status, json.loads(data) if status < 300 and data else {}

    def transcript(self, contribution_id: int) -> dict:
        """The transcript as the page sees it; empty (ask again) when the page errs."""
        status, data, _ = self.request("GET", f"/me/contributions/{contribution_id}")
        if status != 200:
            print(f"  transcript status answered {status}")
            return {}
        return json.loads(data)["transcript"] or {}


def prepare_instance(folder: Path, env: dict[str, str]) -> str:
    """Migrate, seed the demo, and make an invitation for Maya; returns its link token."""
    script = (
        "from datetime import timedelta\n"
        "from flask_migrate import upgrade\n"
        "from voice_app import create_app\n"
        "from voice_app.accounts.invitations import create_invitation\n"
        "from voice_app.accounts.models import User\n"
        "from voice_app.children.models import Child\n"
        "from voice_app.core.demo import seed_demo\n"
        "from voice_app.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        "    seed_demo()\n"
        "    child = db.session.query(Child).filter_by(preferred_name='Maya').one()\n"
        "    sam = db.session.query(User).filter_by(email='practitioner@demo.example').one()\n"
        "    made = create_invitation(child, 'bench', sam, timedelta(days=1))\n"
        "    db.session.commit()\n"
        "    print(made.token)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.stdout.strip().splitlines()[-1]


def app_path(browser: ChildBrowser, clip: bytes, database: Path, poll: float = POLL) -> float:
    """Seconds from sending a recording to its draft transcript being stored.

    The end is the transcript's own ``finished_at`` as the worker stored it, read from the
    database, so the page's polling interval does not count; the page polls as often as
    the child's page does (``POLL``).
    """
    started = time.time()
    return finish(browser, send(browser, clip), database, started, poll)


def send(browser: ChildBrowser, clip: bytes) -> int:
    """Upload a recording as the child's page does; returns the contribution's id."""
    status, body = browser.upload(
        {"client_id": str(uuid.uuid4()), "kind": "voice", "sharing": "my_worker"}, clip
    )
    if status != 201:
        raise RuntimeError(f"upload refused: {status} {body}")
    return int(body["id"])


def finish(
    browser: ChildBrowser, item: int, database: Path, started: float, poll: float = POLL
) -> float:
    """Wait for the draft as the page does; seconds from ``started`` to its ``finished_at``."""
    while (status := browser.transcript(item).get("status")) not in ("draft", "failed"):
        time.sleep(poll)
    if status == "failed":
        raise RuntimeError(f"transcription failed: see {database.parent / 'worker.log'}")
    with sqlite3.connect(database) as connection:
        queued, began, finished, engine = connection.execute(
            "SELECT queued_at, started_at, finished_at, seconds_taken FROM transcripts"
            " WHERE contribution_id = ?",
            (item,),
        ).fetchone()
    at = {
        name: datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
        for name, value in (("queued", queued), ("began", began), ("finished", finished))
    }
    # Where the time beyond the engine goes, for the summary.
    STAGES.append(
        {
            "upload": at["queued"] - started,
            "queue": at["began"] - at["queued"],
            "engine": engine,
            "around engine": at["finished"] - at["began"] - engine,
        }
    )
    return at["finished"] - started
