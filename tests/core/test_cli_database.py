"""Every ``flask`` command says which database and queue it uses, never a password."""

from __future__ import annotations

import sys

from voice_app.core.cli import say_which_database


def test_a_flask_command_names_its_database(app, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["/srv/voice_app/.venv/bin/flask", "audit", "verify"])
    monkeypatch.setitem(
        app.config, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://voice:s3cret@db/voice"
    )
    monkeypatch.setitem(app.config, "QUEUE_URL", "redis://:qsecret@cache:6379/0")
    say_which_database(app)
    said = capsys.readouterr().err
    assert "database postgresql+psycopg://voice:***@db/voice" in said
    assert "queue" in said and "cache:6379/0" in said
    assert "s3cret" not in said and "qsecret" not in said


def test_the_web_server_says_nothing(app, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["gunicorn"])
    say_which_database(app)
    assert capsys.readouterr().err == ""
