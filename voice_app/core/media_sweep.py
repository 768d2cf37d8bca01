"""The orphan-media sweep: files in the media store that no row owns are removed.

``MediaStore.put`` writes a file whole (in a folder: temporary name, fsync, rename; in a
bucket: one object upload) before the row that names it is committed. A worker killed in
between leaves an encrypted file nobody owns; one killed mid-write to a folder leaves a
``.tmp``. The sweep removes both once they are older than ``MEDIA_SWEEP_GRACE`` (an
upload in progress writes its files moments before its row commits), and logs what it
removed by path and id only: nothing personal. It reads the store's own listing, so it
works on a folder and on a bucket alike.

Which rows own media is read from the models themselves: every mapped column whose name
ends in ``media_id``, so a new table holding media is covered without anyone listing it.
"""

from __future__ import annotations

import re
import time

from flask import current_app
from sqlalchemy import Column, select

from voice_app.core.db import Base
from voice_app.core.storage import media_store
from voice_app.extensions import db

_MEDIA_NAME = re.compile(r"[0-9a-f]{32}")
_TEMP_NAME = re.compile(r"\..*\.tmp")


def media_columns() -> list[Column[str]]:
    """Every column of every model that names a media file."""
    return [
        column
        for mapper in Base.registry.mappers
        for column in mapper.columns
        if isinstance(column, Column) and column.key.endswith("media_id")
    ]


def owned_media_ids() -> set[str]:
    """The ids of every media file some row names."""
    owned: set[str] = set()
    for column in media_columns():
        owned.update(db.session.scalars(select(column).where(column.is_not(None))))
    return owned


def sweep_orphan_media(now: float | None = None) -> list[str]:
    """Remove unowned media files and leftover ``.tmp`` files past the grace period.

    Returns the removed files as ``<fan-out>/<name>`` keys in the store. The files are
    listed before the owners are read, so a row committed while the sweep runs is seen,
    and a file newer than the grace period is never touched.
    """
    blobs = media_store().blobs
    cutoff = (now or time.time()) - current_app.config["MEDIA_SWEEP_GRACE"].total_seconds()
    candidates = [listed for listed in blobs.listing() if listed.modified < cutoff]
    owned = owned_media_ids() if candidates else set()
    removed: list[str] = []
    for listed in candidates:
        temporary = _TEMP_NAME.fullmatch(listed.name) is not None
        if not temporary and (not _MEDIA_NAME.fullmatch(listed.name) or listed.name in owned):
            continue
        blobs.delete(listed.key)
        removed.append(listed.key)
        current_app.logger.info("media sweep removed %s", listed.key)
    return removed
