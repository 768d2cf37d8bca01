"""The child's outbox arriving: one item at a time, whole or not at all, stored once.

An item comes with its recording or drawing in the form (small ones), or after it was
sent in chunks to an upload session (``/me/contributions/uploads``, see
``contributions.upload_sessions``), so a dropped connection resends only the chunk it
lost. Either way the body is read in full before the database is touched, and the chunk
route never touches it: a tablet on a slow link must not hold SQLite's write lock.
"""

from __future__ import annotations

import os
import uuid
from typing import IO

from flask import Response, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _

from voice_app.child_space import closed, grown_ups
from voice_app.child_space.session import current_space
from voice_app.child_space.views import _refused, _space_and_child, _stored_answer, bp
from voice_app.children.models import Child
from voice_app.contributions import services as contributions
from voice_app.contributions import upload_sessions
from voice_app.contributions.media import MediaRejected, RejectionReason
from voice_app.contributions.models import (
    AuthorKind,
    ContributionKind,
    Feeling,
    House,
    SharingChoice,
)
from voice_app.core.queue import after_commit
from voice_app.extensions import db
from voice_app.i18n import LANGUAGES
from voice_app.transcription.tasks import transcribe_recording


def _submission(child: Child) -> contributions.Submission:
    """Read the upload form; malformed fields are refused as one message, not a traceback."""
    form = request.form
    try:
        client_id = str(uuid.UUID(form.get("client_id", "")))
        kind = ContributionKind(form.get("kind", ""))
        # "Only Mum" arrives as "my_family_too:<id>"; a grown-up not offered is refused.
        sharing, sharing_member = grown_ups.parse(
            form.get("sharing") or SharingChoice.MY_WORKER, child
        )
        feeling = Feeling(form["feeling"]) if form.get("feeling") else None
        house = House(form["house"]) if form.get("house") else None
        scale = int(form["scale"]) if form.get("scale") else None
    except ValueError as error:
        raise contributions.SubmissionRejected(
            "malformed", _("That did not work. Please try again.")
        ) from error
    language = form.get("language") or None
    return contributions.Submission(
        client_id=client_id,
        kind=kind,
        sharing=sharing,
        shared_with_member_id=sharing_member,
        language=language if language in LANGUAGES else None,
        text=form.get("text"),
        feeling=feeling,
        house=house,
        scale_value=scale,
        unsafe=form.get("unsafe") == "1",
        media=_media(child, client_id, kind),
    )


def _media(child: Child, client_id: str, kind: ContributionKind) -> IO[bytes] | None:
    """The recording or drawing: sent with the form, or earlier in chunks (``upload=1``),
    as a temporary file that ``add_contribution`` checks and stores from, never reading a
    recording into memory whole.

    Werkzeug has already streamed a large file to a temporary file; its size is checked
    there.
    """
    if request.form.get("upload") == "1":
        if contributions.find_by_client_id(child.id, client_id) is not None:
            return None  # stored by an earlier attempt; add_contribution returns it
        session = upload_sessions.find(child.id, client_id)
        if session is None:
            raise upload_sessions.UploadIncomplete(0)
        return upload_sessions.assemble(session)
    media = request.files.get("media")
    if media is None:
        return None
    limit = media_limit(kind)
    media.stream.seek(0, os.SEEK_END)
    size = media.stream.tell()
    media.stream.seek(0)
    if size > limit:
        raise contributions.SubmissionRejected(
            str(RejectionReason.TOO_LARGE), MediaRejected(RejectionReason.TOO_LARGE).message()
        )
    return media.stream


def media_limit(kind: ContributionKind) -> int:
    """The most bytes a recording or drawing may have."""
    config = current_app.config
    return int(
        config["MAX_IMAGE_BYTES"] if kind is ContributionKind.DRAWING else config["MAX_AUDIO_BYTES"]
    )


