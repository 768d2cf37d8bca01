"""Configuration, security headers, error pages, CSRF, health, the queue and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from tests.conftest import Client, test_config
from tests.factories import UserFactory
from voice_app import create_app
from voice_app.accounts.models import Team
from voice_app.config import ConfigError
from voice_app.core.queue import HEARTBEAT_KEY, huey, write_heartbeat
from voice_app.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_APP_ENV", "production")
    monkeypatch.delenv("VOICE_APP_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="VOICE_APP_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_without_the_variable_the_key_comes_from_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_APP_ENV", "production")
    monkeypatch.delenv("VOICE_APP_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("kept-in-the-instance-folder\n")
    # Not frozen here: this process is the test run's, not a server's.
    production = {"INSTANCE_PATH": str(tmp_path), "FREEZE_GC": False}
    assert create_app(production).config["SECRET_KEY"] == "kept-in-the-instance-folder"
    monkeypatch.setenv("VOICE_APP_SECRET_KEY", "the-variable-wins")
    assert create_app(production).config["SECRET_KEY"] == "the-variable-wins"


def test_a_production_app_keeps_what_it_built_out_of_full_collections(tmp_path):
    """In its own process, as a server would build it: the app's objects are frozen, so a
    full garbage collection no longer walks them (a 110 ms stall before)."""
    script = (
        "import gc\n"
        "from voice_app import create_app\n"
        "create_app()\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    env = {
        **os.environ,
        "VOICE_APP_ENV": "production",
        "VOICE_APP_SECRET_KEY": "x" * 64,
        "VOICE_APP_DATABASE_URL": f"sqlite:///{tmp_path}/app.sqlite3",
        "VOICE_APP_QUEUE_URL": f"sqlite:///{tmp_path}/queue.sqlite3",
        "VOICE_APP_MEDIA_DIR": str(tmp_path / "media"),
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    frozen, collected = map(int, out.stdout.split())
    assert frozen > 50_000 and collected < 1_000


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_APP_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("VOICE_APP_DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    monkeypatch.setenv("VOICE_APP_SESSION_IDLE_MINUTES", "10")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.sqlite3")
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 600


def test_pages_carry_strict_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(make_client):
    admin = UserFactory(role="admin", team=None)
    browser = make_client(admin.email)
    response = browser.post("/admin/teams", data={"name": "Sneaky Team"})
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Team)) == 0


def test_an_unexpected_error_shows_a_friendly_page_without_a_trace(tmp_path, database_url):
    app = create_app(test_config(tmp_path, database_url) | {"TESTING": False})

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.test_client_class = Client
    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_not_found_page_is_in_the_readers_language(client):
    response = client.get("/nowhere", headers={"Accept-Language": "cy"})
    assert response.status_code == 404
    assert "Page not found" not in response.get_data(as_text=True)
    assert 'lang="cy"' in response.get_data(as_text=True)


def test_healthz_is_ready_only_once_a_worker_has_been_seen(client):
    huey.storage.delete_data(HEARTBEAT_KEY)
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "not_ready" and body["ready"] is False
    assert body["failing"] == ["worker"]
    assert body["database"] == "ok" and body["schema"]["status"] == "at_head"
    assert body["queue"]["status"] == "no_worker"
    assert body["speech_model"] == "ready"
    write_heartbeat()  # what a running worker does every minute
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["ready"] is True and body["failing"] == []
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["worker_last_seen_seconds_ago"] <= 1


def test_healthz_knows_when_the_heartbeat_is_stale(client):
    huey.put(HEARTBEAT_KEY, time.time() - 3600)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["queue"]["status"] == "no_worker"


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_a_background_job_runs_inside_the_app_and_commits_its_own_work(app):
    from voice_app.accounts.services import create_team
    from voice_app.core.queue import job

    @job()
    def open_team(name: str) -> int:
        team = create_team(name)
        db.session.commit()
        return team.id

    # The test app runs jobs immediately, on the real queue interface.
    team_id = open_team("Queued Team")()
    assert db.session.get(Team, team_id).name == "Queued Team"


def test_the_site_icon_is_served_where_browsers_ask_for_it(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/login").get_data(as_text=True)


def test_static_files_never_carry_the_session_cookie(make_client):
    # A stylesheet still loading when a person signs out on a shared tablet must not put
    # the old session back, and a response with a cookie on it is one no cache may keep.
    practitioner = UserFactory(role="practitioner")
    browser = make_client(practitioner.email)
    page = browser.get("/children/")
    assert page.status_code == 200 and "Set-Cookie" in page.headers
    for path in ("/static/css/app.css", "/favicon.ico"):
        with browser.get(path) as response:
            assert response.status_code == 200
            assert "Set-Cookie" not in response.headers, path


def test_with_every_database_connection_busy_the_answer_is_busy_try_again(tmp_path, database_url):
    # An overloaded machine: a request that waits the pool's timeout for a connection is
    # told "busy, try again" (503 and Retry-After: the tablet's outbox sends again), not
    # given the "something went wrong" answer.
    overrides = test_config(tmp_path, database_url) | {"TESTING": False}
    overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_size": 1,
        "max_overflow": 0,
        "pool_timeout": 0.2,
    }
    app = create_app(overrides)

    @app.get("/teams-count")
    def teams_count() -> str:
        return str(db.session.scalar(select(func.count()).select_from(Team)))

    with app.app_context():
        db.create_all()
        engine = db.engine
    app.test_client_class = Client
    signed_in = app.test_client()
    with signed_in.session_transaction() as cookie:
        # A signed-in member of staff: the usual error page would read their account (name
        # in the header, language), from the very database that could not be reached.
        cookie["_user_id"] = "1:a-session-token"
        cookie["_fresh"] = True
    held = engine.connect()  # the pool's one connection, busy elsewhere
    try:
        busy = signed_in.get("/teams-count", headers={"Accept-Language": "pl"})
    finally:
        held.close()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    page = busy.get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in page and "Jesteśmy teraz bardzo zajęci" in page
    assert busy.headers["Content-Security-Policy"]
    free = app.test_client().get("/teams-count")
    engine.dispose()  # this app's own pool: its connections are closed, not left to the GC
    assert free.status_code == 200 and free.get_data(as_text=True) == "0"


def test_sqlites_write_lock_held_too_long_is_busy_and_other_database_errors_are_not(
    tmp_path, database_url
):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    app = create_app(test_config(tmp_path, database_url) | {"TESTING": False})

    @app.get("/locked")
    def locked() -> str:
        # What SQLite raises when another writer kept the lock past busy_timeout.
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    @app.get("/broken")
    def broken() -> str:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))

    app.test_client_class = Client
    busy = app.test_client().get("/locked")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "We are very busy just now" in busy.get_data(as_text=True)
    broken_page = app.test_client().get("/broken")
    assert broken_page.status_code == 500 and "Retry-After" not in broken_page.headers
    assert "Something went wrong on our side" in broken_page.get_data(as_text=True)
