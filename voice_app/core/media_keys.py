"""``flask media``: the keys that seal recordings, drawings and exports, and rotating them.

An operator rotates media keys without losing a file:

1. ``flask media new-key`` adds a new key to ``instance/media_keys`` (or put it at the end
   of ``VOICE_APP_MEDIA_KEY``, comma-separated). New files are sealed with it at once;
   files sealed with the older keys still open.
2. ``flask media rekey`` seals every stored file again under the newest key.
3. Remove the old key. ``flask media rekey --check`` first says whether any file still
   needs it.

The legacy key derived from ``VOICE_APP_SECRET_KEY`` (every file written before media
keys existed) is always tried last, so those files stay readable until rekeyed; after a
rekey the secret key can be rotated freely.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from voice_app.config import MEDIA_KEYS_FILE
from voice_app.core.storage import KEY_BYTES, MediaCorrupt, key_id, media_key, media_store

media_cli = AppGroup("media", help="Media encryption keys: add one, move files to the newest.")


@media_cli.command("new-key")
def new_key() -> None:
    """Add a new media key to instance/media_keys; new files are sealed with it."""
    if os.environ.get("VOICE_APP_MEDIA_KEY"):
        raise click.ClickException(
            "VOICE_APP_MEDIA_KEY is set, so the key file is not read: add the new key "
            "(python -c 'import secrets; print(secrets.token_hex(32))') at the end of "
            "VOICE_APP_MEDIA_KEY, comma-separated, everywhere the app runs."
        )
    path = Path(current_app.instance_path) / MEDIA_KEYS_FILE
    key = secrets.token_hex(KEY_BYTES)
    add_key_to_file(path, key)
    click.echo(f"Added media key {key_id(bytes.fromhex(key)).hex()} to {path}.")
    click.echo("Restart the app and the worker so they seal new files with it.")


def add_key_to_file(path: Path, key: str) -> None:
    """Append ``key`` to the key file, created readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(key + "\n")


@media_cli.command("rekey")
@click.option("--check", is_flag=True, help="Only count the files not under the newest key.")
def rekey(check: bool) -> None:
    """Seal every stored file again under the newest media key."""
    store = media_store()
    moved = current = unreadable = 0
    for media_id in store.media_ids():
        if check:
            if store.under_newest_key(media_id):
                current += 1
            else:
                moved += 1
            continue
        try:
            if store.rekey(media_id):
                moved += 1
            else:
                current += 1
        except MediaCorrupt:
            unreadable += 1
    verb = "need moving" if check else "moved"
    click.echo(
        f"Newest key {store.key_id.hex()}: {moved} file(s) {verb}, {current} already under it"
        + (f", {unreadable} unreadable with the keys given" if unreadable else "")
        + "."
    )
    if unreadable:
        raise SystemExit(1)


__all__ = ["media_cli", "media_key"]
