"""Shared fixtures: the app on a real database, clients, a sign-in helper, and factories.

The database is SQLite in a temporary folder, or PostgreSQL when
``VOICE_APP_TEST_DATABASE_URL`` names one (``make test`` runs the suite both ways). The
schema comes from the real migrations; every test starts with empty tables.

``tests/run_suites.py`` also runs the media, upload, queue and rate-limit tests on the
engines several hosts share: ``VOICE_APP_TEST_MEDIA_URL`` (``s3://bucket/prefix``, with
``VOICE_APP_TEST_S3_ENDPOINT``) puts media in a bucket, ``VOICE_APP_TEST_REDIS_URL`` the
queue and the rate-limit counters in Redis; each test starts with them empty too.
"""

from __future__ import annotations

import contextvars
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import event, text

from tests import factories
from voice_app import create_app
from voice_app.config import ROOT
from voice_app.core.queue import huey, init_queue
from voice_app.extensions import db, limiter

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

TEST_PASSWORD = factories.TEST_PASSWORD
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def test_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """Settings for an app under test: real database and queue, cheap password hashing."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUEUE_URL": "memory://",
        "QUEUE_IMMEDIATE": True,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
        "RATELIMIT_STORAGE_URI": "memory://",
        # The real model, as `make install` assembles it.
        "WHISPER_MODEL_DIR": os.environ.get("VOICE_APP_WHISPER_MODEL")
        or str(ROOT / "instance" / "models" / "whisper-base"),
        **_shared_engines(),
    }


def _shared_engines() -> dict[str, Any]:
    """Media in a bucket, queue and rate limits in Redis, when the run names them; each
    pytest-xdist worker gets a prefix and a Redis database of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER") or "gw"
    settings: dict[str, Any] = {}
    bucket = os.environ.get("VOICE_APP_TEST_MEDIA_URL")
    if bucket:
        settings["MEDIA_URL"] = f"{bucket.rstrip('/')}/{worker}"
        settings["S3_ENDPOINT"] = os.environ.get("VOICE_APP_TEST_S3_ENDPOINT", "")
    redis_url = os.environ.get("VOICE_APP_TEST_REDIS_URL")
    if redis_url:
        base, _, number = redis_url.rstrip("/").rpartition("/")
        index = int(worker[2:]) + 1 if worker[2:].isdigit() else 0
        mine = f"{base}/{(int(number) + index) % 16}" if number.isdigit() else redis_url
        settings["QUEUE_URL"] = settings["RATELIMIT_STORAGE_URI"] = mine
    return settings


test_config.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def _reset_schema(url: str) -> None:
    """Start PostgreSQL runs from an empty schema, so migrations run from the beginning."""
    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


def speak(text: str, voice: str, target: Path) -> Path:
    """A real spoken clip: espeak-ng's voice, resampled to 16 kHz mono as phones record."""
    raw = target.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(target)], check=True)
    raw.unlink()
    return target


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    configured = os.environ.get("VOICE_APP_TEST_DATABASE_URL")
    if configured:
        return _database_of_this_worker(configured)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _database_of_this_worker(url: str) -> str:
    """With pytest-xdist, each worker gets a PostgreSQL database of its own (``test_gw0``…),
    made on first use: two workers emptying one database's tables would wipe each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    given = make_url(url)
    mine = given.set(database=f"{given.database}_{worker}")
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": mine.database}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{mine.database}"'))
    finally:
        admin.dispose()
    return mine.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Flask]:
    flask_app = create_app(test_config(tmp_path_factory.mktemp("app"), database_url))
    with flask_app.app_context():
        _reset_schema(database_url)
        upgrade()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _queue_left_as_found() -> Iterator[None]:
    """Each test leaves the one process-wide Huey as it found it.

    ``create_app`` points the shared Huey at the new app's queue. A test that builds an app
    with the default settings (a SQLite queue, nothing run at once) would otherwise leave
    the next test's live server queueing jobs nobody runs: a recording in the browser tests
    then waited for a transcription that never came.
    """
    from voice_app.core import queue

    saved = (queue.huey.immediate, queue.huey.storage, queue._bound_app)
    yield
    # In this order: setting ``immediate`` may swap the storage.
    queue.huey.immediate, queue.huey.storage, queue._bound_app = saved


@pytest.fixture(autouse=True)
def _app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each database test runs in an app context and leaves empty tables behind."""
    if "app" not in request.fixturenames:
        yield
        return
    flask_app: Flask = request.getfixturevalue("app")
    with flask_app.app_context():
        limiter.reset()
        # Another app built by an earlier test (create_app points the one shared Huey at its
        # own queue) must not leave this test on that queue: back to this app's, empty.
        init_queue(flask_app)
        if flask_app.config["QUEUE_URL"].startswith("redis"):
            huey.storage.flush_all()  # Redis outlives the test: empty it as memory:// would be
        yield
        db.session.rollback()
        shutil.rmtree(flask_app.config["MEDIA_ROOT"], ignore_errors=True)
        shutil.rmtree(flask_app.config["UPLOAD_ROOT"], ignore_errors=True)
        if flask_app.config.get("MEDIA_URL"):
            _empty_bucket(flask_app.config["MEDIA_URL"], flask_app.config["S3_ENDPOINT"])
            # A test may have pointed AWS_* at a server of its own while the store was made.
            flask_app.extensions.pop("media_store", None)
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.session.remove()


