"""``make run`` as a new user finds it: ``/healthz`` readiness and the README's commands."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

from flask_migrate import upgrade

from tests.conftest import test_config
from voice_app import create_app
from voice_app.config import ROOT
from voice_app.core.demo import seed_demo
from voice_app.core.queue import write_heartbeat
from voice_app.extensions import db

FLASK = str(Path(sys.executable).parent / "flask")


def test_healthz_is_not_ready_until_the_schema_is_at_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    fresh = create_app(test_config(tmp_path, url))
    try:
        write_heartbeat()
        client = fresh.test_client()
        response = client.get("/healthz")
        body = response.get_json()
        assert response.status_code == 503
        # The database answers, but the tables are not there yet.
        assert body["database"] == "ok"
        assert body["failing"] == ["schema"]
        assert body["schema"]["status"] == "empty" and body["demo"] == "unknown"
        with fresh.app_context():
            upgrade(revision="0001")
        body = client.get("/healthz").get_json()
        assert body["schema"]["status"] == "behind" and body["schema"]["current"] == ["0001"]
        assert body["failing"] == ["schema"]
        with fresh.app_context():
            upgrade()
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.get_json()["schema"]["status"] == "at_head"
    finally:
        with fresh.app_context():
            db.engine.dispose()


def test_a_demo_database_is_ready_only_once_the_demo_is_seeded(app, client, monkeypatch):
    write_heartbeat()
    body = client.get("/healthz").get_json()
    # Not a demo database: an unseeded one is ready, and says so.
    assert body["ready"] is True and body["demo"] == "not_seeded"
    monkeypatch.setitem(app.config, "DEMO", True)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["failing"] == ["demo"]
    seed_demo()
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["demo"] == "seeded"


def _silence(path: Path) -> Path:
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(16000)
        clip.writeframes(b"\0\0" * 16000)
    return path


def _cli_env() -> dict[str, str]:
    """A shell as a new user has it after ``make run``: no VOICE_APP_* variables at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICE_APP_")}
    env["VOICE_APP_WHISPER_MODEL"] = str(ROOT / "instance" / "models" / "whisper-base")
    return env


def _flask(instance: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # `flask --app voice_app ...` exactly as the README prints it, on a temporary instance
    # folder instead of the checkout's own.
    app_spec = f"voice_app:create_app({{'INSTANCE_PATH': {str(instance)!r}}})"
    return subprocess.run(
        [FLASK, "--app", app_spec, *args],
        env=_cli_env(),
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_readme_command_works_with_the_key_make_run_keeps(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    refused = _flask(instance, "audit", "verify")
    assert refused.returncode != 0
    assert "VOICE_APP_SECRET_KEY is not set" in refused.stderr
    assert not (instance / "voice_app.sqlite3").exists()

    (instance / "secret_key").write_text("b3f1" * 16 + "\n")  # as `make run` writes it
    clip = _silence(tmp_path / "clip.wav")
    commands: list[tuple[list[str], str, str]] = [
        (["db", "upgrade"], "", ""),
        (["demo"], "", "Demo seeded."),
        (
            [
                *("users", "create", "--email", "a@example.org", "--name", "A Person"),
                *("--post-title", "Social Worker", "--role", "practitioner"),
                *("--team", "Riverside Children's Team"),
            ],
            "a-long-enough-password-1\n" * 2,
            "",
        ),
        (["audit", "verify"], "", ""),
        (["records", "purge-expired", "--dry-run"], "", ""),
        (["records", "purge-expired"], "", ""),
        (["transcribe", str(clip), "--language", "en"], "", ""),
    ]
    for args, stdin, expected in commands:
        result = _flask(instance, *args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert expected in result.stdout, (args, result.stdout)
    # `i18n check` runs; whether the catalogs are complete is the lead's merge, not this.
    checked = _flask(instance, "i18n", "check")
    assert "SECRET_KEY" not in checked.stderr
    assert checked.returncode == 0 or "messages.pot is stale" in checked.stderr
