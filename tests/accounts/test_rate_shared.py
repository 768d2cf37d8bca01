"""The sign-in rate limit holds across worker processes with the default store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from voice_app.config import load_config

ROOT = Path(__file__).resolve().parents[2]

# One "worker": its own process and its own app, the store given, three sign-in attempts.
WORKER = """
import json, sys
from pathlib import Path
from tests.conftest import test_config
from voice_app import create_app
tmp, url, store = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
config = test_config(tmp, url)
config.update(RATELIMIT_STORAGE_URI=store, LOGIN_RATE_LIMIT="4 per minute",
              WTF_CSRF_ENABLED=False)
app = create_app(config)
if url.startswith("sqlite"):
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
client = app.test_client()
print(json.dumps([client.post("/login", data={"email": f"x{n}@example.org",
                  "password": "x"}).status_code for n in range(3)]))
"""


def run_worker(tmp: Path, database_url: str, store: str) -> list[int]:
    # A SQLite test database is never opened by a second process while the suite's own
    # connections hold it: each worker gets a fresh file of its own (PostgreSQL is shared).
    if database_url.startswith("sqlite"):
        tmp.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{tmp / 'worker.sqlite3'}"
    env = {**os.environ, "VOICE_APP_ENV": "testing"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(tmp), database_url, store],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_default_store_is_shared_by_every_process(tmp_path, monkeypatch, app, database_url):
    monkeypatch.setenv("VOICE_APP_SECRET_KEY", "x")
    monkeypatch.delenv("VOICE_APP_RATELIMIT_STORAGE_URL", raising=False)
    default = load_config(tmp_path)["RATELIMIT_STORAGE_URI"]
    assert default == f"sqlitefile://{tmp_path / 'ratelimit.sqlite3'}"
    # Two workers, three attempts each, a limit of four: the second worker is refused.
    first = run_worker(tmp_path / "one", database_url, default)
    second = run_worker(tmp_path / "two", database_url, default)
    assert first == [200, 200, 200]
    assert second == [200, 429, 429]
    assert b"127.0.0.1" not in (tmp_path / "ratelimit.sqlite3").read_bytes()


def test_the_in_memory_store_counts_each_process_alone(tmp_path, app, database_url):
    # Why the default changed: per process, six attempts pass a limit of four.
    assert run_worker(tmp_path / "a", database_url, "memory://") == [200, 200, 200]
    assert run_worker(tmp_path / "b", database_url, "memory://") == [200, 200, 200]