@bp.post("/me/contributions")
def upload() -> tuple[Response, int]:
    """Take one item from the child's outbox; repeating it with the same client_id is safe.

    The whole body is read (a large file streamed to disk) before the database is touched:
    a tablet sending slowly must not hold SQLite's write lock while its bytes arrive.
    """
    if current_space() is None:
        abort(401)
    request.form  # noqa: B018 - reads the body now, before any database work
    space, child = _space_and_child()
    author = contributions.Author(
        AuthorKind.CHILD, invitation_id=space.invitation_id, with_practitioner_id=space.handover_by
    )
    try:
        contribution, created = contributions.add_contribution(child, _submission(child), author)
    except contributions.SubmissionRejected as rejected:
        db.session.rollback()
        return _refused(rejected.message, rejected.reason)
    except upload_sessions.UploadIncomplete as incomplete:
        db.session.rollback()
        return jsonify({"reason": "upload_incomplete", "offset": incomplete.offset}), 409
    except upload_sessions.UploadDamaged:
        db.session.rollback()
        return jsonify({"reason": "upload_damaged", "offset": 0}), 409
    if created and contribution.transcript is not None:
        # Sent when the commit below succeeds; the periodic sweep queues it again if not.
        after_commit(transcribe_recording, contribution.transcript.id)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        contributions.discard_media_of(contribution)
        raise
    if request.form.get("upload") == "1":
        finished = upload_sessions.find(child.id, contribution.client_id)
        if finished is not None:
            upload_sessions.discard(finished)
    if created and contribution.transcript is not None:
        db.session.refresh(contribution)
    answer = _stored_answer(child, contribution)
    state = g.get("space_state", closed.SpaceState.OPEN)
    if state is not closed.SpaceState.OPEN:
        # Kept, never lost: the practitioner's timeline marks it as arriving after closure;
        # the child is told kindly that their space has closed.
        answer.update(closed=True, message=closed.words_for(state, child))
    return jsonify(answer), 201 if created else 200


@bp.post("/me/contributions/uploads")
def begin_upload() -> tuple[Response, int]:
    """Start (or find, to resume) the chunked upload of one item's recording or drawing.

    The tablet declares the size and SHA-256; the answer says how much has already arrived
    and where to send the rest. An item already stored answers as the upload would have.
    """
    _space, child = _space_and_child()
    payload = request.get_json(silent=True)
    payload = payload if isinstance(payload, dict) else {}
    try:
        client_id = str(uuid.UUID(str(payload.get("client_id", ""))))
        kind = ContributionKind(payload.get("kind", ""))
        size = int(payload.get("size", 0))
        sha256 = str(payload.get("sha256", ""))
        if kind not in (ContributionKind.VOICE, ContributionKind.DRAWING):
            raise ValueError(kind)
        existing = contributions.find_by_client_id(child.id, client_id)
        if existing is not None:
            db.session.commit()
            return jsonify(_stored_answer(child, existing)), 200
        db.session.commit()  # nothing written: end the transaction before touching files
        session = upload_sessions.begin(child.id, client_id, size, sha256, media_limit(kind))
    except upload_sessions.UploadTooLarge:
        return _refused(MediaRejected(RejectionReason.TOO_LARGE).message(), "too_large", 413)
    except ValueError:
        return _refused(_("That did not work. Please try again."), "malformed")
    return jsonify(
        {
            "upload_url": url_for("child_space.upload_chunk", client_id=session.client_id),
            "offset": upload_sessions.received(session),
            "size": session.size,
            "chunk_bytes": current_app.config["UPLOAD_CHUNK_BYTES"],
        }
    ), 200


@bp.put("/me/contributions/uploads/<uuid:client_id>")
def upload_chunk(client_id: uuid.UUID) -> tuple[Response, int]:
    """Keep the chunk at ``?offset=``; the answer (or a 409) says how much has arrived.

    Only the signed session cookie is read, never the database, and the body may be no
    larger than one chunk: it is refused from its declared length before it is read.
    """
    space = current_space()
    if space is None:
        abort(401)
    session = upload_sessions.find(space.child_id, str(client_id))
    if session is None:
        abort(404)
    # Refused from its declared length, before it is read (the body stream never gives
    # more than Content-Length).
    declared = request.content_length
    if declared is None or declared > current_app.config["UPLOAD_CHUNK_BYTES"]:
        return _refused(MediaRejected(RejectionReason.TOO_LARGE).message(), "too_large", 413)
    try:
        offset = int(request.args.get("offset", ""))
        data = request.get_data(cache=False)
        arrived = upload_sessions.add_chunk(session, offset, data)
    except ValueError:
        return _refused(_("That did not work. Please try again."), "malformed")
    except upload_sessions.UploadIncomplete as elsewhere:
        return jsonify({"offset": elsewhere.offset, "reason": "offset"}), 409
    except upload_sessions.UploadTooLarge:
        return _refused(MediaRejected(RejectionReason.TOO_LARGE).message(), "too_large", 413)
    return jsonify({"offset": arrived, "size": session.size}), 200
