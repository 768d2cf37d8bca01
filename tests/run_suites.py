"""Run the test suite on SQLite, then again on PostgreSQL when a server answers.

PostgreSQL comes from ``VOICE_APP_TEST_DATABASE_URL`` or the CI machine's server on
127.0.0.1:5432. The browser tests, the permission matrix and the tests that never touch the
app's database (speech, images, fonts, prompt audio, servers with databases of their own)
run once, on SQLite: no database engine changes what they check.
"""

from __future__ import annotations

import os
import subprocess
import sys

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


#: Test processes side by side (pytest-xdist): one per core, as CI's two cores allow. Each
#: has its own SQLite file, PostgreSQL database, instance folder, Chromium and model.
WORKERS = os.environ.get("VOICE_APP_TEST_WORKERS") or str(min(os.cpu_count() or 1, 4))


def pytest(extra_env: dict[str, str], *args: str) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    print("== Test suite on SQLite ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "VOICE_APP_TEST_DATABASE_URL"}
    sqlite_status = subprocess.call([sys.executable, "-m", "pytest", "-n", WORKERS], env=env)
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
            "-m",
            "not browser",
            *(f"--ignore={path}" for path in ENGINE_INDEPENDENT),
        )
    return 1 if sqlite_status or postgres_status else 0


if __name__ == "__main__":
    sys.exit(main())
