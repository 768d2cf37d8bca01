"""Subject access: a person's request for their record, its authorisation and its export.

A practitioner asks on behalf of the child (when of sufficient understanding) or of a parent
with parental responsibility; a manager who did not ask authorises it; a background job
then writes the export (``subject_access.export``) into the encrypted media store. Every step and
every download is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.children.services import parents_with_responsibility
from voice_app.core.db import utcnow
from voice_app.core.queue import after_commit
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.record.models import RequesterKind, SubjectAccessRequest, SubjectAccessStatus


class RequestRefused(ValueError):
    """The request or authorisation cannot be made; ``reason`` says why, for the view."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


#: Statuses from which a manager may (re-)authorise: a failed export can be tried again.
AUTHORISABLE = (SubjectAccessStatus.REQUESTED, SubjectAccessStatus.FAILED)


def requests_for(child_id: int) -> Sequence[SubjectAccessRequest]:
    return db.session.scalars(
        select(SubjectAccessRequest)
        .where(SubjectAccessRequest.child_id == child_id)
        .order_by(SubjectAccessRequest.id.desc())
    ).all()


def get_request(child_id: int, request_id: int) -> SubjectAccessRequest | None:
    found = db.session.get(SubjectAccessRequest, request_id)
    return found if found is not None and found.child_id == child_id else None


def request_export(
    child: Child,
    requester_kind: RequesterKind,
    family_member_id: int | None,
    language: str | None,
    note: str | None,
    requested_by: User,
) -> SubjectAccessRequest:
    """Record a request; the language defaults to the requester's preferred language."""
    member = None
    if requester_kind is RequesterKind.PARENT:
        member = next(
            (m for m in parents_with_responsibility(child) if m.id == family_member_id), None
        )
        if member is None:
            raise RequestRefused("not_a_parent")
    preferred = member.preferred_language if member else child.preferred_language
    language = language or preferred
    if language not in LANGUAGES:
        raise RequestRefused("unknown_language")
    request = SubjectAccessRequest(
        child_id=child.id,
        requester_kind=requester_kind,
        family_member_id=member.id if member else None,
        language=language,
        note=(note or "").strip() or None,
        status=SubjectAccessStatus.REQUESTED,
        requested_by_id=requested_by.id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        AuditAction.SUBJECT_ACCESS_REQUESTED,
        child_id=child.id,
        target=f"subject_access:{request.id}",
        details={"requester": str(requester_kind), "language": language},
    )
    return request


def authorise(request: SubjectAccessRequest, manager: User) -> None:
    """A manager other than the one who asked lets the export be made; its job is queued
    when the authorisation commits."""
    from voice_app.subject_access.tasks import produce_export  # the job imports this module

    if request.requested_by_id == manager.id:
        raise RequestRefused("own_request")
    if request.status not in AUTHORISABLE:
        raise RequestRefused("not_waiting")
    request.status = SubjectAccessStatus.AUTHORISED
    request.authorised_by_id = manager.id
    request.authorised_at = utcnow()
    request.error = None
    audit.record(
        AuditAction.SUBJECT_ACCESS_AUTHORISED,
        child_id=request.child_id,
        target=f"subject_access:{request.id}",
    )
    # Should it not be sent, ``requeue_waiting_exports`` queues it again.
    after_commit(produce_export, request.id)


@dataclass(frozen=True)
class ExportFiles:
    pdf_media_id: str
    zip_media_id: str
    counts: dict[str, int]


def record_produced(request: SubjectAccessRequest, files: ExportFiles) -> None:
    """Point the request at its stored files; audited with counts, never content."""
    request.status = SubjectAccessStatus.PRODUCED
    request.pdf_media_id = files.pdf_media_id
    request.zip_media_id = files.zip_media_id
    request.produced_at = utcnow()
    request.error = None
    audit.record(
        AuditAction.SUBJECT_ACCESS_PRODUCED,
        child_id=request.child_id,
        target=f"subject_access:{request.id}",
        details=files.counts,
    )


def record_failed(request: SubjectAccessRequest, error: str) -> None:
    request.status = SubjectAccessStatus.FAILED
    request.error = error[:2000]


#: What can be downloaded, by the name in the URL.
DOWNLOADS = {"pdf": "application/pdf", "zip": "application/zip"}


def open_download(request: SubjectAccessRequest, kind: str) -> bytes | None:
    """The decrypted export, audited as downloaded; None unless it has been produced."""
    if request.status is not SubjectAccessStatus.PRODUCED or kind not in DOWNLOADS:
        return None
    media_id = request.pdf_media_id if kind == "pdf" else request.zip_media_id
    if media_id is None:
        return None
    data = media_store().get(media_id)
    audit.record(
        AuditAction.SUBJECT_ACCESS_DOWNLOADED,
        child_id=request.child_id,
        target=f"subject_access:{request.id}",
        details={"file": kind},
    )
    return data
