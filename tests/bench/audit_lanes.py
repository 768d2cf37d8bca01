"""Benchmark: audited pages with the audit log in one chain against 64 lanes, same run.

Every staff page writes an audit entry. With one chain, each append waits for the one
before it to commit (one lock); with lanes, only appends that drew the same lane wait
(``voice_app/audit/services.py``). The same database and the same gunicorn settings serve
both, at 20 and at 100 concurrent clients. PostgreSQL shows the difference (SQLite locks
the whole database for any write anyway): ``BENCH_DATABASE_URL`` names an empty PostgreSQL
database; without it the local server's ``postgres`` database gets a fresh schema.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from tests.bench.common import Browser, free_port, gunicorn, p95, start, wait_until_up
from tests.bench.pages import SECONDS, load, prepare_instance

WORKERS, THREADS = 2, 16  # gthread, as voice_app/core/gunicorn_conf.py runs it
CLIENT_COUNTS = (20, 100)
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/voice_bench_audit"


def fresh_local_database() -> str | None:
    """A new empty database on the local PostgreSQL server, or None if there is none."""
    for command in (
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "voice_bench_audit"],
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "voice_bench_audit"],
    ):
        try:
            subprocess.run(command, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            return None
    return LOCAL_POSTGRES


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL") or fresh_local_database()
    if url is None:
        print("skipped: no PostgreSQL server (set BENCH_DATABASE_URL)")
        return 0
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-audit-")))
        env = {
            **os.environ,
            "VOICE_APP_ENV": "production",
            "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
            "VOICE_APP_DATABASE_URL": url,
            "VOICE_APP_QUEUE_URL": f"sqlite:///{folder}/queue.sqlite3",
            "VOICE_APP_RATELIMIT_STORAGE_URL": "memory://",
        }
        maya_id = prepare_instance(env)
        ports = {}
        for lanes in (1, 64):
            port = free_port()
            start(
                stack,
                [*gunicorn(port, "voice_app:create_app()", WORKERS, THREADS), "-k", "gthread"],
                {**env, "VOICE_APP_AUDIT_LANES": str(lanes)},
            )
            ports[lanes] = port
        for port in ports.values():
            wait_until_up(port)
        print(
            f"PostgreSQL, gunicorn {WORKERS} workers x {THREADS} threads, {SECONDS:.0f} s a "
            f"measurement; {os.cpu_count()} cores"
        )
        print()
        print(f"{'page':<12} {'clients':>7} {'lanes':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for name, path in (("case list", "/children/"), ("child page", f"/children/{maya_id}")):
            for clients in CLIENT_COUNTS:
                rates = {}
                for lanes, port in ports.items():
                    browser = Browser(port)
                    browser.sign_in("practitioner@demo.example", "demo-password")
                    rps, latencies, errors = load(port, path, browser.cookies, clients)
                    rates[lanes] = rps
                    print(
                        f"{name:<12} {clients:>7} {lanes:>5} {rps:>8.0f} "
                        f"{statistics.median(latencies):>8.1f} {p95(latencies):>8.1f}"
                        + (f"  ({errors} errors)" if errors else "")
                    )
                print(f"{'':<12} {'':>7} {'':>5} 64 lanes / one chain: {rates[64] / rates[1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
