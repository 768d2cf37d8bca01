"""``flask backup create`` then ``restore`` on an empty system gives back the same system."""

from __future__ import annotations

import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from tests.conftest import test_config
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app import create_app
from voice_app.audit.services import make_checkpoint
from voice_app.core.db import Base
from voice_app.core.storage import media_store
from voice_app.extensions import db

MARKER = b"Qzx-the-drawing-Maya-made-of-the-shed"


def _contents() -> dict[str, list[dict[str, object]]]:
    """Every row of every table, by table, as the app reads them."""
    return {
        table.name: [
            dict(row)
            for row in db.session.execute(
                select(table).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in Base.metadata.sorted_tables
    }


def test_a_restored_system_has_the_same_rows_media_ids_and_a_verifying_audit_log(
    app, make_client, runner, tmp_path
):
    sam = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=sam.team, full_name="Maya Thompson")
    AssignmentFactory(child=child, user=sam)
    retired = ChildFactory(team=sam.team)  # its id is handed out, then the row goes
    db.session.delete(retired)
    db.session.commit()
    browser = make_client(sam.email)
    browser.get("/children/")
    browser.get(f"/children/{child.id}")
    media_id = media_store().put(MARKER)
    make_checkpoint()
    db.session.commit()
    before = _contents()
    db.session.commit()  # SQLite: let the backup's own connection read

    made = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])

    assert made.exit_code == 0, made.output
    assert "media files" in made.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["rows"]["audit_entries"] == len(before["audit_entries"]) > 0
    assert MARKER not in (tmp_path / "backup" / "media" / media_id).read_bytes()  # sealed
    refused = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
    assert refused.exit_code != 0 and "already exists" in refused.output

    # Another, empty system with the same keys: a new SQLite database and media folder.
    elsewhere = create_app(
        {**test_config(tmp_path / "elsewhere", f"sqlite:///{tmp_path / 'restored.sqlite3'}")}
    )
    with elsewhere.app_context():
        upgrade()
        restored = elsewhere.test_cli_runner().invoke(
            args=["backup", "restore", str(tmp_path / "backup")]
        )
        assert restored.exit_code == 0, restored.output
        assert _contents() == before
        assert media_store().get(media_id) == MARKER
        verified = elsewhere.test_cli_runner().invoke(args=["audit", "verify"])
        assert verified.exit_code == 0 and "OK" in verified.output, verified.output
        # A new child gets a new id, never the one a deleted record had.
        again = ChildFactory(team_id=sam.team_id)
        db.session.commit()
        assert again.id > retired.id
        # Restoring twice is refused: the database is no longer empty.
        twice = elsewhere.test_cli_runner().invoke(
            args=["backup", "restore", str(tmp_path / "backup")]
        )
        assert twice.exit_code != 0 and "not empty" in twice.output
        db.session.remove()
        db.engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_is_written(app, runner, tmp_path):
    child = ChildFactory()
    db.session.commit()
    media_store().put(MARKER)
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b")]).exit_code == 0
    rows = tmp_path / "b" / "tables" / "children.jsonl"
    rows.write_text(rows.read_text().replace(child.full_name, "Someone Else"))

    elsewhere = create_app(test_config(tmp_path / "e", f"sqlite:///{tmp_path / 'e.sqlite3'}"))
    with elsewhere.app_context():
        upgrade()
        result = elsewhere.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
        assert result.exit_code != 0 and "children.jsonl is missing or damaged" in result.output
        assert (
            db.session.scalar(select(func.count()).select_from(Base.metadata.tables["children"]))
            == 0
        )
        assert media_store().media_ids() == []
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres_only
def test_a_backup_restores_into_postgresql_with_its_id_counters(
    app, runner, tmp_path, database_url
):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (VOICE_APP_TEST_DATABASE_URL)")
    retired = ChildFactory()
    db.session.delete(retired)
    kept = ChildFactory()
    db.session.commit()
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b")]).exit_code == 0
    target = make_url(database_url).set(database=f"{make_url(database_url).database}_restore")
    admin = create_engine(make_url(database_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    try:
        url = target.render_as_string(hide_password=False)
        elsewhere = create_app(test_config(tmp_path / "pg", url))
        with elsewhere.app_context():
            upgrade()
            result = elsewhere.test_cli_runner().invoke(
                args=["backup", "restore", str(tmp_path / "b")]
            )
            assert result.exit_code == 0, result.output
            children = Base.metadata.tables["children"]
            assert db.session.scalars(select(children.c.full_name)).all() == [kept.full_name]
            again = ChildFactory(team_id=kept.team_id)
            db.session.commit()
            assert again.id > retired.id
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        admin.dispose()


def test_a_backup_of_a_long_recording_never_holds_it_whole(app, runner, tmp_path):
    """Create and restore stream each media file: memory stays far below its size."""
    import os
    import tracemalloc

    size = 24 * 1024 * 1024
    recording = tmp_path / "long.bin"
    with recording.open("wb") as handle:
        for _ in range(size // (1 << 20)):
            handle.write(os.urandom(1 << 20))
    with recording.open("rb") as handle:
        media_id = media_store().put_stream(handle)
    db.session.commit()

    tracemalloc.start()
    try:
        made = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
        _now, made_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert made.exit_code == 0, made.output
    assert (tmp_path / "backup" / "media" / media_id).stat().st_size > size

    elsewhere = create_app(test_config(tmp_path / "e", f"sqlite:///{tmp_path / 'e.sqlite3'}"))
    with elsewhere.app_context():
        upgrade()
        tracemalloc.start()
        try:
            restored = elsewhere.test_cli_runner().invoke(
                args=["backup", "restore", str(tmp_path / "backup")]
            )
            _now, restored_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert restored.exit_code == 0, restored.output
        with recording.open("rb") as original:
            for piece in media_store().open(media_id).stream():
                assert piece == original.read(len(piece))
        db.session.remove()
        db.engine.dispose()
    print(f"backup peak {made_peak / 2**20:.1f} MiB, restore {restored_peak / 2**20:.1f} MiB")
    assert made_peak < size / 4
    assert restored_peak < size / 4
