"""``flask interpreting add-language EMAIL CODE``: the languages an interpreter works in.

Requests are offered only to interpreters assigned to the child who work in the
request's language; an administrator records those languages here or on the
``/admin/interpreters`` page. Either way the change is audited.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.interpreting.services.languages import language_code, set_languages
from voice_app.interpreting.services.requests import languages_of

interpreting_cli = AppGroup("interpreting", help="Interpreters and their languages.")


@interpreting_cli.command("add-language")
@click.argument("email")
@click.argument("language")
def add_language_command(email: str, language: str) -> None:
    """Record that the interpreter with EMAIL works in LANGUAGE (a code such as pl)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or user.role is not Role.INTERPRETER:
        raise click.ClickException(f"No interpreter account for {email}.")
    code = language_code(language)
    if code is None:
        raise click.ClickException("Give a language code such as pl, ro or so.")
    current = languages_of([user.id]).get(user.id, [])
    added = set_languages(user, [*current, code], None)
    db.session.commit()
    spoken = ", ".join(languages_of([user.id]).get(user.id, []))
    click.echo(f"{'Added' if added else 'Already recorded'}: {user.email} works in {spoken}.")
