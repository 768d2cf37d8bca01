"""``make loadtest``: 50 tablets and 20 staff against the scaled set-up, then the default.

Each simulated tablet does what a child does, over and over: opens their space, sends a
20 s voice clip, two drawings and some words (each item with its own client id, resent
after any failure until it is acknowledged, as the outbox does), polls the transcript and
confirms it. Staff clients browse case lists, timelines and chronologies. Half-way through,
one app host is killed (SIGKILL) and started again 5 s later.

The scaled set-up is two gunicorn hosts behind nginx (round robin), two workers, the local
PostgreSQL and Redis, and media in an S3 bucket (``rclone serve s3``). The default is one
host on SQLite with media in a folder, under the same load and the same kill. Prints, for
each: items sent / stored / lost / duplicated, transcripts finished, answers by status,
p50/p95 of upload acknowledgements and of staff pages. Loopback only; bounded by
``LOADTEST_SECONDS`` (300), ``LOADTEST_TABLETS`` (50) and ``LOADTEST_STAFF`` (20);
``LOADTEST_ONLY=scaled`` (or ``single``) runs one set-up.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import create_engine, text

from tests.bench.common import BIN, ROOT, Browser, free_port, p95, wait_until_up
from tests.s3_server import start_s3_server

SECONDS = float(os.environ.get("LOADTEST_SECONDS", "300"))
TABLETS = int(os.environ.get("LOADTEST_TABLETS", "50"))
STAFF = int(os.environ.get("LOADTEST_STAFF", "20"))
#: After the load stops, how long tablets go on resending what is not yet acknowledged.
GRACE = 90.0
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/voice_loadtest"
REDIS = os.environ.get("LOADTEST_REDIS", "redis://127.0.0.1:6379")
TARGETS = {"lost": 0, "duplicated": 0, "staff_p95_ms": 200.0}
#: Every host's and worker's own output, kept so a 500 can be traced to its cause.
LOG_DIR = Path(os.environ.get("LOADTEST_LOG_DIR") or tempfile.mkdtemp(prefix="loadtest-logs-"))
LOG_DIR.mkdir(parents=True, exist_ok=True)
#: The folder of the run going on now (one per set-up, under LOG_DIR).
_run_logs = [LOG_DIR]


class Results:
    """What every simulated client saw, gathered under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: set[str] = set()
        self.acknowledged: set[str] = set()
        self.statuses: Counter[str] = Counter()
        self.upload_ms: list[float] = []
        self.staff_ms: list[float] = []

    def saw(self, status: int | str) -> None:
        with self.lock:
            self.statuses[str(status)] += 1


