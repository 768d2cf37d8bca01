"""``flask users``: manage staff accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from voice_app.accounts import services
from voice_app.accounts.models import Team
from voice_app.core.permissions import Role
from voice_app.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--post-title", required=True, help='e.g. "Senior Social Worker"')
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", "team_name", default=None, help="Team name; created if new.")
@click.password_option(help="Prompted for when not given.")
def create_user(
    email: str, name: str, post_title: str, role: str, team_name: str | None, password: str
) -> None:
    """Create a staff account."""
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="--password")
    team = None
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        team = team or services.create_team(team_name)
    try:
        user = services.create_user(
            email=email,
            name=name,
            post_title=post_title,
            role=Role(role),
            password=password,
            team=team,
        )
    except services.EmailTaken as exc:
        raise click.ClickException(f"an account already uses {email}") from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
