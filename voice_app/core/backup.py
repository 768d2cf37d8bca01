"""``flask backup create|restore``: the whole system in one folder, and back.

A backup holds every table's rows (a logical dump, so a SQLite backup restores into
PostgreSQL and back), the id counters (so an id a purge retired is never handed out again
after a restore), every media object exactly as stored (sealed: a backup is no more
readable than the store), and a manifest with counts and SHA-256 sums that restore checks
first. It does not hold the keys: media keys and the secret key (which signs the audit
checkpoints) are kept apart from backups, and a restored system needs the same ones.

Rows are read in one transaction, so they are consistent with each other; media are copied
after the rows, so every file a row names is there (a file written meanwhile with no row
yet is an orphan the sweep removes). Restore only writes into an empty database at the
same schema revision and an empty media store, and refuses anything else.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum as PyEnum
from pathlib import Path
from typing import Any, BinaryIO

import click
from flask.cli import AppGroup
from sqlalchemy import Connection, Enum, Table, func, select, text

from voice_app.core.db import Base, utcnow
from voice_app.core.storage import media_store
from voice_app.extensions import db

backup_cli = AppGroup("backup", help="Back up the database and media, and restore them.")

MANIFEST = "manifest.json"
FORMAT = 1
_BATCH = 1000


class BackupRefused(Exception):
    """The backup cannot be made or restored here; the message says why."""


def create_backup(destination: Path) -> dict[str, Any]:
    """Write the backup into ``destination`` (a new folder); returns its manifest."""
    if destination.exists():
        raise BackupRefused(f"{destination} already exists: a backup goes into a new folder")
    (destination / "tables").mkdir(parents=True)
    (destination / "media").mkdir()
    files: dict[str, str] = {}
    rows: dict[str, int] = {}
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        counters = _id_counters(connection)
        for table in Base.metadata.sorted_tables:
            path = destination / "tables" / f"{table.name}.jsonl"
            rows[table.name] = _dump_table(connection, table, path)
            files[f"tables/{table.name}.jsonl"] = _sha256(path)
    store = media_store()
    media_ids = store.media_ids()
    for media_id in media_ids:
        # Streamed piece by piece, hashed as it goes: a long recording is never held whole.
        digest = hashlib.sha256()
        with (destination / "media" / media_id).open("wb") as copy:
            for piece in store.blobs.read_range(store.key_for(media_id), 0):
                digest.update(piece)
                copy.write(piece)
        files[f"media/{media_id}"] = digest.hexdigest()
    manifest = {
        "format": FORMAT,
        "made_at": utcnow().isoformat(),
        "revision": revision,
        "rows": rows,
        "id_counters": counters,
        "media": len(media_ids),
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore_backup(source: Path) -> dict[str, Any]:
    """Load the backup in ``source`` into this (empty) database and media store."""
    manifest = _checked_manifest(source)
    store = media_store()
    if store.media_ids():
        raise BackupRefused("the media store is not empty: restore only into an empty one")
    with db.engine.begin() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision != manifest["revision"]:
            raise BackupRefused(
                f"the database is at schema {revision}, the backup at {manifest['revision']}: "
                "run `flask db upgrade` on an empty database of the backup's version first"
            )
        for table in Base.metadata.sorted_tables:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise BackupRefused(f"the database is not empty ({table.name} has rows)")
        for table in Base.metadata.sorted_tables:
            batch: list[dict[str, Any]] = []
            for row in _read_rows(source / "tables" / f"{table.name}.jsonl", table):
                batch.append(row)
                if len(batch) == _BATCH:
                    connection.execute(table.insert(), batch)
                    batch = []
            if batch:
                connection.execute(table.insert(), batch)
        _set_id_counters(connection, manifest["id_counters"])
    for name in manifest["files"]:
        if name.startswith("media/"):
            media_id = name.removeprefix("media/")
            with (source / name).open("rb") as sealed:
                store.blobs.write_stream(store.key_for(media_id), _pieces(sealed))
    return manifest


def _dump_table(connection: Connection, table: Table, path: Path) -> int:
    count = 0
    order = [column for column in table.primary_key.columns] or list(table.columns)
    result = connection.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    with path.open("w", encoding="utf-8") as out:
        for row in result.mappings():
            out.write(json.dumps(dict(row), default=_encode, ensure_ascii=False) + "\n")
            count += 1
    return count


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, PyEnum):
        return value.value
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _read_rows(path: Path, table: Table) -> Iterator[dict[str, Any]]:
    enums = {
        column.name: column.type.enum_class
        for column in table.columns
        if isinstance(column.type, Enum) and column.type.enum_class is not None
    }
    with path.open(encoding="utf-8") as rows:
        for line in rows:
            row = {key: _decode(value) for key, value in json.loads(line).items()}
            for name, enum_class in enums.items():
                if row.get(name) is not None:
                    row[name] = enum_class(row[name])
            yield row


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
    return value


def _id_counters(connection: Connection) -> dict[str, int]:
    """The highest id each table has ever handed out (not only the highest still there)."""
    counters: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns:
            continue
        highest = connection.execute(select(func.max(table.c.id))).scalar() or 0
        if connection.dialect.name == "sqlite":
            used = connection.execute(
                text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
            ).scalar()
        else:
            used = connection.execute(
                text("SELECT pg_sequence_last_value(CAST(:seq AS regclass))"),
                {"seq": _pg_sequence(connection, table.name)},
            ).scalar()
        counters[table.name] = max(int(highest), int(used or 0))
    return counters


def _set_id_counters(connection: Connection, counters: dict[str, int]) -> None:
    for name, used in counters.items():
        if not used:
            continue
        if connection.dialect.name == "sqlite":
            connection.execute(text("DELETE FROM sqlite_sequence WHERE name = :n"), {"n": name})
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:n, :s)"),
                {"n": name, "s": used},
            )
        else:
            connection.execute(
                text("SELECT setval(CAST(:seq AS regclass), :s)"),
                {"seq": _pg_sequence(connection, name), "s": used},
            )


def _pg_sequence(connection: Connection, table_name: str) -> str:
    sequence = connection.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table_name}
    ).scalar()
    if not sequence:
        raise BackupRefused(f"{table_name}.id has no sequence")
    return str(sequence)


def _pieces(handle: BinaryIO) -> Iterator[bytes]:
    """An open file in 1 MiB pieces, so that a restore holds one piece of a file at a time."""
    yield from iter(lambda: handle.read(1 << 20), b"")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checked_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupRefused(f"{source} holds no readable backup manifest") from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"backup format {manifest.get('format')} is not {FORMAT}")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupRefused(f"{name} is missing or damaged in the backup")
    return manifest


@backup_cli.command("create")
@click.argument("destination", type=click.Path(path_type=Path))
def create_command(destination: Path) -> None:
    """Write the database rows, id counters and media into a new folder DESTINATION."""
    try:
        manifest = create_backup(destination)
    except BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"Backed up {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables "
        f"and {manifest['media']} media files (schema {manifest['revision']}) to {destination}."
    )


@backup_cli.command("restore")
@click.argument("source", type=click.Path(path_type=Path, exists=True, file_okay=False))
def restore_command(source: Path) -> None:
    """Load the backup in SOURCE into this empty database and media store."""
    try:
        manifest = restore_backup(source)
    except BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"Restored {sum(manifest['rows'].values())} rows and {manifest['media']} media files "
        f"from the backup made {manifest['made_at']}. Run `flask audit verify` to check it."
    )
