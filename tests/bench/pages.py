"""Benchmark: the case list and the child page under gunicorn, against two baselines.

All three apps run under the same gunicorn settings in the same run, with 20 concurrent
clients; the database holds the demo plus 10,000 children led by the demo practitioner,
so the case list pages through a realistic load. The baselines: a bare Flask "hello"
(``hello_app``), and the floor of this stack (``floor_app``: Flask-Login loading the user,
one indexed query for 25 of the same children, Jinja), and that floor with the audit entry
every page about children appends (``floor_app``'s ``/audited``). Prints requests per
second, p50 and p95 latency, and each page's ratio to all three. ``BENCH_DATABASE_URL`` runs it on
PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from tests.bench.common import (
    ROOT,
    Browser,
    bench_env,
    free_port,
    gunicorn,
    p95,
    start,
    start_before,
    wait_until_up,
)

CLIENTS = 20
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
#: Each page's seconds are split into this many slices, taken in turn with the baselines'
#: slices, so a change in the machine's load (it is shared) falls on every page alike.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))  # as `make run` starts it
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
CHILDREN = 10_000
TARGETS = {"floor_ratio": 0.5, "p95_ms": 100.0, "list_10k_ms": 100.0}


def prepare_instance(env: dict[str, str]) -> int:
    """Migrate, seed the demo and 10,000 more children for Sam; returns Maya's id."""
    script = f"""
from datetime import date
from flask_migrate import upgrade
from sqlalchemy import insert
from voice_app import create_app
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.core.demo import seed_demo
from voice_app.extensions import db
app = create_app()
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
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    print(db.session.query(Child).filter_by(preferred_name="Maya").one().id)
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return int(out.stdout.strip().splitlines()[-1])


def load(
    port: int,
    path: str,
    cookies: dict[str, str],
    clients: int = CLIENTS,
    seconds: float = SECONDS,
) -> tuple[float, list[float], int]:
    """Requests per second, latencies in ms, and non-200 answers for ``clients`` clients."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        browser = Browser(port)
        browser.cookies = dict(cookies)
        mine = []
        bad = 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            status, _data, _ = browser.request("GET", path)
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - began), latencies, failures[0]


Target = tuple[int, str, dict[str, str]]


def load_in_turns(targets: dict[str, Target]) -> dict[str, tuple[float, list[float], int]]:
    """``load`` for every (port, path, cookies) target, ``SECONDS`` each, in ``ROUNDS``
    slices taken in turn: requests per second over all its slices, every latency, errors.

    One page measured after another compares them at different moments of a shared
    machine's load; in turns, a busy spell falls on all of them.
    """
    done: dict[str, tuple[int, float, list[float], int]] = {
        name: (0, 0.0, [], 0) for name in targets
    }
    for _ in range(ROUNDS):
        for name, (port, path, cookies) in targets.items():
            began = time.perf_counter()
            _rps, latencies, errors = load(port, path, cookies, seconds=SECONDS / ROUNDS)
            took = time.perf_counter() - began
            count, spent, seen, failed = done[name]
            done[name] = (
                count + len(latencies),
                spent + took,
                seen + latencies,
                failed + errors,
            )
    return {
        name: (count / spent, seen, failed) for name, (count, spent, seen, failed) in done.items()
    }


def sequential_ms(browser: Browser, path: str, runs: int = 40) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        status, _data, _ = browser.request("GET", path)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return samples


