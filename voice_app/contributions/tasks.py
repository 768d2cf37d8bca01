"""Housekeeping of the media a contribution arrives with: orphans and abandoned uploads.

Every hour: media files no row owns (a worker killed between writing a file and
committing its row) and ``.tmp`` files (one killed mid-write) are removed once past
``MEDIA_SWEEP_GRACE``, and chunked uploads nobody finished within
``UPLOAD_ABANDONED_AFTER``. What was removed is logged by path and id, nothing personal.
"""

from __future__ import annotations

from flask import current_app
from huey import crontab

from voice_app.contributions import upload_sessions
from voice_app.core.media_sweep import sweep_orphan_media
from voice_app.core.queue import huey, task_context
from voice_app.extensions import db


@huey.periodic_task(crontab(minute="17"))
def sweep_media() -> None:
    """Remove orphaned media files and abandoned uploads (see the module docstring)."""
    with task_context():
        removed = sweep_orphan_media()
        db.session.commit()  # ends the read's transaction; nothing was written
        abandoned = upload_sessions.remove_abandoned()
        for key in abandoned:
            current_app.logger.info("media sweep removed abandoned upload %s", key)
        current_app.logger.info(
            "media sweep: %d orphaned files, %d abandoned uploads", len(removed), len(abandoned)
        )
