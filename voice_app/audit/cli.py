"""``flask audit verify``: prove the audit chain is unbroken."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from voice_app.audit.services import make_checkpoint, verify_chain
from voice_app.extensions import db

audit_cli = AppGroup("audit", help="Check the audit log.")


@audit_cli.command("verify")
def verify() -> None:
    """Walk every lane and checkpoint; exit 1 at the first entry changed or removed."""
    checked, broken = verify_chain()
    if broken is not None:
        click.echo(
            f"BROKEN at entry {broken.entry_id}: {broken.reason} "
            f"({checked} entries before it verified).",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"OK: {checked} entries verified.")


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Sign the head of every lane now (the worker does it every minute)."""
    made = make_checkpoint()
    db.session.commit()
    click.echo(f"Checkpoint {made.id} made." if made else "Nothing new since the last checkpoint.")
