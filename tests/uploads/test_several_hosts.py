"""Two app hosts, one database, one bucket: every request goes to the other host.

A load balancer sends consecutive requests wherever it likes. Sessions, CSRF tokens, the
handover to a child and its way back, the child's own session, uploads and media must all
work whichever host answers. Two real gunicorn servers share a database file, an S3 bucket
(``rclone serve s3``) and the rate-limit counter; the test's browser alternates between them.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from PIL import Image

from tests.factories import TEST_PASSWORD, AssignmentFactory, ChildFactory, UserFactory
from tests.s3_server import S3Server, start_s3_server
from tests.uploads.test_served import _free_port, _multipart
from voice_app import create_app
from voice_app.accounts.invitations import create_invitation
from voice_app.config import ROOT
from voice_app.extensions import db

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class RoundRobinBrowser:
    """One browser (one cookie jar) whose every request goes to the next host."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.hosts_used: list[int] = []
        jar = http.cookiejar.CookieJar()  # cookies are per host name, not port: shared
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        self.hosts_used.append(port)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                status, data, answer = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, data, answer = error.code, error.read(), dict(error.headers)
        found = CSRF_META.search(data.decode("utf-8", "replace"))
        if found:
            self.token = found.group(1)
        return status, data, answer

    def get(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        return self.request("GET", path)

    def submit(self, path: str, fields: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        body = urllib.parse.urlencode({"csrf_token": self.token, **fields}).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    yield from start_s3_server(tmp_path_factory.mktemp("s3-hosts"))


@pytest.fixture(scope="module")
def two_hosts(tmp_path_factory: pytest.TempPathFactory, s3: S3Server) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hosts")
    s3.bucket("hosts")
    overrides = {
        "SECRET_KEY": "two-hosts-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'app.sqlite3'}",
        "QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
        "RATELIMIT_STORAGE_URI": f"sqlitefile://{folder / 'ratelimit.sqlite3'}",
        "MEDIA_URL": "s3://hosts/media",
        "S3_ENDPOINT": s3.endpoint,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
    }
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_ACCESS_KEY_ID": s3.access_key,
        "AWS_SECRET_ACCESS_KEY": s3.secret_key,
        "AWS_REGION": "us-east-1",
    }
    app = create_app({**overrides, "INSTANCE_PATH": str(folder / "seed")})
    with app.app_context():
        upgrade()
        sam = UserFactory(name="Sam Okafor")
        child = ChildFactory(team=sam.team, preferred_name="Maya")
        AssignmentFactory(child=child, user=sam)
        token = create_invitation(child, "two hosts", sam, timedelta(days=1)).token
        seeded = {"email": sam.email, "child_id": child.id, "token": token}
        db.session.commit()
        db.engine.dispose()
    servers, ports = [], []
    for host in ("a", "b"):
        port = _free_port()
        # Each host has its own instance folder: nothing may depend on one host's disk.
        host_overrides = {**overrides, "INSTANCE_PATH": str(folder / host)}
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "--config",
                    "python:voice_app.core.gunicorn_conf",
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                    f"voice_app:create_app({host_overrides!r})",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        ports.append(port)
    try:
        for port, server in zip(ports, servers, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.3)
        yield {**seeded, "ports": ports, "folder": folder}
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _drawing() -> bytes:
    image = Image.new("RGB", (120, 90), "white")
    for x in range(10, 110):
        image.putpixel((x, 45), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_practitioner_and_a_child_work_across_two_hosts(two_hosts):
    browser = RoundRobinBrowser(two_hosts["ports"])
    child_id = two_hosts["child_id"]

    # The sign-in form comes from one host; the other checks its CSRF token and signs in.
    assert browser.get("/login")[0] == 200
    status, _body, headers = browser.submit(
        "/login", {"email": two_hosts["email"], "password": TEST_PASSWORD}
    )
    assert status == 302, "a token from host A must pass on host B"
    for _ in range(2):  # the session holds on both hosts
        status, page, _ = browser.get("/children/")
        assert status == 200 and b"Maya" in page

    # The handover starts on one host; the child's space opens on the other.
    browser.get(f"/children/{child_id}")
    status, _body, headers = browser.submit(f"/children/{child_id}/handover", {})
    assert status == 302 and headers["Location"].endswith("/me")
    status, page, _ = browser.get("/me")
    assert status == 200 and b"Maya" in page
    # While the child holds the tablet, neither host shows the case.
    for _ in range(2):
        assert browser.get("/children/")[0] == 302
    # A drawing sent to one host is served by the other, from the shared bucket.
    body, content_type = _multipart(
        {"client_id": str(uuid.uuid4()), "kind": "drawing", "sharing": "my_worker"}, _drawing()
    )
    status, answer, _ = browser.request(
        "POST",
        "/me/contributions",
        body,
        {"Content-Type": content_type, "X-CSRFToken": browser.token, "Accept": "application/json"},
    )
    assert status == 201, answer[:300]
    item = json.loads(answer)["id"]
    for _ in range(2):
        status, picture, _ = browser.get(f"/me/media/{item}/original")
        assert status == 200 and picture.startswith(b"\x89PNG")
    # The way back needs the practitioner's password, whichever host asks.
    browser.get("/me/exit")
    status, _body, headers = browser.submit("/me/exit", {"password": TEST_PASSWORD})
    assert status == 302 and headers["Location"].endswith(f"/children/{child_id}/contributions")
    assert browser.get("/children/")[0] == 200

    assert set(browser.hosts_used) == set(two_hosts["ports"])
    # Nothing was written to either host's own media or upload folders.
    for host in ("a", "b"):
        for kept in ("media", "uploads"):
            folder = two_hosts["folder"] / host / kept
            assert not folder.exists() or not any(folder.rglob("*"))


def test_a_childs_invitation_opened_on_one_host_holds_on_the_other(two_hosts):
    tablet = RoundRobinBrowser(two_hosts["ports"])
    status, _body, headers = tablet.get(f"/i/{two_hosts['token']}")
    assert status == 302 and headers["Location"].endswith("/me")
    for _ in range(3):
        status, page, _ = tablet.get("/me")
        assert status == 200 and b"Maya" in page
