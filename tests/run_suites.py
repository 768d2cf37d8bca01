"""Run the test suite on SQLite, then again on PostgreSQL when a server answers.

PostgreSQL comes from ``VOICE_APP_TEST_DATABASE_URL`` or the CI machine's server on
127.0.0.1:5432. The browser tests and the permission matrix run once, on SQLite: they exercise
pages and who may reach each route, not the database.
"""

from __future__ import annotations

import os
import subprocess
import sys

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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


def pytest(extra_env: dict[str, str], *args: str) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    print("== Test suite on SQLite ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "VOICE_APP_TEST_DATABASE_URL"}
    sqlite_status = subprocess.call([sys.executable, "-m", "pytest"], env=env)
    postgres_url = reachable_postgres()
    postgres_status = 0
    if postgres_url:
        print(f"== Database tests again on PostgreSQL ({postgres_url}) ==", flush=True)
        # The role x endpoint matrix (three quarters of the suite's cases) asks who may
        # reach each route, which no database engine changes; it runs on SQLite above.
        # Every area's own tests, the leak tests and the migrations run here too.
        print("The permission matrix runs on SQLite only.", flush=True)
        postgres_status = pytest(
            {"VOICE_APP_TEST_DATABASE_URL": postgres_url},
            "-m",
            "not browser",
            "--ignore=tests/core/test_permission_matrix.py",
        )
    return 1 if sqlite_status or postgres_status else 0


if __name__ == "__main__":
    sys.exit(main())
