"""``flask audit verify``: prove the audit chain is unbroken."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from voice_app.audit.services import verify_chain

audit_cli = AppGroup("audit", help="Check the audit log.")


@audit_cli.command("verify")
def verify() -> None:
    """Walk the whole chain; exit 1 at the first entry that was changed or removed."""
    checked, broken = verify_chain()
    if broken is not None:
        click.echo(
            f"BROKEN at entry {broken.entry_id}: {broken.reason} "
            f"({checked} entries before it verified).",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"OK: {checked} entries verified.")
