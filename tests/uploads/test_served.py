"""Uploads through a real gunicorn with the project's own settings (core/gunicorn_conf.py).

The worker timeout is cut to 5 s, so an upload that takes 8 s proves the timeout no longer
kills a slow tablet's upload; today's sync workers answered it with a 500.
"""

from __future__ import annotations

import http.client
import io
import random
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app import create_app
from voice_app.accounts.invitations import create_invitation
from voice_app.config import ROOT
from voice_app.contributions.models import Contribution
from voice_app.extensions import db

TIMEOUT = 5
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """gunicorn on 127.0.0.1 with the project's settings, a child's invitation, a tablet."""
    folder = tmp_path_factory.mktemp("served")
    overrides = {
        "INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "served-test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'app.sqlite3'}",
        "QUEUE_URL": "memory://",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
    }
    app = create_app(overrides)
    with app.app_context():
        upgrade()
        sam = UserFactory(name="Sam Okafor")
        child = ChildFactory(team=sam.team)
        AssignmentFactory(child=child, user=sam)
        token = create_invitation(child, "served", sam, timedelta(days=1)).token
        db.session.commit()
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "python:voice_app.core.gunicorn_conf",
            "--workers",
            "1",
            "--timeout",
            str(TIMEOUT),
            "--bind",
            f"127.0.0.1:{port}",
            f"voice_app:create_app({overrides!r})",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/i/{token}")
        opened = connection.getresponse()
        opened.read()
        cookie = opened.getheader("Set-Cookie", "").split(";")[0]
        connection.request("GET", "/me", headers={"Cookie": cookie})
        home = connection.getresponse()
        page = home.read().decode()
        cookie = (home.getheader("Set-Cookie") or cookie).split(";")[0]
        connection.close()
        match = CSRF_META.search(page)
        assert match, page[:500]
        yield {"app": app, "port": port, "cookie": cookie, "csrf": match.group(1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()


def _noisy_png() -> bytes:
    rng = random.Random(3)
    image = Image.frombytes("RGB", (72, 72), rng.randbytes(72 * 72 * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _multipart(fields: dict[str, str], media: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="d.png"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + media
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _head(served: dict[str, Any], length: int, content_type: str) -> bytes:
    return (
        "POST /me/contributions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{served['port']}\r\n"
        f"Cookie: {served['cookie']}\r\n"
        f"X-CSRFToken: {served['csrf']}\r\n"
        "Accept: application/json\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


def _status(sock: socket.socket) -> int:
    answer = b""
    while piece := sock.recv(65536):  # the server closes the connection after answering
        answer += piece
    assert answer, "no answer"
    return int(answer.split(b" ", 2)[1])


def _stored(served: dict[str, Any]) -> int:
    with served["app"].app_context():
        count = db.session.scalar(select(func.count()).select_from(Contribution)) or 0
        db.session.remove()
    return count


def test_an_upload_sent_at_2_kb_a_second_for_longer_than_the_timeout_is_stored(served):
    media = _noisy_png()
    fields = {"client_id": str(uuid.uuid4()), "kind": "drawing", "sharing": "my_worker"}
    body, content_type = _multipart(fields, media)
    assert len(body) > 2048 * (TIMEOUT + 2)
    before = _stored(served)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served["port"]), timeout=60) as sock:
        sock.sendall(_head(served, len(body), content_type))
        for offset in range(0, len(body), 512):  # 2 KB/s
            sock.sendall(body[offset : offset + 512])
            time.sleep(0.25)
        status = _status(sock)
    assert time.monotonic() - started > TIMEOUT + 2
    assert status == 201
    assert _stored(served) == before + 1


def test_a_body_over_the_limit_is_refused_before_it_is_read(served):
    declared = served["app"].config["MAX_CONTENT_LENGTH"] + 1
    _body, content_type = _multipart({"kind": "voice"}, b"")
    before = _stored(served)
    with socket.create_connection(("127.0.0.1", served["port"]), timeout=TIMEOUT) as sock:
        sock.sendall(_head(served, declared, content_type))
        sock.sendall(b"x" * 1024)  # of the 50 MB declared, only this is ever sent
        started = time.monotonic()
        status = _status(sock)
    assert status == 413
    assert time.monotonic() - started < TIMEOUT
    assert _stored(served) == before
