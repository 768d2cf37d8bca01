"""Entry point of the background worker: ``huey_consumer voice_app.worker.huey``.

Building the app points the shared Huey instance at the configured storage and lets
tasks run inside its app context.
"""

from __future__ import annotations

from voice_app import create_app
from voice_app.audit import tasks as audit_tasks  # noqa: F401 - audit checkpoints
from voice_app.contributions import tasks as contribution_tasks  # noqa: F401 - media sweep
from voice_app.core.queue import huey
from voice_app.interpreting import tasks as interpreting_tasks  # noqa: F401 - machine drafts
from voice_app.subject_access import tasks as subject_access_tasks  # noqa: F401 - subject-access exports
from voice_app.transcription import tasks  # noqa: F401 - registers the jobs with the consumer

app = create_app()

__all__ = ["app", "huey"]
