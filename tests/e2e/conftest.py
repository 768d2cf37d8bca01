"""Browser fixtures: the demo app served on a real port, and real Chromium driving it.

The live server has its own app object and its own SQLite file, seeded once with the demo
data. It deliberately does not use the root ``app`` fixture: that one empties every table
after each test, and these tests share the demo data for the whole session.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, test_config  # noqa: F401 - used by tests
from voice_app import create_app
from voice_app.core.demo import seed_demo
from voice_app.core.queue import init_queue
from voice_app.extensions import db


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on its own migrated SQLite database, holding the demo team and children."""
    folder = tmp_path_factory.mktemp("e2e")
    flask_app = create_app(test_config(folder, f"sqlite:///{folder / 'e2e.sqlite3'}"))
    with flask_app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@contextmanager
def serving(flask_app: Flask, name: str) -> Iterator[str]:
    """Serve ``flask_app`` with Werkzeug in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL of the demo app."""
    with serving(live_app, "e2e-live-server") as url:
        yield url


@pytest.fixture(autouse=True)
def _live_server_queue(request: pytest.FixtureRequest) -> None:
    """A test of the live server has its jobs run at once by the live app, as a worker would.

    Huey is one object per process and the last app built points it at its own queue;
    the root conftest puts it back after this test.
    """
    if "live_server" in request.fixturenames:
        init_queue(request.getfixturevalue("live_app"))


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh page in a fresh context (no cookies), at a laptop-sized viewport."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()
