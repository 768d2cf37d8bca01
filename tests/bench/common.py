"""What the benchmarks share: servers on free ports, a small HTTP client, the demo instance."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def bench_env(folder: Path, *, postgres_allowed: bool = True) -> dict[str, str]:
    """The environment a benchmark's app runs in: production settings, a fresh secret, and
    its database, queue and media in ``folder``. ``BENCH_DATABASE_URL`` runs it on an empty
    PostgreSQL database instead, where the benchmark allows it."""
    database = os.environ.get("BENCH_DATABASE_URL") if postgres_allowed else None
    return {
        **os.environ,
        "VOICE_APP_ENV": "production",
        "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
        "VOICE_APP_DATABASE_URL": database or f"sqlite:///{folder}/app.sqlite3",
        "VOICE_APP_QUEUE_URL": f"sqlite:///{folder}/queue.sqlite3",
        "VOICE_APP_MEDIA_DIR": str(folder / "media"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else float("nan")


def wait_until_up(port: int, path: str = "/healthz", deadline: float = 60) -> None:
    end = time.time() + deadline
    while time.time() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 600:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the app on port {port} did not start")


def start(stack: ExitStack, command: list[str], env: dict[str, str], cwd: Path = ROOT) -> None:
    """Start a server process that ``stack`` stops (with its children) on the way out."""
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    stack.callback(stop)


def before_checkout() -> Path | None:
    """``BENCH_BEFORE``: another checkout of voice_app (the code before a change) whose app
    the page benchmarks also start, on the same database, and measure in the same turns as
    this one's, so "before" and "after" come from one run on one machine load."""
    given = os.environ.get("BENCH_BEFORE")
    if not given:
        return None
    folder = Path(given).resolve()
    if not (folder / "voice_app" / "__init__.py").is_file():
        raise RuntimeError(f"BENCH_BEFORE={given} is not a checkout of voice_app")
    return folder


def start_before(stack: ExitStack, env: dict[str, str], workers: int, threads: int) -> int | None:
    """The ``BENCH_BEFORE`` checkout's app under gunicorn on a port of its own (None when
    no checkout is given); the same secret key and database, so sessions carry over."""
    folder = before_checkout()
    if folder is None:
        return None
    port = free_port()
    command = gunicorn(port, "voice_app:create_app()", workers, threads)
    start(stack, command, {**env, "PYTHONPATH": str(folder)}, cwd=folder)
    wait_until_up(port)
    return port


def gunicorn(port: int, app: str, workers: int, threads: int = 1) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]


class Browser:
    """Just enough of a browser: a cookie jar and the page's CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data, dict(response.getheaders())

    def read_token(self, page: bytes) -> None:
        match = re.search(rb'name="csrf-token" content="([^"]+)"', page) or re.search(
            rb'name="csrf_token" type="hidden" value="([^"]+)"', page
        )
        if not match:
            raise RuntimeError("no CSRF token on the page")
        self.token = match.group(1).decode()

    def sign_in(self, email: str, password: str) -> None:
        from urllib.parse import urlencode

        _status, page, _ = self.request("GET", "/login")
        self.read_token(page)
        form = urlencode({"csrf_token": self.token, "email": email, "password": password})
        status, _data, _ = self.request(
            "POST",
            "/login",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")

    def search_cases(self, query: str) -> None:
        """Search the case list as the page does: a POST that keeps it in the session."""
        from urllib.parse import urlencode

        _status, page, _ = self.request("GET", "/children/")
        self.read_token(page)
        form = urlencode({"csrf_token": self.token, "q": query})
        status, _data, _ = self.request(
            "POST",
            "/children/search",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"search answered {status}")
