"""Each form page writes at most once, whatever the network does.

A form sent twice (a second tap the page's own guard did not see, a browser sending it
again after the answer was lost on a weak link, Back and Send again) would store what it
says twice, and the records here are append-only: a duplicated chronology entry, plan
change or decision could never be taken out. So the page (``static/js/app.js``) gives each
POST form a random ``submission_id`` as it is first sent, and every resend of that form
carries the same id. For each person, the server keeps the ids of the forms that wrote
something, with a keyed digest of what they said (``FormSubmission``). A form that comes
again with the same id and the same content writes nothing: its sender is taken where the
first one took them, and told it was kept once.

It is checked twice. Before the view runs (``refuse_repeat``): the usual case, the first
one finished. And as the transaction that writes commits (``_claim``), by the table's
unique key: two copies arriving together both pass the first check, and the second to
commit fails and takes everything it wrote with it (on PostgreSQL; SQLite's write lock
already queues them, so the second meets the first check). Only a transaction that wrote
a row other than an audit entry claims the id: a form sent back with its problems shown
is corrected and sent again freely. The same id with other content is another submission
(edited after a failure) and is stored: losing what someone wrote is worse than a
duplicate they can see. Ids are forgotten after ``FORGET_AFTER``. A form sent without
JavaScript carries no id and is handled as it always was.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, has_request_context, redirect, request
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import String, UniqueConstraint, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.wrappers import Response as BaseResponse

from voice_app.core.actor import actor_key
from voice_app.core.db import Base, UTCDateTime, utcnow
from voice_app.core.queue import huey, task_context
from voice_app.extensions import db

#: The form field the page fills in (``static/js/app.js``).
FIELD = "submission_id"
#: Long enough for any resend, retry or Back; not a record of what anyone did.
FORGET_AFTER = timedelta(days=2)
#: Fields that differ between two sendings of one form without its content differing.
_NOT_CONTENT = frozenset({FIELD, "csrf_token"})
#: Rows whose writing is not a submission's effect: the audit trail, and this table.
_NOT_EFFECTS = frozenset({"AuditEntry", "AuditCheckpoint", "FormSubmission"})

KEPT_ONCE = _l("This was sent twice and kept once. Here it is.")

#: ``flask.g`` key: (sender, id, digest) of this request's form, until it is claimed.
_PENDING = "sent_once_pending"
#: ``flask.g`` key: the claimed row's id, so the answer's address can be noted on it.
_CLAIMED = "sent_once_claimed"
#: ``session.info`` key: the transaction wrote something other than audit entries.
_WROTE = "sent_once_wrote"


class FormSubmission(Base):
    """A form that wrote something: who sent it, the page's id for it, a keyed digest of
    what it said, and where its answer took them. Not case data: no words are kept, and a
    digest keyed by the app's secret cannot be tried against guesses."""

    __tablename__ = "form_submissions"
    __table_args__ = (
        UniqueConstraint("sender", "submission_id", "digest"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "staff:12", "family:3", "child:7": ``core.actor.actor_key``.
    sender: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    #: The address the first answer redirected to, once known.
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SentTwice(Exception):
    """A second copy of a form committed after the first: nothing of it is kept."""


def _digest() -> str:
    """A keyed digest of the form's content: its address, fields and files."""
    mac = hmac.new(current_app.config["SECRET_KEY"].encode(), digestmod=hashlib.sha256)
    mac.update(request.path.encode())
    for name in sorted(request.form):
        if name in _NOT_CONTENT:
            continue
        for value in request.form.getlist(name):
            mac.update(b"\0f" + name.encode() + b"\0" + value.encode())
    for name in sorted(request.files):
        for upload in request.files.getlist(name):
            mac.update(b"\0u" + name.encode() + b"\0" + (upload.filename or "").encode())
            stream = upload.stream
            start = stream.tell()
            while chunk := stream.read(1 << 16):
                mac.update(chunk)
            stream.seek(start)
    return mac.hexdigest()


def _sent_form() -> bool:
    return request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )


def refuse_repeat() -> BaseResponse | None:
    """``before_request``: a form whose id and content already wrote something writes
    nothing again; its sender goes where the first answer took them."""
    if not _sent_form():
        return None
    submission_id = request.form.get(FIELD, "").strip()[:64]
    if not submission_id:
        return None
    sender = actor_key()
    if sender is None:
        return None
    key = (sender, submission_id, _digest())
    earlier = _earlier(*key)
    if earlier is None:
        setattr(g, _PENDING, key)
        return None
    db.session.commit()  # ends the lookup's transaction; nothing was written
    return kept_once(earlier[0])


def _earlier(sender: str, submission_id: str, digest: str) -> tuple[str | None] | None:
    """The earlier copy's noted address (in a 1-tuple: it may be unknown), or None."""
    row = db.session.execute(
        select(FormSubmission.location).where(
            FormSubmission.sender == sender,
            FormSubmission.submission_id == submission_id,
            FormSubmission.digest == digest,
        )
    ).first()
    return None if row is None else (row.location,)


def kept_once(location: str | None) -> BaseResponse:
    """The answer to a second copy: where the first went, or the page it came from."""
    flash(KEPT_ONCE, "info")
    return redirect(location or _page_sent_from())


def _page_sent_from() -> str:
    """The page the form was on, when the browser says and it is this site's."""
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc == request.host and came_from.path.startswith("/"):
        return came_from.path + (f"?{came_from.query}" if came_from.query else "")
    return "/"


@event.listens_for(Session, "after_flush")
def _note_effects(session: Session, _flush_context: Any) -> None:
    if not has_request_context() or g.get(_PENDING) is None:
        return
    written = [*session.new, *session.dirty, *session.deleted]
    if any(type(row).__name__ not in _NOT_EFFECTS for row in written):
        session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _claim(session: Session) -> None:
    """The pending id is claimed in the transaction that holds the form's effects."""
    if not has_request_context() or g.get(_PENDING) is None:
        return
    session.flush()
    if not session.info.pop(_WROTE, False):
        return
    sender, submission_id, digest = key = g.pop(_PENDING)
    try:
        claimed = session.connection().execute(
            insert(FormSubmission).values(
                sender=sender, submission_id=submission_id, digest=digest, created_at=utcnow()
            )
        )
    except IntegrityError as taken:  # a copy sent at the same time committed first
        raise SentTwice(key) from taken
    primary_key = claimed.inserted_primary_key
    setattr(g, _CLAIMED, primary_key[0] if primary_key else None)


@event.listens_for(Session, "after_rollback")
def _forget_effects(session: Session) -> None:
    session.info.pop(_WROTE, None)


def note_location(response: BaseResponse) -> BaseResponse:
    """``after_request``: a claimed form's redirect is noted, for a copy sent later."""
    claimed = g.pop(_CLAIMED, None) if has_request_context() else None
    if claimed is None or response.status_code not in (301, 302, 303):
        return response
    location = (response.location or "")[:500]
    try:
        db.session.execute(
            update(FormSubmission).where(FormSubmission.id == claimed).values(location=location)
        )
        db.session.commit()
    except Exception:  # a nicety: a later copy then goes back to its page instead
        db.session.rollback()
        current_app.logger.warning("could not note where form submission %s led", claimed)
    return response


def init_sent_once(app: Flask) -> None:
    app.before_request(refuse_repeat)
    app.after_request(note_location)

    @app.errorhandler(SentTwice)
    def sent_twice(error: SentTwice) -> BaseResponse:
        db.session.rollback()
        earlier = _earlier(*error.args[0])
        db.session.commit()  # ends the lookup's transaction
        return kept_once(earlier[0] if earlier else None)


def forget_old_submissions(now: datetime | None = None) -> int:
    """Remove what is kept of forms sent longer ago than ``FORGET_AFTER``."""
    cutoff = (now or utcnow()) - FORGET_AFTER
    removed = db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < cutoff))
    return int(getattr(removed, "rowcount", 0) or 0)


@huey.periodic_task(crontab(minute="41"))
def forget_old_submissions_hourly() -> None:
    with task_context():
        removed = forget_old_submissions()
        db.session.commit()
        current_app.logger.info("forgot %d old form submissions", removed)
