"""Benchmark: a large plan's page under gunicorn with 20 clients, and its PDF.

The plan has 200 actions, 50 reviews (three scales and a decision each, five of them
agreeing a version) and 40 of the child's contributions placed in its sections. Prints
the page's CPU time per request rendered in-process, beside the account page's (the floor
of any signed-in page) and beside the page's own the first time after the case changed
(the body is kept until then: ``plans.fragments.page_body``), and its SQL statements;
requests per second, p50 and p95 for the page under gunicorn beside the sign-in page of
the same app under the same load (no data read: the baseline that says how busy the
machine was); and the time to make the PDF.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
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
from tests.bench.pages import CLIENTS, ROUNDS, SECONDS, THREADS, WORKERS, load_in_turns

ACTIONS, REVIEWS, CONTRIBUTIONS = 200, 50, 40
TARGETS = {"page_p95_ms": 100.0, "pdf_s": 3.0}


def prepare_instance(env: dict[str, str]) -> int:
    """Migrate, seed the demo, and give a new child of Sam's the large plan; returns its id."""
    script = f"""
import uuid
from datetime import date, timedelta
from flask_migrate import upgrade
from voice_app import create_app
from voice_app.accounts.models import User
from voice_app.children import services as children
from voice_app.children.models import AssignmentRole
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.demo import _child, _born_years_ago, seed_demo
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.plans.models import (
    ActionStatus, OwnerKind, Outcome, ParticipantKind, PlanKind, ReviewKind, Section,
)
from voice_app.plans.services import drafting, reviews
from voice_app.record.consent.services import ConsentDraft, record_decision
from voice_app.record.models import ConsentAnswer, ConsentFrom
app = create_app()
with app.app_context():
    upgrade()
    seed_demo()
    sam = db.session.query(User).filter_by(email="practitioner@demo.example").one()
    child = children.create_child(
        _child("BENCH-PLAN", "Bench Plan Child", "Bench", _born_years_ago(9), "en"), sam
    )
    start = date.today() - timedelta(days=5 * {REVIEWS} + 10)
    plan = drafting.start_plan(child, PlanKind.CHILD_PROTECTION, start, None, sam)
    sections = list(Section)
    for n in range({ACTIONS}):
        drafting.save_action(plan, drafting.ActionDraft(
            f"Action {{n}}: something that needs to happen for the child", OwnerKind.STAFF,
            "Sam Okafor", list(Outcome)[n % 5], list(ActionStatus)[n % 3],
            start + timedelta(days=n), planned_outcome="A planned outcome"))
    for n in range({CONTRIBUTIONS}):
        contribution, _ = add_contribution(child, Submission(
            str(uuid.uuid4()), ContributionKind.TEXT, SharingChoice.MY_MEETING,
            language="en", text=f"Words number {{n}} the child said about home and school."),
            Author(AuthorKind.PRACTITIONER_FOR_CHILD, with_practitioner_id=sam.id))
        record_decision(child, contribution, ConsentDraft(
            consent_from=ConsentFrom.CHILD, information="bench", answer=ConsentAnswer.GIVEN,
            decided_on=date.today(), share_with_meeting=True), sam)
        drafting.place_words(plan, contribution, sections[n % len(sections)], sam)
    for n in range({REVIEWS}):
        reviews.record_review(plan, reviews.ReviewDraft(
            ReviewKind.CORE_GROUP, start + timedelta(days=5 * n + 5), f"Review {{n}} changes",
            present=["Bench", "Mum", "Sam Okafor"], absent=["Dad"],
            decisions=[reviews.DecisionDraft("Keep going", "Core group", "Getting safer")],
            scales=[
                reviews.ScaleDraft(ParticipantKind.CHILD, "Bench", n % 11),
                reviews.ScaleDraft(ParticipantKind.PARENT, "Mum", (n + 3) % 11),
                reviews.ScaleDraft(ParticipantKind.PRACTITIONER, "Sam Okafor", (n + 5) % 11),
            ],
            late_reason="bench", agree_plan=n % 10 == 9), sam)
    db.session.commit()
    print(child.id)
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


def cpu_per_page(
    env: dict[str, str], child_id: int, runs: int = 40
) -> tuple[float, float, float, int]:
    """The page rendered in this process by the Flask test client, signed in as Sam: the
    median CPU milliseconds per request, the same for the first request after the case
    changed (the page's body made again, not kept), the same for the signed-in account
    page (the floor every page pays: session, user, layout), and the page's number of SQL
    statements. CPU time, not wall time: other work on a shared machine inflates it less."""
    import re

    from sqlalchemy import event

    from voice_app import create_app
    from voice_app.extensions import db

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
    assert token is not None
    signed_in = client.post(
        "/login",
        data={
            "csrf_token": token.group(1),
            "email": "practitioner@demo.example",
            "password": "demo-password",
        },
    )
    assert signed_in.status_code == 302, signed_in.status_code
    page = f"/children/{child_id}/plan"
    for _ in range(3):
        assert client.get(page).status_code == 200
    statements: list[str] = []

    def seen(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    client.get(page)
    event.remove(engine, "before_cursor_execute", seen)
    from voice_app.core import case_revisions

    def case_changed() -> None:
        with app.app_context():
            case_revisions.revise(db.session.connection(), [child_id])
            db.session.commit()

    times: dict[str, list[float]] = {page: [], "changed": [], "/account": []}
    for _ in range(runs):  # in turns, as the load below
        for path, samples in times.items():
            if path == "changed":
                case_changed()
            started = time.process_time()
            client.get(page if path == "changed" else path)
            samples.append((time.process_time() - started) * 1000)
    return (
        statistics.median(times[page]),
        statistics.median(times["changed"]),
        statistics.median(times["/account"]),
        len(statements),
    )


def timed(browser: Browser, path: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        status, _data, _ = browser.request("GET", path)
        samples.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return samples


def main() -> int:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-")))
        env = bench_env(folder)
        child_id = prepare_instance(env)
        page_ms, changed_ms, floor_ms, queries = cpu_per_page(env, child_id)
        print(
            f"plan page in this process: {page_ms:.1f} ms CPU per request, {queries} SQL "
            f"statements; {changed_ms:.1f} ms the first time after the case changed (its body "
            f"made again); the account page: {floor_ms:.1f} ms, the floor of any signed-in page"
        )
        engine = env["VOICE_APP_DATABASE_URL"].split(":")[0].split("+")[0]
        port = free_port()
        start(stack, gunicorn(port, "voice_app:create_app()", WORKERS, THREADS), env)
        wait_until_up(port)
        sam = Browser(port)
        sam.sign_in("practitioner@demo.example", "demo-password")
        page = f"/children/{child_id}/plan"
        timed(sam, page, 3 * WORKERS)  # warm every worker
        _status, body, _ = sam.request("GET", page)
        print(
            f"plan with {ACTIONS} actions, {REVIEWS} reviews, {CONTRIBUTIONS} contributions "
            f"in {engine}; page {len(body) / 1024:.0f} KiB; gunicorn {WORKERS} workers x "
            f"{THREADS} threads, {CLIENTS} clients, {SECONDS:.0f} s in {ROUNDS} turns; "
            f"{os.cpu_count()} cores"
        )
        alone = [t * 1000 for t in timed(sam, page, 20)]
        print(
            f"plan page, one client at a time: median {statistics.median(alone):.1f} ms, "
            f"p95 {p95(alone):.1f} ms"
        )
        for _ in range(3 * WORKERS):  # warm every worker
            Browser(port).request("GET", "/login")
        targets = {"plan page": (port, page, sam.cookies), "sign-in page": (port, "/login", {})}
        before_port = start_before(stack, env, WORKERS, THREADS)
        if before_port is not None:
            before = Browser(before_port)
            before.cookies = dict(sam.cookies)
            timed(before, page, 3 * WORKERS)
            targets["plan page (before)"] = (before_port, page, sam.cookies)
        measured = load_in_turns(targets)
        base_rps, baseline, _base_errors = measured["sign-in page"]
        for name, (rps, latencies, errors) in measured.items():
            print(
                f"{name + ':':<20} {rps:>5.0f} req/s, p50 {statistics.median(latencies):7.1f} ms, "
                f"p95 {p95(latencies):7.1f} ms, {errors} errors; {rps / base_rps:.2f} x the "
                f"sign-in page's req/s, p95 {p95(latencies) / p95(baseline):.1f} x"
            )
        latencies = measured["plan page"][1]
        pdf_path = f"/children/{child_id}/plan/versions/5/pdf"
        pdfs: dict[str, list[float]] = {"plan PDF (version 5)": []}
        if before_port is not None:
            pdfs["plan PDF (before)"] = []
        for _ in range(5):  # in turns, as the pages
            pdfs["plan PDF (version 5)"] += timed(sam, pdf_path, 1)
            if before_port is not None:
                pdfs["plan PDF (before)"] += timed(before, pdf_path, 1)
        for name, times in pdfs.items():
            print(
                f"{name}, one at a time: median {statistics.median(times):.2f} s, "
                f"worst {max(times):.2f} s"
            )
        pdf = pdfs["plan PDF (version 5)"]
    print("targets:")
    print(
        f"  page p95 < {TARGETS['page_p95_ms']:.0f} ms at {CLIENTS} clients: "
        f"{'met' if p95(latencies) < TARGETS['page_p95_ms'] else 'MISSED'}"
    )
    print(f"  PDF < {TARGETS['pdf_s']:.0f} s: {'met' if max(pdf) < TARGETS['pdf_s'] else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
