"""Registers every area's command-line group on the app."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url


def register_cli(app: Flask) -> None:
    from voice_app.accounts.cli import users_cli
    from voice_app.audit.cli import audit_cli
    from voice_app.core.backup import backup_cli
    from voice_app.core.demo import demo_command
    from voice_app.core.media_keys import media_cli
    from voice_app.i18n.cli import i18n_cli
    from voice_app.interpreting.cli import interpreting_cli
    from voice_app.read_aloud.cli import speech_cli
    from voice_app.record.cli import records_cli
    from voice_app.transcription.cli import transcribe_command

    for command in (
        users_cli,
        audit_cli,
        demo_command,
        i18n_cli,
        transcribe_command,
        records_cli,
        media_cli,
        backup_cli,
        interpreting_cli,
        speech_cli,
    ):
        app.cli.add_command(command)
    say_which_database(app)


def say_which_database(app: Flask) -> None:
    """Every ``flask`` command says (on stderr) which database, queue and media store it uses.

    A command run without the deployment's ``VOICE_APP_DATABASE_URL`` would otherwise
    quietly read the SQLite file in ``instance/`` ("audit verify: OK" about the wrong
    database). Passwords in the URLs are never printed.
    """
    if Path(sys.argv[0]).name != "flask":
        return
    click.echo(
        f"voice_app: database {_shown(app.config['SQLALCHEMY_DATABASE_URI'])}, "
        f"queue {_shown(app.config['QUEUE_URL'])}, "
        f"media {app.config.get('MEDIA_URL') or app.config['MEDIA_ROOT']}",
        err=True,
    )


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a queue URL SQLAlchemy does not parse (redis://): no password shown
        return url.split("@")[-1] if "@" in url else url
