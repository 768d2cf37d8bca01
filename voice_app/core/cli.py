"""Registers every area's command-line group on the app."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from voice_app.accounts.cli import users_cli
    from voice_app.audit.cli import audit_cli
    from voice_app.core.demo import demo_command
    from voice_app.core.media_keys import media_cli
    from voice_app.i18n.cli import i18n_cli
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
    ):
        app.cli.add_command(command)
