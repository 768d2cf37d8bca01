"""Benchmark: the child's-space transcription path against bare faster-whisper.

Run with ``make bench`` (or ``python -m tests.bench.transcription``). Prints figures and
ratios measured in the same run, each beside its target; never fails on a missed target.

- recall and speed of the engine ("after") beside bare faster-whisper ("before"), in this
  process, on spoken English and Polish clips (``tests.bench.speech``);
- the app's path: upload over HTTP to gunicorn, the Huey worker (started with the
  Makefile's arguments) transcribes, the page polls until the draft is stored; one
  recording at a time, and four sent together, each run beside bare faster-whisper on
  the same clips;
- the engine's own time inside the worker beside the same engine in this process;
- upload acknowledgement p95 while the worker is busy transcribing a long recording.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from tests.bench.child_app import STAGES, ChildBrowser, app_path, finish, prepare_instance, send
from tests.bench.common import BIN, ROOT, free_port, gunicorn, p95, start, wait_until_up
from tests.bench.speech import (
    CPU_THREADS,
    LONG_WORDS,
    MODEL_DIR,
    RECALL,
    Bare,
    Clip,
    Engine,
    compare_in_process,
    make_clips,
    seconds_of,
    timed,
)

TARGETS = {"ratio": 1.1, "rtf": 0.25, "ack_p95_ms": 150.0}
#: The Makefile's `run` target starts the worker with these.
WORKER = ["--workers", "2", "--worker-type", "thread"]


def one_at_a_time(
    browser: ChildBrowser, database: Path, bare: Bare, engine: Engine, clips: list[Clip], runs: int
) -> dict[str, float]:
    """Each clip through the app, between bare faster-whisper and the engine in-process."""
    print(
        f"{'clip':<8} {'audio s':>8} {'bare s':>8} {'app s':>8} {'app/bare':>9} {'RTF bare':>9} {'RTF app':>8}"
        f" {'engine s: alone':>16} {'in worker':>10} {'ratio':>6}"
    )
    worst = {"ratio": 0.0, "rtf": 0.0, "short_rtf": 0.0}
    gaps = []
    for clip in clips:
        bares, apps, inside, alone = [], [], [], []
        for _ in range(runs):
            bares.append(timed(bare, clip)[0])
            alone.append(timed(engine, clip)[0])
            apps.append(app_path(browser, clip.path.read_bytes(), database))
            inside.append(STAGES[-1]["engine"])
        per_run = [a / b for a, b in zip(apps, bares, strict=True)]
        ratio = statistics.median(per_run)
        gap = statistics.median(i / a for i, a in zip(inside, alone, strict=True))
        gaps.append(gap)
        rtf = statistics.median(apps) / clip.seconds
        worst["ratio"] = max(worst["ratio"], ratio)
        worst["rtf"] = max(worst["rtf"], rtf)
        if clip.seconds < 6:
            worst["short_rtf"] = max(worst["short_rtf"], rtf)
        print(
            f"{clip.name:<8} {clip.seconds:>8.1f} {statistics.median(bares):>8.2f} {statistics.median(apps):>8.2f}"
            f" {ratio:>9.2f} {statistics.median(bares) / clip.seconds:>9.2f} {rtf:>8.2f}"
            f" {statistics.median(alone):>16.2f} {statistics.median(inside):>10.2f} {gap:>6.2f}"
            f"   (app/bare per run {min(per_run):.2f}-{max(per_run):.2f})"
        )
    worst["gap"] = max(gaps)
    return worst


def four_together(
    browser: ChildBrowser, database: Path, bare: Bare, clips: list[Clip], runs: int
) -> float:
    """Four recordings sent at once: until the last draft is stored, against bare one by one."""
    ratios = []
    with ThreadPoolExecutor(len(clips)) as pool:
        for _ in range(runs):
            bare_total = sum(timed(bare, clip)[0] for clip in clips)
            started = time.time()
            items = list(pool.map(lambda clip: send(browser, clip.path.read_bytes()), clips))
            ends = list(
                pool.map(partial(finish, browser, database=database, started=started), items)
            )
            ratios.append(max(ends) / bare_total)
            print(
                f"  four together: last draft after {max(ends):.2f} s; bare one after another {bare_total:.2f} s; ratio {ratios[-1]:.2f}"
            )
    return statistics.median(ratios)


def acknowledgements(browser: ChildBrowser, database: Path, long_clip: Path) -> list[float]:
    """Upload acknowledgements (ms) while the worker transcribes a long recording."""
    # The page's own polling (every 1.5 s) goes on beside the uploads.
    busy = threading.Thread(target=app_path, args=(browser, long_clip.read_bytes(), database))
    busy.start()
    time.sleep(1.0)
    acks = []
    while busy.is_alive() and len(acks) < 200:
        started = time.perf_counter()
        status, _body = browser.upload(
            {
                "client_id": str(uuid.uuid4()),
                "kind": "text",
                "sharing": "my_worker",
                "text": "I like my school",
            }
        )
        acks.append((time.perf_counter() - started) * 1000)
        if status != 201:
            print(f"  upload answered {status}")
    busy.join()
    return acks


def main() -> int:
    if not (MODEL_DIR / "model.bin").exists():
        print(f"No Whisper model in {MODEL_DIR}: run `make install` first.")
        return 1
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-")))
        clips = make_clips(folder)
        long_clip = Clip("en-long", "en", "en-gb", LONG_WORDS, folder)
        longest = folder / "longest.wav"
        subprocess.run(["sox", *[str(long_clip.path)] * 6, str(longest)], check=True)
        print(
            f"Model {MODEL_DIR.name}, int8, cpu_threads={CPU_THREADS}, beam 1; {os.cpu_count()} cores; {runs} runs"
        )
        bare, engine = Bare(), Engine()
        compare_in_process(clips, bare, engine, runs)

        port = free_port()
        database = folder / "app.sqlite3"
        env = {
            **os.environ,
            "VOICE_APP_ENV": "production",
            "VOICE_APP_SECRET_KEY": secrets.token_hex(32),
            "VOICE_APP_DATABASE_URL": f"sqlite:///{database}",
            "VOICE_APP_QUEUE_URL": f"sqlite:///{folder}/queue.sqlite3",
            "VOICE_APP_WHISPER_MODEL": str(MODEL_DIR),
            "VOICE_APP_WHISPER_CPU_THREADS": str(CPU_THREADS),
            # The worker and gunicorn import this checkout's voice_app, not the venv's.
            "PYTHONPATH": str(ROOT),
        }
        token = prepare_instance(folder, env)
        consumer = [str(BIN / "huey_consumer"), "voice_app.worker.huey", *WORKER]
        start(
            stack,
            [
                *consumer,
                "--delay",
                "0.05",
                "--max-delay",
                "0.1",
                "--no-periodic",
                "--logfile",
                str(folder / "worker.log"),
            ],
            env,
        )
        start(stack, gunicorn(port, "voice_app:create_app()", 2, 4), env)
        wait_until_up(port)
        browser = ChildBrowser(port)
        browser.open_invitation(token)
        app_path(browser, clips[0].path.read_bytes(), database)  # the worker loads its model once
        STAGES.clear()

        print()
        by_name = {clip.name: clip for clip in clips}
        worst = one_at_a_time(
            browser, database, bare, engine, [by_name["en-1"], by_name["pl-1"], long_clip], runs
        )
        together = four_together(
            browser, database, bare, [by_name[n] for n in ("en-1", "pl-1", "en-2", "pl-2")], runs
        )
        acks = acknowledgements(browser, database, longest)
        longest_seconds = seconds_of(longest)
    ack_p95 = p95(acks)

    print()
    print(
        f"upload acknowledgement while transcribing {longest_seconds:.0f} s of speech: p50 {statistics.median(acks):.1f} ms, p95 {ack_p95:.1f} ms over {len(acks)} uploads"
    )
    print(
        "where the app path's time goes (median seconds over every recording sent one at a time): "
        + ", ".join(
            f"{stage} {statistics.median(s[stage] for s in STAGES):.3f}" for stage in STAGES[0]
        )
    )
    before, after = RECALL["before"], RECALL["after"]
    print()
    print("targets:")
    report(
        f"app path / bare faster-whisper <= {TARGETS['ratio']}, one at a time (worst clip)",
        worst["ratio"],
        worst["ratio"] <= TARGETS["ratio"],
    )
    report(
        f"app path / bare faster-whisper <= {TARGETS['ratio']}, four together",
        together,
        together <= TARGETS["ratio"],
    )
    report(
        "engine inside the worker / same engine in-process: equal (worst clip)",
        worst["gap"],
        worst["gap"] <= TARGETS["ratio"],
    )
    report(
        f"real-time factor <= {TARGETS['rtf']} on 4.5 s clips, app path (worst)",
        worst["short_rtf"],
        worst["short_rtf"] <= TARGETS["rtf"],
    )
    for language in before:
        report(
            f"hidden-word recall {language}, no worse: before {before[language]:.2f}, after",
            after[language],
            after[language] >= before[language],
        )
    report(
        f"upload ack p95 < {TARGETS['ack_p95_ms']:.0f} ms while transcribing",
        ack_p95,
        ack_p95 < TARGETS["ack_p95_ms"],
    )
    return 0


def report(what: str, figure: float, met: bool) -> None:
    print(f"  {what}: {figure:.2f} {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
