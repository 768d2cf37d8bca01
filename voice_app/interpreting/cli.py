"""``flask interpreting add-language EMAIL CODE``: the languages an interpreter works in.

Requests are offered only to interpreters assigned to the child who work in the
request's language; an administrator records those languages here.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from voice_app.accounts.models import User
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.interpreting.services.requests import add_language, languages_of

interpreting_cli = AppGroup("interpreting", help="Interpreters and their languages.")


@interpreting_cli.command("add-language")
@click.argument("email")
@click.argument("language")
def add_language_command(email: str, language: str) -> None:
    """Record that the interpreter with EMAIL works in LANGUAGE (a code such as pl)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or user.role is not Role.INTERPRETER:
        raise click.ClickException(f"No interpreter account for {email}.")
    code = language.strip().lower()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise click.ClickException("Give a language code such as pl, ro or so.")
    added = add_language(user, code)
    db.session.commit()
    spoken = ", ".join(languages_of([user.id]).get(user.id, []))
    click.echo(f"{'Added' if added else 'Already recorded'}: {user.email} works in {spoken}.")
