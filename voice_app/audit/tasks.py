"""The worker signs a checkpoint of the audit lanes every minute (``audit.services``)."""

from __future__ import annotations

from huey import crontab

from voice_app.audit.services import make_checkpoint
from voice_app.core.queue import huey, task_context
from voice_app.extensions import db


@huey.periodic_task(crontab(minute="*"))
def checkpoint_audit_lanes() -> None:
    """Tie every lane's newest entry into a signed checkpoint; nothing new, nothing made."""
    with task_context():
        make_checkpoint()
        db.session.commit()
