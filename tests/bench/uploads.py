"""Benchmark: uploads from tablets on a weak link, durability's cost, and the orphan sweep.

1. gunicorn with the project's own settings (voice_app/core/gunicorn_conf.py, as `make run` and the
   README's recipe start it), the demo plus 10,000 children: 20 tablets each send a
   drawing at 2 KB/s, and while they are in flight the case list and a fast tablet's
   upload acknowledgement are timed (p50, p95).
2. The same upload acknowledgement with SQLite at synchronous=FULL (the app's setting:
   a 201 survives a power cut) and at NORMAL, each on its own fresh server.
3. The orphan sweep over 10,000 media files, half of them owned by a row.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import io
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from tests.bench.common import BIN, ROOT, Browser, free_port, p95, start, wait_until_up

SLOW_TABLETS = 20
SLOW_BYTES_PER_SECOND = 2048
CHILDREN = 10_000
SWEEP_FILES = int(os.environ.get("BENCH_SWEEP_FILES", "10000"))
ACK_RUNS = int(os.environ.get("BENCH_UPLOADS", "60"))


def _png(side: int, seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def _prepare(folder: Path) -> tuple[str, dict[str, str]]:
    """Migrate, seed the demo and 10,000 children for Sam; returns an invitation token."""
    script = f"""
from datetime import date, timedelta
from flask_migrate import upgrade
from sqlalchemy import insert
from voice_app import create_app
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.core.demo import seed_demo
from voice_app.extensions import db
app = create_app({{"INSTANCE_PATH": {str(folder / "instance")!r}}})
with app.app_context():
    upgrade()
    seed_demo()
    sam = db.session.query(User).filter_by(email="practitioner@demo.example").one()
    rows = [
        dict(reference=f"BENCH-{{n:05d}}", full_name=f"Child {{n:05d}} Benchmark",
             date_of_birth=date(2010 + n % 12, 1 + n % 12, 1 + n % 28), preferred_language="en",
             team_id=sam.team_id, lead_practitioner_id=sam.id)
        for n in range({CHILDREN})
    ]
    db.session.execute(insert(Child), rows)
    maya = db.session.query(Child).filter_by(preferred_name="Maya").one()
    made = create_invitation(maya, "bench", sam, timedelta(days=1))
    db.session.commit()
    print(made.token)