def main() -> int:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-")))
        env = bench_env(folder)
        maya_id = prepare_instance(env)
        engine = env["VOICE_APP_DATABASE_URL"].split(":")[0].split("+")[0]
        app_port, hello_port, floor_port = free_port(), free_port(), free_port()
        start(stack, gunicorn(app_port, "voice_app:create_app()", WORKERS, THREADS), env)
        start(stack, gunicorn(hello_port, "tests.bench.hello_app:app", WORKERS, THREADS), env)
        start(stack, gunicorn(floor_port, "tests.bench.floor_app:app", WORKERS, THREADS), env)
        wait_until_up(app_port)
        wait_until_up(hello_port, "/")
        wait_until_up(floor_port, "/sign-in/practitioner@demo.example")
        floor = Browser(floor_port)
        floor.request("GET", "/sign-in/practitioner@demo.example")
        sequential_ms(floor, "/", runs=3 * WORKERS)
        sequential_ms(floor, "/audited", runs=3 * WORKERS)

        sam = Browser(app_port)
        sam.sign_in("practitioner@demo.example", "demo-password")
        # The search lives in the searcher's session, not in the URL (no names in logs).
        searcher = Browser(app_port)
        searcher.sign_in("practitioner@demo.example", "demo-password")
        searcher.search_cases("Benchmark 0421")
        pages = {
            "case list": (sam, "/children/"),
            "case list, search": (searcher, "/children/"),
            "child page": (sam, f"/children/{maya_id}"),
        }
        for browser, path in pages.values():  # warm every worker's caches
            load_once = sequential_ms(browser, path, runs=3 * WORKERS)
            del load_once
        before_port = start_before(stack, env, WORKERS, THREADS)
        if before_port is not None:
            for browser, path in pages.values():
                warmed = Browser(before_port)
                warmed.cookies = dict(browser.cookies)
                sequential_ms(warmed, path, runs=3 * WORKERS)

        print(
            f"gunicorn {WORKERS} workers x {THREADS} threads each, {CLIENTS} concurrent clients, "
            f"{SECONDS:.0f} s a page in {ROUNDS} turns, {CHILDREN:,} children in {engine}; "
            f"{os.cpu_count()} cores"
        )
        measured = load_in_turns(
            {
                "bare Flask hello": (hello_port, "/", {}),
                "floor of the stack": (floor_port, "/", floor.cookies),
                "floor + one audited read": (floor_port, "/audited", floor.cookies),
                **{
                    name: (app_port, path, browser.cookies)
                    for name, (browser, path) in pages.items()
                },
                **{
                    f"{name} (before)": (before_port, path, browser.cookies)
                    for name, (browser, path) in pages.items()
                    if before_port is not None
                },
            }
        )
        hello_rps = measured["bare Flask hello"][0]
        floor_rps = measured["floor of the stack"][0]
        audited_rps = measured["floor + one audited read"][0]
        print()
        print(
            f"{'page':<29} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs bare':>8} "
            f"{'vs floor':>9} {'vs audited':>11} {'errors':>7}"
        )
        worst_ratio, worst_p95 = float("inf"), 0.0
        for name, (rps, latencies, errors) in measured.items():
            ratio = rps / floor_rps
            if name in pages:
                worst_ratio, worst_p95 = min(worst_ratio, ratio), max(worst_p95, p95(latencies))
            print(
                f"{name:<29} {rps:>8.0f} {statistics.median(latencies):>8.1f} "
                f"{p95(latencies):>8.1f} {rps / hello_rps:>8.2f} {ratio:>9.2f} "
                f"{rps / audited_rps:>11.2f} {errors:>7}"
            )

        alone = sequential_ms(sam, "/children/")
        search = sequential_ms(searcher, "/children/")
        last_page = sequential_ms(sam, "/children/?page=200")
    print()
    print(f"case list with {CHILDREN:,} children, one client at a time:")
    for name, samples in (("first page", alone), ("search", search), ("page 200", last_page)):
        print(f"  {name:<11} median {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms")
    list_p95 = max(p95(alone), p95(search), p95(last_page))
    print()
    print("targets:")
    print(
        f"  throughput >= {TARGETS['floor_ratio']} x the floor of the stack: worst "
        f"{worst_ratio:.2f} {'met' if worst_ratio >= TARGETS['floor_ratio'] else 'MISSED'} "
        f"(the floor with one audited read and nothing else: {audited_rps / floor_rps:.2f})"
    )
    print(
        f"  p95 < {TARGETS['p95_ms']:.0f} ms at {CLIENTS} clients: worst {worst_p95:.1f} "
        f"{'met' if worst_p95 < TARGETS['p95_ms'] else 'MISSED'}"
    )
    print(
        f"  case list with {CHILDREN:,} children < {TARGETS['list_10k_ms']:.0f} ms: p95 {list_p95:.1f} "
        f"{'met' if list_p95 < TARGETS['list_10k_ms'] else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
