"""The orphan sweep removes only files no row owns, and only past the grace period."""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from tests.factories import ChildFactory
from voice_app.contributions import tasks
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.core.media_sweep import media_columns, sweep_orphan_media
from voice_app.core.storage import media_store
from voice_app.extensions import db


def _age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_only_unowned_files_past_the_grace_period_are_removed(
    app, caplog, monkeypatch, media_in_a_folder
):
    # Alembic's logging setup (the migrations the fixtures run) disables existing loggers.
    monkeypatch.setattr(app.logger, "disabled", False)
    store = media_store()
    grace = app.config["MEDIA_SWEEP_GRACE"].total_seconds()
    owned = store.put(b"a drawing with its row")
    thumbnail = store.put(b"its thumbnail")
    child = ChildFactory()
    db.session.add(
        Contribution(
            child_id=child.id,
            client_id=str(uuid.uuid4()),
            kind=ContributionKind.DRAWING,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_WORKER,
            media_id=owned,
            thumbnail_media_id=thumbnail,
        )
    )
    db.session.commit()
    orphan = store.put(b"written, then the worker was killed before the commit")
    young_orphan = store.put(b"an upload still committing its row")
    for media_id in (owned, thumbnail, orphan):
        _age(store.path_for(media_id), grace + 60)
    folder = store.path_for(orphan).parent
    old_temp = folder / ".abc123.tmp"
    old_temp.write_bytes(b"half a file")
    _age(old_temp, grace + 60)
    young_temp = folder / ".def456.tmp"
    young_temp.write_bytes(b"being written now")
    stray = folder / "notes.txt"  # not the store's: left alone
    stray.write_text("x")
    _age(stray, grace + 60)

    with caplog.at_level(logging.INFO, logger=app.logger.name):
        removed = sweep_orphan_media()

    assert sorted(removed) == sorted([f"{orphan[:2]}/{orphan}", f"{orphan[:2]}/.abc123.tmp"])
    assert store.exists(owned) and store.exists(thumbnail) and store.exists(young_orphan)
    assert not store.exists(orphan) and not old_temp.exists()
    assert young_temp.exists() and stray.exists()
    assert orphan in caplog.text
    assert "worker was killed" not in caplog.text  # ids and paths, never contents
    # Running again finds nothing more.
    assert sweep_orphan_media() == []


def test_every_media_column_is_an_owner():
    names = {f"{c.table.name}.{c.key}" for c in media_columns()}
    assert {"contributions.media_id", "contributions.thumbnail_media_id"} <= names
    assert any(name.startswith("subject_access") for name in names)


def test_the_hourly_task_sweeps_and_clears_abandoned_uploads(app, media_in_a_folder):
    from voice_app.contributions import upload_sessions

    session = upload_sessions.begin(1, str(uuid.uuid4()), 10, "0" * 64, 100)
    hours = app.config["UPLOAD_ABANDONED_AFTER"].total_seconds()
    folder = Path(app.config["UPLOAD_ROOT"]) / session.prefix
    _age(folder / upload_sessions.META, hours + 60)
    fresh = upload_sessions.begin(1, str(uuid.uuid4()), 10, "0" * 64, 100)
    tasks.sweep_media.call_local()
    assert upload_sessions.find(1, session.client_id) is None and not folder.exists()
    assert upload_sessions.find(1, fresh.client_id) == fresh