def _host(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "--config",
        "python:voice_app.core.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "voice_app:create_app()",
    ]
    with (_run_logs[0] / f"host-{port}.log").open("ab") as log:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _process(stack: ExitStack, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    name = Path(command[0]).name
    logs = _run_logs[0]
    with (logs / f"{name}-{len(list(logs.iterdir()))}.log").open("ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack.callback(_stop, process)
    return process


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def _seed(env: dict[str, str]) -> dict[str, Any]:
    """Migrate, seed the demo and one invited child per tablet, led by the demo practitioner."""
    script = f"""
import json
from datetime import date, timedelta
from flask_migrate import upgrade
from voice_app import create_app
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.core.demo import seed_demo
from voice_app.extensions import db
app = create_app()
with app.app_context():
    upgrade()
    seed_demo()
    sam = db.session.query(User).filter_by(email="practitioner@demo.example").one()
    tokens, ids = [], []
    for n in range({TABLETS}):
        child = Child(reference=f"LOAD-{{n:03d}}", full_name=f"Load Child {{n:03d}}",
                      date_of_birth=date(2015, 1 + n % 12, 1 + n % 28), preferred_language="en",
                      team_id=sam.team_id, lead_practitioner_id=sam.id)
        db.session.add(child)
        db.session.flush()
        tokens.append(create_invitation(child, "load test", sam, timedelta(days=1)).token)
        ids.append(child.id)
    db.session.commit()
    print(json.dumps({{"tokens": tokens, "child_ids": ids}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _clip(folder: Path) -> bytes:
    words = "I would like to stay with my grandma because she is kind and she listens. " * 8
    raw, clip = folder / "raw.wav", folder / "clip.wav"
    subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "120", "-w", str(raw), words], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", str(clip), "trim", "0", "20"], check=True
    )
    return clip.read_bytes()


def _drawing(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (1024, 768), "white")
    pen = ImageDraw.Draw(image)
    for _ in range(30):
        points = [(rng.randrange(1024), rng.randrange(768)) for _ in range(3)]
        pen.line(points, fill=(rng.randrange(256), 40, 120), width=rng.randrange(4, 18))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _multipart(fields: dict[str, str], media: bytes | None, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    if media is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + media
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _tablet(
    port: int, token: str, clip: bytes, drawings: list[bytes], stop_at: float, results: Results
) -> None:
    """One child's tablet: items in order, each resent until acknowledged (the outbox)."""
    tablet = Browser(port)
    while time.time() < stop_at + GRACE:
        try:
            status, _data, _ = tablet.request("GET", f"/i/{token}")
            if status in (200, 302):
                status, page, _ = tablet.request("GET", "/me")
                results.saw(status)
                tablet.read_token(page)
                break
        except (OSError, RuntimeError):
            pass  # no page yet (a "busy, try again" answer has no form): open it again
        time.sleep(1)
    n = 0
    while time.time() < stop_at:
        n += 1
        for kind, media, name in (
            ("voice", clip, "clip.wav"),
            ("drawing", drawings[n % len(drawings)], "d.png"),
            ("drawing", drawings[(n + 1) % len(drawings)], "d.png"),
            ("text", None, ""),
        ):
            client_id = str(uuid.uuid4())
            with results.lock:
                results.sent.add(client_id)
            fields = {"client_id": client_id, "kind": kind, "sharing": "my_worker"}
            if kind == "text":
                fields["text"] = f"Item {n}: I want to see my brother more."
            body, content_type = _multipart(fields, media, name)
            answer = _send_until_acknowledged(tablet, body, content_type, stop_at, results)
            if answer is None:
                return  # the grace period ran out: what is unacknowledged counts as lost
            with results.lock:
                results.acknowledged.add(client_id)
            if kind == "voice":
                _confirm_when_transcribed(tablet, answer["id"], stop_at)


def _send_until_acknowledged(
    tablet: Browser, body: bytes, content_type: str, stop_at: float, results: Results
) -> dict[str, Any] | None:
    headers = {
        "Content-Type": content_type,
        "X-CSRFToken": tablet.token,
        "Accept": "application/json",
    }
    while time.time() < stop_at + GRACE:
        started = time.perf_counter()
        try:
            status, data, _ = tablet.request("POST", "/me/contributions", body, headers)
        except OSError:
            results.saw("connection error")
            time.sleep(1)
            continue
        results.saw(status)
        if status in (200, 201):
            with results.lock:
                results.upload_ms.append((time.perf_counter() - started) * 1000)
            return dict(json.loads(data))
        time.sleep(1)  # a 5xx or a refused connection: the outbox tries again
    return None


def _confirm_when_transcribed(tablet: Browser, item: int, stop_at: float) -> None:
    deadline = min(time.time() + 30, stop_at)
    while time.time() < deadline:
        time.sleep(3)
        try:
            status, data, _ = tablet.request("GET", f"/me/contributions/{item}")
        except OSError:
            continue
        transcript = json.loads(data).get("transcript") if status == 200 else None
        if transcript and transcript["status"] == "draft":
            tablet.request(
                "POST",
                f"/me/contributions/{item}/confirm",
                json.dumps({"text": transcript["text"]}).encode(),
                {"Content-Type": "application/json", "X-CSRFToken": tablet.token},
            )
            return


def _staff(port: int, child_ids: list[int], stop_at: float, results: Results) -> None:
    desk = Browser(port)
    for _ in range(30):
        try:
            desk.sign_in("practitioner@demo.example", "demo-password")
            break
        except (OSError, RuntimeError):
            time.sleep(1)
    rng = random.Random()
    while time.time() < stop_at:
        child = rng.choice(child_ids)
        path = rng.choice(
            ["/children/", f"/children/{child}/contributions", f"/children/{child}/record"]
        )
        started = time.perf_counter()
        try:
            status, _data, _ = desk.request("GET", path)
        except OSError:
            results.saw("connection error")
            time.sleep(0.5)  # the host is down: a person would wait before trying again
            continue
        results.saw(status)
        if status == 200:
            with results.lock:
                results.staff_ms.append((time.perf_counter() - started) * 1000)


def _run(
    name: str,
    url: str,
    env: dict[str, str],
    front_port: int,
    hosts: list[tuple[int, dict[str, str]]],
    stack: ExitStack,
    folder: Path,
) -> dict[str, Any]:
    _run_logs[0] = LOG_DIR / name.split(",")[0].replace(" ", "-")
    _run_logs[0].mkdir(parents=True, exist_ok=True)
    seeded = _seed(env)
    for _worker in range(2 if len(hosts) > 1 else 1):
        _process(
            stack,
            [
                str(BIN / "huey_consumer"),
                "voice_app.worker.huey",
                "--workers",
                "2",
                "--worker-type",
                "thread",
                "--delay",
                "0.1",
                "--max-delay",
                "1",
            ],
            env,
        )
    running = [_host(port, host_env) for port, host_env in hosts]
    for process in running:
        stack.callback(lambda p=process: _stop(p))
    for port, _ in hosts:
        wait_until_up(port)
    wait_until_up(front_port)
    clip, drawings = _clip(folder), [_drawing(seed) for seed in range(4)]
    results = Results()
    stop_at = time.time() + SECONDS
    threads = [
        threading.Thread(target=_tablet, args=(front_port, token, clip, drawings, stop_at, results))
        for token in seeded["tokens"]
    ]
    threads += [
        threading.Thread(target=_staff, args=(front_port, seeded["child_ids"], stop_at, results))
        for _ in range(STAFF)
    ]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 2)
    killed_port, killed_env = hosts[0]
    _stop(running[0], signal.SIGKILL)  # mid-request, as a crash would
    time.sleep(5)
    running[0] = _host(killed_port, killed_env)
    stack.callback(lambda: _stop(running[0]))
    for thread in threads:
        thread.join()
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = Counter(
            row[0] for row in connection.execute(text("SELECT client_id FROM contributions"))
        )
        transcripts = Counter(
            row[0] for row in connection.execute(text("SELECT status FROM transcripts"))
        )
    engine.dispose()
    mine = {client_id: stored.get(client_id, 0) for client_id in results.sent}
    return {
        "name": name,
        "sent": len(results.sent),
        "stored": sum(1 for count in mine.values() if count),
        "lost": sum(1 for client_id in results.acknowledged if not mine[client_id]),
        "unacknowledged": len(results.sent - results.acknowledged),
        "duplicated": sum(1 for count in mine.values() if count > 1),
        "transcripts": dict(transcripts),
        "statuses": dict(results.statuses),
        "upload_ms": results.upload_ms,
        "staff_ms": results.staff_ms,
    }


def _scaled(stack: ExitStack, folder: Path, base: dict[str, str]) -> dict[str, Any]:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "voice_loadtest"], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "voice_loadtest"], check=True)
    s3 = stack.enter_context(_contextual(start_s3_server(folder / "s3")))
    s3.bucket("loadtest")
    for db_number in ("2", "3"):
        subprocess.run(["redis-cli", "-n", db_number, "flushdb"], check=True, capture_output=True)
    env = {
        **base,
        "VOICE_APP_DATABASE_URL": POSTGRES,
        "VOICE_APP_QUEUE_URL": f"{REDIS}/2",
        "VOICE_APP_RATELIMIT_STORAGE_URL": f"{REDIS}/3",
        "VOICE_APP_MEDIA_URL": "s3://loadtest/media",
        "VOICE_APP_S3_ENDPOINT": s3.endpoint,
        "AWS_ACCESS_KEY_ID": s3.access_key,
        "AWS_SECRET_ACCESS_KEY": s3.secret_key,
        "AWS_REGION": "us-east-1",
    }
    front, port_a, port_b = free_port(), free_port(), free_port()
    conf = (ROOT / "deploy" / "nginx.conf.template").read_text()
    nginx_dir = folder / "nginx"
    nginx_dir.mkdir()
    for placeholder, value in (
        ("@PREFIX@", str(nginx_dir)),
        ("@PORT@", str(front)),
        ("@APP_PORT_A@", str(port_a)),
        ("@APP_PORT_B@", str(port_b)),
    ):
        conf = conf.replace(placeholder, value)
    # nginx's own errors ("no live upstreams") beside the hosts' logs, counted at the end.
    logs = LOG_DIR / "two-hosts"
    logs.mkdir(parents=True, exist_ok=True)
    conf = conf.replace(f"{nginx_dir}/nginx-error.log", str(logs / "nginx-error.log"))
    (nginx_dir / "nginx.conf").write_text(conf)
    nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
    _process(
        stack,
        [
            nginx,
            "-g",
            "daemon off;",
            "-c",
            str(nginx_dir / "nginx.conf"),
            "-p",
            str(nginx_dir),
            "-e",
            str(nginx_dir / "error.log"),
        ],
        env,
    )
    return _run(
        "two hosts, PostgreSQL, Redis, S3",
        POSTGRES,
        env,
        front,
        [(port_a, env), (port_b, env)],
        stack,
        folder,
    )


