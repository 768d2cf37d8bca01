"""The background job that writes an authorised subject-access export.

It is its own unit of work: the files are stored first, then the request is pointed at
them and committed; if anything fails, the files are removed and the request is marked
failed with the error, so a manager can authorise it again. An authorised request whose
job never ran (the queue was down, the worker died before it started) is queued again by
``requeue_waiting_exports``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import select

from voice_app.core.db import utcnow
from voice_app.core.queue import huey, job, task_context
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.record.models import SubjectAccessRequest, SubjectAccessStatus
from voice_app.subject_access import export
from voice_app.subject_access import services as subject_access


@job()
def produce_export(request_id: int) -> None:
    """Render the PDF and zip for one authorised request and store them encrypted."""
    request = db.session.get(SubjectAccessRequest, request_id)
    if request is None or request.status is not SubjectAccessStatus.AUTHORISED:
        return
    store = media_store()
    stored: list[str] = []
    try:
        content = export.build_export(request)
        pdf = export.render_pdf(export.render_html(content, utcnow()))
        stored.append(store.put(pdf))
        stored.append(store.put(export.build_zip(pdf, content.media)))
        subject_access.record_produced(
            request, subject_access.ExportFiles(stored[0], stored[1], content.counts())
        )
        db.session.commit()
    except Exception as error:
        current_app.logger.exception("subject-access export %s failed", request_id)
        db.session.rollback()
        for media_id in stored:
            store.delete(media_id)
        failed = db.session.get(SubjectAccessRequest, request_id)
        if failed is not None:
            subject_access.record_failed(failed, f"{type(error).__name__}: {error}")
            db.session.commit()


#: How long an authorised export may wait for its job before it is queued again.
WAITING_TOO_LONG = timedelta(minutes=10)


@huey.periodic_task(crontab(minute="*/5"))
def requeue_waiting_exports() -> None:
    """Queue again every authorised export that has waited too long for its job."""
    with task_context():
        for request_id in waiting_exports():
            produce_export(request_id)


def waiting_exports() -> list[int]:
    return list(
        db.session.scalars(
            select(SubjectAccessRequest.id).where(
                SubjectAccessRequest.status == SubjectAccessStatus.AUTHORISED,
                SubjectAccessRequest.authorised_at < utcnow() - WAITING_TOO_LONG,
            )
        )
    )
