"""Benchmark: pages on a weak link (a poor school Wi-Fi) in real Chromium, before and after.

Chromium (Debian's, through Playwright) is slowed by CDP ``Network.emulateNetworkConditions``
to 1.6 Mbit/s down, 750 kbit/s up and 300 ms round trips. Two gunicorn servers share one
demo database: one with ``VOICE_APP_STATIC_ASSETS_FAST=0`` (the app as it was: every static
file revalidated, nothing compressed), one with it on (fingerprinted URLs cached for a
year, gzip for static text). For the child's space home (a band 1 and a band 3 child),
the family home, the family's plan, Maya's plan and the case list, it prints the first
visit (empty cache) and the second (warm cache): requests that reached the network (304s
included), bytes received (headers included) and time to the load event; then after ÷
before.

``python -m tests.bench weak_link`` (or ``python -m tests.bench.weak_link``) runs it alone;
``BENCH_WEAK_RUNS`` repeats each visit (median; default 3).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT, bench_env, free_port, gunicorn, start, wait_until_up
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

RUNS = int(os.environ.get("BENCH_WEAK_RUNS", "3"))
#: A poor school Wi-Fi: CDP takes bytes a second and milliseconds.
WEAK_LINK = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
MODES = {"before": "0", "after": "1"}


def seed() -> None:
    """(In a subprocess, with the bench's environment.) Migrate, seed the demo, and add a
    6-year-old (band 1) and a 15-year-old (band 3) for each server, with invitations."""
    from datetime import date, timedelta

    from flask_migrate import upgrade
    from sqlalchemy import select

    from voice_app import create_app
    from voice_app.accounts import services as accounts
    from voice_app.accounts.invitations import create_invitation
    from voice_app.children import services as children
    from voice_app.children.models import Child
    from voice_app.core.demo import seed_demo
    from voice_app.extensions import db

    app = create_app()
    with app.app_context(), app.test_request_context():
        upgrade()
        seed_demo()
        sam = accounts.find_user_by_email("practitioner@demo.example")
        assert sam is not None
        tokens: dict[str, dict[str, str]] = {}
        for mode in MODES:
            for band, age in (("band 1", 6), ("band 3", 15)):
                details: dict[str, Any] = dict.fromkeys(children.DETAIL_FIELDS)
                details.update(
                    reference=f"BENCH-{mode}-{age}",
                    full_name=f"Bench {mode} {age}",
                    preferred_name=f"Kit{age}",
                    date_of_birth=date.today().replace(year=date.today().year - age)
                    - timedelta(days=40),
                    preferred_language="en",
                )
                child = children.create_child(details, sam)
                invitation = create_invitation(child, "bench", sam, timedelta(days=1))
                tokens.setdefault(mode, {})[band] = invitation.token
        maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
        db.session.commit()
        print(json.dumps({"tokens": tokens, "maya_id": maya.id}))


@dataclass
class Visit:
    requests: int
    kib: float
    seconds: float


class Measured:
    """A page on the weak link whose network requests, bytes and load time are counted."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.page.set_default_timeout(120_000)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", WEAK_LINK)
        self.started: set[str] = set()
        self.from_cache: set[str] = set()
        self.received: dict[str, float] = {}
        self.cdp.on("Network.requestWillBeSent", lambda e: self.started.add(e["requestId"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.from_cache.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.from_cache.add(event["requestId"])

    def _finished(self, event: dict[str, Any]) -> None:
        self.received[event["requestId"]] = event["encodedDataLength"]

    def _failed(self, event: dict[str, Any]) -> None:
        self.received[event["requestId"]] = 0

    def clear_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")

    def visit(self, path: str) -> Visit:
        self.started.clear()
        self.from_cache.clear()
        self.received.clear()
        self.page.goto(path, wait_until="load")
        loaded_ms = self.page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        asked = set(self.started)
        deadline = time.time() + 10
        while not asked <= set(self.received) and time.time() < deadline:
            self.page.wait_for_timeout(100)
        network = asked - self.from_cache
        return Visit(
            requests=len(network),
            kib=sum(self.received.get(r, 0) for r in network) / 1024,
            seconds=loaded_ms / 1000,
        )

    def close(self) -> None:
        self.cdp.detach()
        self.page.close()


def first_and_second(context: Any, path: str) -> tuple[Visit, Visit]:
    """The first visit with an empty cache, then the second in a new tab (a warm cache)."""
    first = Measured(context)
    first.clear_cache()
    cold = first.visit(path)
    first.close()
    second = Measured(context)
    warm = second.visit(path)
    second.close()
    return cold, warm


def sign_in_staff(page: Any) -> None:
    page.goto("/login")
    page.fill("input[name=email]", "practitioner@demo.example")
    page.fill("input[name=password]", "demo-password")
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def sign_in_family(page: Any) -> None:
    from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN

    page.goto("/family/sign-in")
    page.fill("input[name=sign_in_name]", DEMO_FAMILY_SIGN_IN)
    page.fill("input[name=passphrase]", DEMO_FAMILY_PASSPHRASE)
    with page.expect_navigation():
        page.press("input[name=passphrase]", "Enter")


def median(visits: list[Visit]) -> Visit:
    return Visit(
        requests=round(statistics.median(v.requests for v in visits)),
        kib=statistics.median(v.kib for v in visits),
        seconds=statistics.median(v.seconds for v in visits),
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="voice-bench-")))
        env = bench_env(folder, postgres_allowed=False)
        out = subprocess.run(
            [sys.executable, "-c", "from tests.bench.weak_link import seed; seed()"],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode != 0:
            raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
        seeded = json.loads(out.stdout.strip().splitlines()[-1])
        urls = {}
        for mode, switch in MODES.items():
            port = free_port()
            start(
                stack,
                gunicorn(port, "voice_app:create_app()", workers=1, threads=8),
                {**env, "VOICE_APP_STATIC_ASSETS_FAST": switch},
            )
            urls[mode] = f"http://127.0.0.1:{port}"
        for url in urls.values():
            wait_until_up(int(url.rsplit(":", 1)[1]))

        driver = stack.enter_context(sync_playwright())
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        stack.callback(browser.close)

        def child(band: str) -> Callable[[Any, str], str]:
            def open_space(page: Any, mode: str) -> str:
                page.goto(f"/i/{seeded['tokens'][mode][band]}")
                page.wait_for_url("**/me")
                return "/me"

            return open_space

        def family_home(page: Any, _mode: str) -> str:
            sign_in_family(page)
            return "/family/"

        def family_plan(page: Any, _mode: str) -> str:
            sign_in_family(page)
            return "/family/plan"

        def staff(path: str) -> Callable[[Any, str], str]:
            def signed_in(page: Any, _mode: str) -> str:
                sign_in_staff(page)
                return path

            return signed_in

        #: What each row opens, given a fresh browser context: it signs in, returns the path.
        pages: dict[str, Callable[[Any, str], str]] = {
            "child's space, band 1": child("band 1"),
            "child's space, band 3": child("band 3"),
            "family home": family_home,
            "family's plan": family_plan,
            "Maya's plan": staff(f"/children/{seeded['maya_id']}/plan"),
            "case list": staff("/children/"),
        }
        print(
            "link: 1.6 Mbit/s down, 750 kbit/s up, 300 ms RTT (CDP); "
            f"median of {RUNS}; requests that reached the network (304s too), "
            "KiB received with headers, seconds to the load event"
        )
        header = f"{'page':<24}{'visit':<8}{'before':>26}  {'after':>26}   after ÷ before"
        print(header)
        for name, open_page in pages.items():
            results: dict[str, dict[str, list[Visit]]] = {
                m: {"first": [], "second": []} for m in MODES
            }
            for mode in MODES:
                context = browser.new_context(
                    base_url=urls[mode], viewport={"width": 768, "height": 1024}, locale="en-GB"
                )
                context.set_default_timeout(120_000)
                setup = context.new_page()
                path = open_page(setup, mode)
                setup.close()
                for _ in range(RUNS):
                    cold, warm = first_and_second(context, path)
                    results[mode]["first"].append(cold)
                    results[mode]["second"].append(warm)
                context.close()
            for visit in ("first", "second"):
                before = median(results["before"][visit])
                after = median(results["after"][visit])
                cells = [
                    f"{v.requests:>3} req {v.kib:>6.1f} KiB {v.seconds:>5.2f} s"
                    for v in (before, after)
                ]
                ratio = (
                    f"req {after.requests / max(before.requests, 1):.2f}×, "
                    f"KiB {after.kib / before.kib:.2f}×, time {after.seconds / before.seconds:.2f}×"
                )
                print(f"{name:<24}{visit:<8}{cells[0]:>26}  {cells[1]:>26}   {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