#: The run's bucket credentials, as the run gave them: a test may point AWS_* elsewhere.
_RUN_CREDENTIALS = (os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY"))
_buckets: dict[tuple[str, str], Any] = {}


def _empty_bucket(url: str, endpoint: str) -> None:
    """Remove every object under the run's bucket prefix (media and uploads alike)."""
    import boto3

    from voice_app.core.storage import S3Blobs

    blobs = _buckets.get((url, endpoint))
    if blobs is None:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        client = boto3.client(
            "s3",
            endpoint_url=endpoint or None,
            aws_access_key_id=_RUN_CREDENTIALS[0],
            aws_secret_access_key=_RUN_CREDENTIALS[1],
            region_name="us-east-1",
        )
        blobs = _buckets[(url, endpoint)] = S3Blobs(client, bucket, prefix)
    keys = [f"{blobs.prefix}/{listed.key}" for listed in blobs.list_under("")]
    for first in range(0, len(keys), 1000):
        batch = [{"Key": key} for key in keys[first : first + 1000]]
        blobs.client.delete_objects(Bucket=blobs.bucket, Delete={"Objects": batch})


class Client(FlaskClient):
    """A test client that sends the CSRF token the page gave it, as a browser would.

    Each request runs outside the test's app context, as a real one would: otherwise it
    would share ``g`` (and with it the signed-in user and CSRF token) with the test.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if has_app_context():
            # End the test's own transaction: SQLite lets one writer in at a time.
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        # Any page carries the token; a 404 is the cheapest (the child space redirects home).
        page = self.get("/__csrf__", follow_redirects=True)
        match = CSRF_META.search(page.get_data(as_text=True))
        assert match, "no csrf-token meta tag on the page"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form the way the browser would, with the page's CSRF token."""
        form = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=form, **kwargs)

    def send_json(self, url: str, payload: Any) -> Any:
        """POST JSON the way the pages' fetch() does, with the token in X-CSRFToken."""
        return self.post(url, json=payload, headers={"X-CSRFToken": self.csrf_token()})

    def sign_in(self, email: str, password: str = TEST_PASSWORD) -> Any:
        response = self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return response


@pytest.fixture
def media_in_a_folder(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests of the folder store itself (file ages, temporary files, modes on disk):
    media and uploads in ``MEDIA_ROOT``/``UPLOAD_ROOT`` even in the run that keeps them in
    a bucket (tests/uploads/test_s3_media.py checks the bucket the same way)."""
    monkeypatch.setitem(app.config, "MEDIA_URL", "")


def stored_media() -> list[bytes]:
    """The sealed bytes of every media file in the app's store, folder or bucket."""
    from voice_app.core.storage import media_store

    blobs = media_store().blobs
    return [blobs.read(listed.key) for listed in blobs.listing()]


def uploads_waiting() -> dict[str, list[bytes]]:
    """Chunked uploads still arriving, ``<child id>/<client id>``: their chunks, sealed."""
    from voice_app.core.storage import upload_blobs

    blobs = upload_blobs()
    waiting: dict[str, list[bytes]] = {}
    for listed in sorted(blobs.list_under(""), key=lambda listed: listed.key):
        item, _, name = listed.key.rpartition("/")
        chunks = waiting.setdefault(item, [])
        if name.isdigit():
            chunks.append(blobs.read(listed.key))
    return waiting


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_client(app: Flask):  # type: ignore[no-untyped-def]
    """Another browser: ``make_client("someone@example.org")`` returns it signed in."""

    def make(email: str | None = None) -> Client:
        app.test_client_class = Client
        new_client: Client = app.test_client()  # type: ignore[assignment]
        if email:
            new_client.sign_in(email)
        return new_client

    return make


# --- real Chromium (Debian's), for the browser tests anywhere in the suite ------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright per test process: a second one started beside it would fail."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield chromium
    finally:
        chromium.close()