def _single(stack: ExitStack, folder: Path, base: dict[str, str]) -> dict[str, Any]:
    url = f"sqlite:///{folder / 'app.sqlite3'}"
    env = {
        **base,
        "VOICE_APP_DATABASE_URL": url,
        "VOICE_APP_QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
        "VOICE_APP_RATELIMIT_STORAGE_URL": f"sqlitefile://{folder / 'ratelimit.sqlite3'}",
        "VOICE_APP_MEDIA_DIR": str(folder / "media"),
    }
    port = free_port()
    return _run("one host, SQLite (the default)", url, env, port, [(port, env)], stack, folder)


class _contextual:
    """A generator fixture (start_s3_server) used as a context manager."""

    def __init__(self, generator: Any) -> None:
        self.generator = generator

    def __enter__(self) -> Any:
        return next(self.generator)

    def __exit__(self, *exc: object) -> None:
        next(self.generator, None)


def _report_errors(logs: Path) -> None:
    """What a run's hosts and workers logged as errors or "busy", by kind, most first."""
    kinds: Counter[str] = Counter()
    for log in logs.glob("*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "Unhandled error" in line or "Unhandled exception" in line or "Busy:" in line:
                # "[time] ERROR in errors: Unhandled error in POST x: Type at place (...)"
                kind = line.split("] ", 1)[-1].split(" (raised at", 1)[0]
                kinds[kind[:160]] += 1
            elif " [error] " in line:
                # nginx: "2026/11/27 19:03:35 [error] 1#1: *45 no live upstreams while
                # connecting to upstream, client: ..."
                message = line.split(": ", 1)[-1].split(", client", 1)[0]
                kinds["nginx: " + re.sub(r"^\*\d+ ", "", message)[:140]] += 1
    print(f"errors and busy answers logged ({logs}):", dict(kinds.most_common(8)))


def _report(run: dict[str, Any]) -> None:
    def figure(samples: list[float]) -> str:
        if not samples:
            return "none"
        return f"p50 {statistics.median(samples):.0f} ms, p95 {p95(samples):.0f} ms"

    print(f"-- {run['name']} --")
    _report_errors(LOG_DIR / run["name"].split(",")[0].replace(" ", "-"))
    print(
        f"items sent {run['sent']}, stored {run['stored']}, lost {run['lost']}, "
        f"duplicated {run['duplicated']}, still unacknowledged at the end {run['unacknowledged']}"
    )
    print(f"transcripts by state: {run['transcripts']}")
    print(f"answers: {dict(sorted(run['statuses'].items()))}")
    print(f"upload acknowledgement: {figure(run['upload_ms'])} ({len(run['upload_ms'])} uploads)")
    print(f"staff pages: {figure(run['staff_ms'])} ({len(run['staff_ms'])} pages)")
    staff_p95 = p95(run["staff_ms"]) if run["staff_ms"] else float("inf")
    print(
        f"targets: 0 lost {'met' if run['lost'] == 0 else 'MISSED'}; 0 duplicated "
        f"{'met' if run['duplicated'] == 0 else 'MISSED'}; staff p95 < 200 ms "
        f"{'met' if staff_p95 < TARGETS['staff_p95_ms'] else 'MISSED'}"
    )


def main() -> int:
    print(
        f"{TABLETS} tablets and {STAFF} staff for {SECONDS:.0f} s; one host killed half-way "
        f"and restarted 5 s later; {os.cpu_count()} cores",
        flush=True,
    )
    base = {
        **os.environ,
        "VOICE_APP_ENV": "production",
        "VOICE_APP_DEMO": "1",
        "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
        "VOICE_APP_MEDIA_KEY": secrets.token_hex(32),
        "VOICE_APP_LOGIN_RATE_LIMIT": "10000 per minute",
    }
    # LOADTEST_ONLY=scaled or single runs one of the two set-ups.
    only = os.environ.get("LOADTEST_ONLY", "")
    for runner in [r for r in (_scaled, _single) if only in ("", r.__name__.strip("_"))]:
        with ExitStack() as stack:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-load-")))
            _report(runner(stack, folder, base))
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
