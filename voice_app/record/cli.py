"""``flask records purge-expired``: destroy records whose retention period has ended."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from voice_app.children.closure import expired_children
from voice_app.children.services import today
from voice_app.extensions import db
from voice_app.record.retention import purge_child, wipe_traces

records_cli = AppGroup("records", help="Look after the professional record.")


@records_cli.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="List what would be destroyed; change nothing.")
def purge_expired(dry_run: bool) -> None:
    """Destroy every closed record whose destruction date has come, one child at a time."""
    children = expired_children(today())
    if not children:
        click.echo("Nothing to purge.")
        _wipe(dry_run)
        return
    for child in children:
        if dry_run:
            click.echo(f"Would purge {child.reference} (to be destroyed on {child.destroy_on}).")
            continue
        purged = purge_child(child)
        # One commit per child: a failure part-way leaves the others done and this one whole.
        db.session.commit()
        counts = ", ".join(f"{name} {count}" for name, count in purged.counts.items())
        click.echo(f"Purged {purged.reference}: {counts}.")
    if dry_run:
        click.echo(f"{len(children)} record(s) would be purged; nothing was changed.")
        return
    click.echo(f"{len(children)} record(s) purged.")
    _wipe(dry_run)


def _wipe(dry_run: bool) -> None:
    """Empty SQLite's write-ahead log of destroyed rows (a rerun finishes what a reader blocked)."""
    warning = None if dry_run else wipe_traces()
    if warning:
        click.echo(warning, err=True)