"""
    env = {
        **os.environ,
        "VOICE_APP_ENV": "production",
        "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
        "VOICE_APP_DATABASE_URL": f"sqlite:///{folder}/app.sqlite3",
        "VOICE_APP_QUEUE_URL": f"sqlite:///{folder}/queue.sqlite3",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.stdout.strip().splitlines()[-1], env


#: The serving settings before voice_app/core/gunicorn_conf.py: `make run` started three sync workers.
OLD_SYNC_WORKERS = ["--worker-class", "sync", "--workers", "3", "--threads", "1"]


def _serve(
    stack: ExitStack, folder: Path, env: dict[str, str], extra: list[str] | None = None
) -> int:
    port = free_port()
    app = f"voice_app:create_app({{'INSTANCE_PATH': {str(folder / 'instance')!r}}})"
    command = [
        str(BIN / "gunicorn"),
        "--config",
        "python:voice_app.core.gunicorn_conf",
        *(extra or []),
    ]
    start(stack, [*command, "--bind", f"127.0.0.1:{port}", app], env)
    wait_until_up(port)
    return port


def _tablet(port: int, token: str) -> Browser:
    tablet = Browser(port)
    tablet.request("GET", f"/i/{token}")
    _status, page, _ = tablet.request("GET", "/me")
    tablet.read_token(page)
    return tablet


def _multipart(media: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    fields = {"client_id": str(uuid.uuid4()), "kind": "drawing", "sharing": "my_worker"}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="d.png"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + media
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _upload_ms(tablet: Browser, media: bytes) -> float:
    body, content_type = _multipart(media)
    headers = {
        "Content-Type": content_type,
        "X-CSRFToken": tablet.token,
        "Accept": "application/json",
    }
    started = time.perf_counter()
    status, _data, _ = tablet.request("POST", "/me/contributions", body, headers)
    if status != 201:
        raise RuntimeError(f"upload answered {status}")
    return (time.perf_counter() - started) * 1000


def _slow_upload(
    port: int, tablet: Browser, media: bytes, results: list[tuple[int, float]]
) -> None:
    body, content_type = _multipart(media)
    cookie = "; ".join(f"{k}={v}" for k, v in tablet.cookies.items())
    head = (
        f"POST /me/contributions HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
        f"X-CSRFToken: {tablet.token}\r\nAccept: application/json\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    piece = SLOW_BYTES_PER_SECOND // 4
    started = time.perf_counter()
    status = 0
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
            sock.sendall(head)
            for offset in range(0, len(body), piece):
                sock.sendall(body[offset : offset + piece])
                time.sleep(0.25)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            status = int(answer.split(b" ", 2)[1]) if answer else 0
    except OSError:
        status = -1
    results.append((status, time.perf_counter() - started))


def _timed(sam: Browser, fast: Browser, small: bytes, until: float) -> tuple[list, list]:
    case_list, acks = [], []
    while time.time() < until or len(case_list) < 2:
        started = time.perf_counter()
        status, _data, _ = sam.request("GET", "/children/")
        case_list.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"case list answered {status}")
        acks.append(_upload_ms(fast, small))
    return case_list, acks


def _line(name: str, samples: list[float]) -> str:
    return (
        f"{name} p50 {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms "
        f"({len(samples)} requests)"
    )


def slow_uploads_in_flight(label: str, extra: list[str] | None = None) -> None:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-up-")))
        token, env = _prepare(folder)
        port = _serve(stack, folder, env, extra)
        sam = Browser(port)
        sam.sign_in("practitioner@demo.example", "demo-password")
        fast, slow_tablet = _tablet(port, token), _tablet(port, token)
        small = _png(40, 1)
        for _ in range(5):  # warm up
            sam.request("GET", "/children/")
            _upload_ms(fast, small)
        quiet_list, quiet_acks = _timed(sam, fast, small, time.time() + 8)
        slow_media = _png(90, 2)  # ~24 KB: about 12 s at 2 KB/s
        results: list[tuple[int, float]] = []
        senders = [
            threading.Thread(target=_slow_upload, args=(port, slow_tablet, slow_media, results))
            for _ in range(SLOW_TABLETS)
        ]
        for sender in senders:
            sender.start()
        time.sleep(1)
        case_list, acks = _timed(
            sam, fast, small, time.time() + len(slow_media) / SLOW_BYTES_PER_SECOND - 3
        )
        in_flight = sum(1 for s in senders if s.is_alive())
        for sender in senders:
            sender.join()
    stored = sum(1 for status, _ in results if status == 201)
    print(
        f"{label}: {SLOW_TABLETS} tablets each sending {len(slow_media) // 1024} KB at "
        f"{SLOW_BYTES_PER_SECOND // 1024} KB/s, {CHILDREN:,} children, SQLite "
        f"synchronous=FULL; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  slow uploads still in flight when the timing ended: {in_flight}")
    print(
        f"  slow uploads stored: {stored} of {SLOW_TABLETS}, each took "
        f"{min(t for _, t in results):.1f}-{max(t for _, t in results):.1f} s"
    )
    print(_line("  case list, nothing in flight:       ", quiet_list))
    print(_line("  case list, slow uploads in flight:  ", case_list))
    print(_line("  upload ack, nothing in flight:      ", quiet_acks))
    print(_line("  upload ack, slow uploads in flight: ", acks))


def synchronous_cost() -> None:
    figures = {}
    for level in ("FULL", "NORMAL"):
        with ExitStack() as stack:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-s-")))
            token, env = _prepare(folder)
            env["VOICE_APP_SQLITE_SYNCHRONOUS"] = level
            port = _serve(stack, folder, env)
            tablet = _tablet(port, token)
            small = _png(40, 3)
            for _ in range(5):
                _upload_ms(tablet, small)
            figures[level] = [_upload_ms(tablet, small) for _ in range(ACK_RUNS)]
    print(f"upload acknowledgement, one tablet, {ACK_RUNS} drawings in a row:")
    for level, samples in figures.items():
        print(
            f"  synchronous={level:<6} p50 {statistics.median(samples):.1f} ms, "
            f"p95 {p95(samples):.1f} ms"
        )
    cost = statistics.median(figures["FULL"]) - statistics.median(figures["NORMAL"])
    print(f"  FULL costs {cost:+.1f} ms a upload at the median")


def orphan_sweep() -> None:
    from datetime import date

    from flask_migrate import upgrade
    from sqlalchemy import insert

    from voice_app import create_app
    from voice_app.accounts.models import Team
    from voice_app.children.models import Child
    from voice_app.contributions.models import Contribution
    from voice_app.core.media_sweep import sweep_orphan_media
    from voice_app.core.storage import media_store
    from voice_app.extensions import db

    with tempfile.TemporaryDirectory(prefix="voice-bench-sweep-") as folder:
        app = create_app(
            {
                "INSTANCE_PATH": f"{folder}/instance",
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/sweep.sqlite3",
                "QUEUE_URL": "memory://",
            }
        )
        with app.app_context():
            upgrade()
            db.session.execute(insert(Team), [{"name": "Sweep team"}])
            team_id = db.session.query(Team.id).scalar()
            db.session.execute(
                insert(Child),
                [
                    {
                        "reference": "S-1",
                        "full_name": "Sweep Child",
                        "date_of_birth": date(2015, 1, 1),
                        "preferred_language": "en",
                        "team_id": team_id,
                    }
                ],
            )
            child_id = db.session.query(Child.id).scalar()
            store = media_store()
            ids = [store.put(os.urandom(2048)) for _ in range(SWEEP_FILES)]
            owned = ids[: SWEEP_FILES // 2]
            db.session.execute(
                insert(Contribution),
                [
                    dict(
                        child_id=child_id,
                        client_id=str(uuid.uuid4()),
                        kind="drawing",
                        author_kind="child",
                        language="en",
                        sharing="my_worker",
                        media_id=m,
                    )
                    for m in owned
                ],
            )
            db.session.commit()
            old = time.time() - app.config["MEDIA_SWEEP_GRACE"].total_seconds() - 60
            for media_id in ids:
                os.utime(store.path_for(media_id), (old, old))
            os.sync()  # orphans are an hour old: long since written out, as here
            started = time.perf_counter()
            removed = sweep_orphan_media()
            took = time.perf_counter() - started
            started = time.perf_counter()
            sweep_orphan_media()
            again = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    print(
        f"orphan sweep over {SWEEP_FILES:,} media files ({SWEEP_FILES // 2:,} owned): "
        f"removed {len(removed):,} in {took * 1000:.0f} ms; the next sweep, "
        f"{SWEEP_FILES // 2:,} files all owned, {again * 1000:.0f} ms"
    )


def main() -> int:
    if sys.argv[1:] == ["sweep"]:
        orphan_sweep()
        return 0
    slow_uploads_in_flight("voice_app.core.gunicorn_conf (gthread, 2 workers x 32 threads)")
    print()
    slow_uploads_in_flight("before: 3 sync workers, as `make run` served", OLD_SYNC_WORKERS)
    print()
    synchronous_cost()
    print()
    orphan_sweep()
    return 0


if __name__ == "__main__":
    sys.exit(main())
