"""Benchmark: a 20-page report with 10 drawings as a PDF, and the family's home page.

Maya's demo record gains a child protection conference report of about 20 pages: every
written section long, and 10 of her drawings (2048x1536 canvases, processed as uploads
are) chosen into her section, shared with Claire. Prints:

- the PDF made from the report's HTML (WeasyPrint, in one process), beside the same HTML
  with the drawings taken out, and the ratio; then the meeting's and Claire's PDFs through
  gunicorn, one request at a time (what a person waits for);
- Claire's family home page with 20 concurrent clients under gunicorn, beside the family
  sign-in page of the same app (no data read) as the baseline.

``python -m tests.bench.reports`` runs it alone; ``BENCH_REPORTS_ONLY=home`` runs only the
family home page's part (same data, no PDF made).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from tests.bench.common import (
    ROOT,
    Browser,
    before_checkout,
    bench_env,
    free_port,
    gunicorn,
    p95,
    start,
    start_before,
    wait_until_up,
)
from tests.bench.pages import CLIENTS, ROUNDS, SECONDS, THREADS, WORKERS, load_in_turns

DRAWINGS = 10
RUNS = int(os.environ.get("BENCH_PDF_RUNS", "3"))
#: "home": only the family home page under load, not the PDFs.
ONLY_HOME = os.environ.get("BENCH_REPORTS_ONLY", "") == "home"
TARGETS = {"pdf_s": 3.0, "home_p95_ms": 100.0}
PARAGRAPH = (
    "Maya was seen at home and at school. Her mother and her grandfather took part, and "
    "what each of them said is recorded in their own words in the chronology. "
)
#: Characters of text in each written section: with the drawings, about 20 pages.
SECTION_CHARS = 12000


def seed() -> None:
    """(In a subprocess, with the bench's environment.) Migrate, seed the demo, add the
    long report with its drawings, share it with Claire; prints its ids as JSON."""
    from datetime import date, timedelta

    from flask_migrate import upgrade
    from sqlalchemy import select

    from tests.bench.drawings import canvas, png
    from voice_app import create_app
    from voice_app.accounts.models import User
    from voice_app.children.models import Child
    from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
    from voice_app.contributions.services import Author, Submission, add_contribution
    from voice_app.core.demo import seed_demo
    from voice_app.extensions import db
    from voice_app.family.demo import DEMO_FAMILY_SIGN_IN
    from voice_app.family.models import FamilyAccount
    from voice_app.record.consent.services import ConsentDraft, record_decision
    from voice_app.record.models import ConsentAnswer, ConsentFrom
    from voice_app.reports.models import SECTIONS, WRITTEN, ReportKind
    from voice_app.reports.services import drafting, sharing, voices

    app = create_app()
    with app.app_context(), app.test_request_context():
        upgrade()
        seed_demo()
        sam = db.session.scalars(select(User).where(User.email == "practitioner@demo.example"))
        sam_user = sam.one()
        maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
        claire = db.session.scalars(
            select(FamilyAccount).where(FamilyAccount.sign_in_name == DEMO_FAMILY_SIGN_IN)
        ).one()
        kind = ReportKind.CP_INITIAL_CONFERENCE
        report = drafting.start_report(maya, kind, date.today() + timedelta(days=21), sam_user)
        text = (PARAGRAPH * (SECTION_CHARS // len(PARAGRAPH) + 1))[:SECTION_CHARS]
        for section in SECTIONS[kind]:
            if section in WRITTEN:
                drafting.write_section(report, section, text, sam_user)
        for n in range(DRAWINGS):
            drawing, _new = add_contribution(
                maya,
                Submission(
                    f"bench-drawing-{n}",
                    ContributionKind.DRAWING,
                    SharingChoice.MY_FAMILY_TOO,
                    language="en",
                    media=png(canvas((255, 255, 255, 255))),
                ),
                Author(AuthorKind.PRACTITIONER_FOR_CHILD, with_practitioner_id=sam_user.id),
            )
            record_decision(
                maya,
                drawing,
                ConsentDraft(
                    consent_from=ConsentFrom.CHILD,
                    information="bench",
                    answer=ConsentAnswer.GIVEN,
                    decided_on=date.today(),
                    share_with_meeting=True,
                    share_with_family=True,
                ),
                sam_user,
            )
            voices.choose_words(report, drawing.id, f"Drawing number {n + 1}")
        sharing.share(report, maya, [claire.id], sam_user)
        db.session.commit()
        print(json.dumps({"child_id": maya.id, "report_id": report.id}))


def render_times(report_id: int) -> None:
    """(In a subprocess.) Time WeasyPrint on the report's HTML, with and without the
    drawings, alternating; prints the seconds and page counts as JSON."""
    import io

    from flask import render_template
    from pypdf import PdfReader
    from sqlalchemy import select

    from voice_app import create_app
    from voice_app.accounts.models import User
    from voice_app.children.models import Child
    from voice_app.extensions import db
    from voice_app.record.disclosure import Reader
    from voice_app.reports import pdf
    from voice_app.reports.models import Report
    from voice_app.reports.services import drafting, reading
    from voice_app.reports.services.voices import MEETING
    from voice_app.reports.views import shared_context

    app = create_app()
    with app.app_context(), app.test_request_context():
        report = db.session.get(Report, report_id)
        sam = db.session.scalars(select(User).where(User.email == "practitioner@demo.example"))
        assert report is not None
        shown = reading.shown_report(
            report, drafting.latest(report), Reader.staff(sam.one()), MEETING
        )
        html = render_template(
            "reports/pdf.html",
            child=db.session.get(Child, report.child_id),
            shown=shown,
            current_locale="en",
            text_direction="ltr",
            **shared_context(),
        )
        bare = re.sub(r'<img class="drawing"[^>]*>', "", html)
        assert bare != html
        times: dict[str, list[float]] = {"drawings": [], "bare": []}
        pages: dict[str, int] = {}
        pdf.render_pdf("<p>Fonts and styles load once a process.</p>", {})
        for _ in range(RUNS):
            for name, page in {"drawings": html, "bare": bare}.items():
                started = time.perf_counter()
                # The drawings are read (decrypted, scaled to print) as the views do.
                pictures = pdf.pictures_of(shown.words) if name == "drawings" else {}
                made = pdf.render_pdf(page, pictures)
                times[name].append(time.perf_counter() - started)
                pages[name] = len(PdfReader(io.BytesIO(made)).pages)
                assert name == "bare" or len(pictures) == DRAWINGS
        print(json.dumps({"times": times, "pages": pages, "html_kib": len(html) / 1024}))


def in_subprocess(env: dict[str, str], call: str, root: Path = ROOT) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [sys.executable, "-c", f"from tests.bench.reports import *; {call}"],
        env={**env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        cwd=root,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{call} failed:\n{out.stderr[-3000:]}")
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[type-arg]
    return result


def family_sign_in(port: int) -> Browser:
    from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN

    claire = Browser(port)
    _status, page, _ = claire.request("GET", "/family/sign-in")
    claire.read_token(page)
    form = urlencode(
        {
            "csrf_token": claire.token,
            "sign_in_name": DEMO_FAMILY_SIGN_IN,
            "passphrase": DEMO_FAMILY_PASSPHRASE,
        }
    )
    status, _data, _ = claire.request(
        "POST",
        "/family/sign-in",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        raise RuntimeError(f"the family sign-in answered {status}")
    return claire


def one_at_a_time(browser: Browser, path: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        status, data, _ = browser.request("GET", path)
        samples.append(time.perf_counter() - started)
        if status != 200 or not data.startswith(b"%PDF"):
            raise RuntimeError(f"{path} answered {status}")
    return samples


def pdfs_in_one_process(env: dict[str, str], report_id: int) -> float:
    """WeasyPrint on the report's HTML, with and without the drawings (and the same in the
    ``BENCH_BEFORE`` checkout); prints the figures, returns the median with drawings."""
    renders = {"": in_subprocess(env, f"render_times({report_id})")}
    before_root = before_checkout()
    if before_root is not None:
        renders[" (before)"] = in_subprocess(env, f"render_times({report_id})", before_root)
    rendered = renders[""]
    pages = rendered["pages"]
    print(
        f"report: {pages['drawings']} pages with {DRAWINGS} drawings "
        f"({pages['bare']} without), HTML {rendered['html_kib']:.0f} KiB; "
        f"{os.cpu_count()} cores; median of {RUNS}"
    )
    for label, times in renders.items():
        drawn = statistics.median(times["times"]["drawings"])
        bare = statistics.median(times["times"]["bare"])
        print(f"  PDF from the HTML, with the drawings{label}: {drawn:.2f} s")
        print(f"  PDF from the same HTML, no drawings{label}: {bare:.2f} s")
        print(f"  ratio with / without drawings{label}:       {drawn / bare:.2f}")
    return float(statistics.median(rendered["times"]["drawings"]))


def pdfs_through_gunicorn(
    ports: dict[str, int], sam: Browser, claire: Browser, ids: dict[str, int]
) -> dict[str, list[float]]:
    """The meeting's and Claire's PDFs through gunicorn, one request at a time."""
    base = f"/children/{ids['child_id']}/reports/{ids['report_id']}/pdf"
    made: dict[str, list[float]] = {}
    for _ in range(RUNS):  # in turns, this checkout's and the one before
        for label, at in ports.items():
            for who, browser, path in (
                ("meeting's", sam, base),
                ("Claire's", claire, f"/family/reports/{ids['report_id']}/pdf"),
            ):
                other = Browser(at)
                other.cookies = browser.cookies
                made.setdefault(f"{who} PDF through gunicorn{label}", [])
                made[f"{who} PDF through gunicorn{label}"] += one_at_a_time(other, path, 1)
    for name, times in made.items():
        print(f"  {name + ':':<41} median {statistics.median(times):.2f} s")
    return made


def main() -> int:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-")))
        env = bench_env(folder)
        ids = in_subprocess(env, "seed()")
        with_drawings = pdfs_in_one_process(env, ids["report_id"]) if not ONLY_HOME else 0.0

        port = free_port()
        start(stack, gunicorn(port, "voice_app:create_app()", WORKERS, THREADS), env)
        wait_until_up(port)
        sam = Browser(port)
        sam.sign_in("practitioner@demo.example", "demo-password")
        claire = family_sign_in(port)
        ports = {"": port}
        before_port = start_before(stack, env, WORKERS, THREADS)
        if before_port is not None:
            ports[" (before)"] = before_port
        made = pdfs_through_gunicorn(ports, sam, claire, ids) if not ONLY_HOME else {}

        targets = {}
        for label, at in ports.items():
            for browser, path in ((claire, "/family/"), (Browser(at), "/family/sign-in")):
                for _ in range(3 * WORKERS):  # warm every worker
                    warm = Browser(at)
                    warm.cookies = browser.cookies
                    warm.request("GET", path)
            targets[f"Claire's home page{label}"] = (at, "/family/", claire.cookies)
        targets["sign-in page (baseline)"] = (port, "/family/sign-in", {})
        measured = load_in_turns(targets)
        home = measured["Claire's home page"][1]
        baseline = measured["sign-in page (baseline)"][1]
    print()
    print(
        f"family pages: gunicorn {WORKERS} workers x {THREADS} threads, {CLIENTS} clients, "
        f"{SECONDS:.0f} s each, in {ROUNDS} turns"
    )
    print(
        f"{'page':<37} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95 vs base':>12} {'errors':>7}"
    )
    for name, (rps, samples, errors) in measured.items():
        print(
            f"{name:<37} {rps:>7.0f} {statistics.median(samples):>8.1f} {p95(samples):>8.1f} "
            f"{p95(samples) / p95(baseline):>12.2f} {errors:>7}"
        )
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print("targets:")
    if not ONLY_HOME:
        slowest_pdf = max(
            with_drawings,
            *made["meeting's PDF through gunicorn"],
            *made["Claire's PDF through gunicorn"],
        )
        print(
            f"  20-page PDF with {DRAWINGS} drawings < {TARGETS['pdf_s']:.0f} s: slowest "
            f"{slowest_pdf:.2f} s {'met' if slowest_pdf < TARGETS['pdf_s'] else 'MISSED'}"
        )
    print(
        f"  family home p95 < {TARGETS['home_p95_ms']:.0f} ms at {CLIENTS} clients: "
        f"{p95(home):.1f} ms {'met' if p95(home) < TARGETS['home_p95_ms'] else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
