"""Taking in a child's contribution whole or not at all, and what happens to it next."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.exc import IntegrityError

from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.children.models import Child
from voice_app.contributions.media import MediaRejected, probe_audio, process_drawing
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    Feeling,
    House,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.core.storage import MediaReader, media_store
from voice_app.core.text import CONTROL_CHARACTER_MESSAGE, has_control_characters
from voice_app.extensions import db

MAX_TEXT_LENGTH = 20_000
#: A transcription still queued after this long is taken to be lost with its worker (a
#: running one has a lease instead: TRANSCRIPTION_LEASE_SECONDS).
STALLED_AFTER_SECONDS = 600
MAX_TRANSCRIPTION_ATTEMPTS = 3


class SubmissionRejected(ValueError):
    """The contribution cannot be taken as sent; ``message`` is in the reader's language."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Submission:
    """One item from the child's space, as the browser sent it."""

    client_id: str
    kind: ContributionKind
    sharing: SharingChoice
    #: With "my family too": the one grown-up the child chose (None: all the family).
    shared_with_member_id: int | None = None
    #: The language the child chose, if they chose one; otherwise it is detected.
    language: str | None = None
    text: str | None = None
    feeling: Feeling | None = None
    house: House | None = None
    scale_value: int | None = None
    unsafe: bool = False
    #: The recording or drawing: its bytes, or (for anything large) an open, seekable
    #: binary file holding it, such as the request's temporary file or a joined chunked
    #: upload (``upload_sessions.assemble``). A file is read from its start, and
    #: ``add_contribution`` closes it (removing a temporary one) once done with it.
    media: bytes | IO[bytes] | None = None


@dataclass(frozen=True)
class Author:
    kind: AuthorKind
    invitation_id: int | None = None
    with_practitioner_id: int | None = None
    #: The family member who said it, when ``kind`` is ``AuthorKind.FAMILY_MEMBER``.
    family_member_id: int | None = None


@dataclass
class _StoredMedia:
    ids: list[str] = field(default_factory=list)


def find_by_client_id(child_id: int, client_id: str) -> Contribution | None:
    return db.session.scalar(
        select(Contribution).where(
            Contribution.child_id == child_id, Contribution.client_id == client_id
        )
    )


def _check_text(words: str) -> None:
    if has_control_characters(words):
        raise SubmissionRejected("control_characters", str(CONTROL_CHARACTER_MESSAGE))
    if len(words) > MAX_TEXT_LENGTH:
        raise SubmissionRejected("text_too_long", _("That is too many words to send at once."))


def _check_fields(submission: Submission) -> None:
    words = (submission.text or "").strip()
    _check_text(words)
    kind = submission.kind
    if kind is ContributionKind.TEXT and not words and not submission.unsafe:
        raise SubmissionRejected("empty", _("There is nothing to send yet."))
    if kind in (ContributionKind.VOICE, ContributionKind.DRAWING) and not _media_size(
        submission.media
    ):
        raise SubmissionRejected("no_media", _("The recording or drawing did not arrive."))
    if kind is ContributionKind.FEELING and submission.feeling is None:
        raise SubmissionRejected("no_feeling", _("Please choose a face first."))
    if kind is ContributionKind.HOUSE and submission.house is None:
        raise SubmissionRejected("no_house", _("Please choose a house first."))
    if kind is ContributionKind.SCALE and (
        submission.scale_value is None or not 0 <= submission.scale_value <= 10
    ):
        raise SubmissionRejected("no_scale", _("Please choose a number from 0 to 10."))


def add_contribution(
    child: Child, submission: Submission, author: Author
) -> tuple[Contribution, bool]:
    """Store a contribution with its media, or nothing at all; returns it and whether it is new.

    The browser's ``client_id`` makes this safe to repeat: a retried upload returns the
    contribution the first attempt stored.
    """
    try:
        return _add_contribution(child, submission, author)
    finally:
        if submission.media is not None and not isinstance(submission.media, (bytes, bytearray)):
            submission.media.close()


def _add_contribution(
    child: Child, submission: Submission, author: Author
) -> tuple[Contribution, bool]:
    existing = find_by_client_id(child.id, submission.client_id)
    if existing is not None:
        return existing, False
    _check_fields(submission)
    config = current_app.config
    contribution = Contribution(
        child_id=child.id,
        client_id=submission.client_id,
        kind=submission.kind,
        author_kind=author.kind,
        invitation_id=author.invitation_id,
        with_practitioner_id=author.with_practitioner_id,
        family_member_id=author.family_member_id,
        language=submission.language or child.preferred_language,
        sharing=submission.sharing,
        shared_with_member_id=submission.shared_with_member_id
        if submission.sharing is SharingChoice.MY_FAMILY_TOO
        else None,
        text=(submission.text or "").strip() or None,
        feeling=submission.feeling,
        house=submission.house,
        scale_value=submission.scale_value,
        flagged_unsafe=submission.unsafe,
    )
    stored = _StoredMedia()
    try:
        # Everything that can refuse the input runs before anything is written.
        media = submission.media
        if submission.kind is ContributionKind.VOICE and media is not None:
            # Checked and sealed from where it lies: a long recording in a temporary file
            # is read a header, a packet, a frame at a time, never whole.
            audio = probe_audio(
                media,
                max_bytes=config["MAX_AUDIO_BYTES"],
                max_seconds=config["MAX_AUDIO_SECONDS"],
            )
            contribution.media_content_type = audio.content_type
            contribution.duration_seconds = audio.duration_seconds
            contribution.media_id = _put_recording(stored, media)
            contribution.transcript = Transcript(
                status=TranscriptStatus.QUEUED,
                language=submission.language,
                language_was_given=submission.language is not None,
            )
        elif submission.kind is ContributionKind.DRAWING and media is not None:
            # Pillow decodes a drawing whole anyway; it is at most MAX_IMAGE_BYTES (one
            # byte more is read, so that a larger one is still refused as too large).
            drawing = (
                media
                if isinstance(media, (bytes, bytearray))
                else _read_from_start(media, config["MAX_IMAGE_BYTES"] + 1)
            )
            image = process_drawing(drawing, max_bytes=config["MAX_IMAGE_BYTES"])
            contribution.media_content_type = image.content_type
            contribution.media_id = _put(stored, image.data)
            contribution.thumbnail_media_id = _put(stored, image.thumbnail)
        with db.session.begin_nested():
            db.session.add(contribution)
            db.session.flush()
    except MediaRejected as rejected:
        raise SubmissionRejected(str(rejected.reason), rejected.message()) from rejected
    except IntegrityError:
        # The same item arrived twice at once: the other request stored it.
        _discard(stored)
        winner = find_by_client_id(child.id, submission.client_id)
        if winner is None:
            raise
        return winner, False
    except BaseException:
        _discard(stored)
        raise
    audit.record(
        AuditAction.CONTRIBUTION_ADDED,
        child_id=child.id,
        target=f"contribution:{contribution.id}",
        details={"kind": str(contribution.kind), "author": str(author.kind)},
    )
    if contribution.flagged_unsafe:
        audit.record(
            AuditAction.UNSAFE_FLAG_RAISED,
            child_id=child.id,
            target=f"contribution:{contribution.id}",
        )
    return contribution, True


def _put(stored: _StoredMedia, data: bytes) -> str:
    media_id = media_store().put(data)
    stored.ids.append(media_id)
    return media_id


def _put_recording(stored: _StoredMedia, media: bytes | IO[bytes]) -> str:
    """Seal a checked recording into the store, frame by frame from its file."""
    if isinstance(media, (bytes, bytearray)):
        return _put(stored, bytes(media))
    media.seek(0)
    media_id = media_store().put_stream(media)
    stored.ids.append(media_id)
    return media_id


def _media_size(media: bytes | IO[bytes] | None) -> int:
    if media is None:
        return 0
    if isinstance(media, (bytes, bytearray)):
        return len(media)
    return media.seek(0, os.SEEK_END)


def _read_from_start(media: IO[bytes], limit: int) -> bytes:
    media.seek(0)
    return media.read(limit)


def _discard(stored: _StoredMedia) -> None:
    store = media_store()
    for media_id in stored.ids:
        store.delete(media_id)


def open_media(contribution: Contribution, variant: str) -> tuple[bytes, str] | None:
    """The decrypted original or thumbnail, with its content type; None if there is none."""
    if variant == "original" and contribution.media_id:
        return media_store().get(contribution.media_id), contribution.media_content_type or ""
    if variant == "thumbnail" and contribution.thumbnail_media_id:
        data = media_store().get(contribution.thumbnail_media_id)
        return data, "image/webp" if data[8:12] == b"WEBP" else "image/png"
    return None


def open_media_reader(contribution: Contribution, variant: str) -> tuple[MediaReader, str] | None:
    """The original or thumbnail opened for streaming (``open_media`` without reading it
    whole), with its content type; None if there is none."""
    store = media_store()
    if variant == "original" and contribution.media_id:
        return store.open(contribution.media_id), contribution.media_content_type or ""
    if variant == "thumbnail" and contribution.thumbnail_media_id:
        reader = store.open(contribution.thumbnail_media_id)
        magic = b"".join(reader.stream(0, 12))
        return reader, "image/webp" if magic[8:12] == b"WEBP" else "image/png"
    return None


def discard_media_of(contribution: Contribution) -> None:
    """Remove a contribution's files when its transaction did not commit."""
    _discard(
        _StoredMedia([m for m in (contribution.media_id, contribution.thumbnail_media_id) if m])
    )


def contributions_of(child_id: int) -> Select[Contribution]:
    return (
        select(Contribution)
        .where(Contribution.child_id == child_id)
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )


def timeline(
    child: Child,
    kind: ContributionKind | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    shown_to: ColumnElement[bool] | None = None,
) -> Sequence[Contribution]:
    """A child's contributions for the practitioner, newest first; audited as a read.

    ``shown_to`` is the reader's condition from ``record.disclosure``
    (``Disclosure.contribution_filter``): what it leaves out is not there at all.
    """
    stmt = contributions_of(child.id)
    if shown_to is not None:
        stmt = stmt.where(shown_to)
    if kind is not None:
        stmt = stmt.where(Contribution.kind == kind)
    if since is not None:
        stmt = stmt.where(Contribution.created_at >= since)
    if until is not None:
        stmt = stmt.where(Contribution.created_at < until)
    items = db.session.scalars(stmt).all()
    audit.record(AuditAction.CONTRIBUTIONS_VIEWED, child_id=child.id)
    return items


def get_for_child(child_id: int, contribution_id: int) -> Contribution | None:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.child_id != child_id:
        return None
    return contribution


def record_media_viewed(contribution: Contribution, variant: str) -> None:
    audit.record(
        AuditAction.MEDIA_VIEWED,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
        details={"variant": variant},
    )


def confirm_transcript(
    contribution: Contribution, text: str, *, by_child: bool, by_user_id: int | None = None
) -> Transcript:
    """The child (or the practitioner who was with them) says what they really said.

    The machine's draft stays beside the confirmed words.
    """
    transcript = contribution.transcript
    if transcript is None or transcript.status not in (
        TranscriptStatus.DRAFT,
        TranscriptStatus.CONFIRMED,
        TranscriptStatus.FAILED,
    ):
        raise SubmissionRejected("not_ready", _("The words are not ready to check yet."))
    words = text.strip()
    if not words:
        raise SubmissionRejected("empty", _("There is nothing to send yet."))
    _check_text(words)
    transcript.confirmed_text = words
    transcript.confirmed_by_child = by_child
    transcript.confirmed_by_id = by_user_id
    transcript.confirmed_at = utcnow()
    transcript.status = TranscriptStatus.CONFIRMED
    audit.record(
        AuditAction.TRANSCRIPT_CONFIRMED,
        child_id=contribution.child_id,
        target=f"contribution:{contribution.id}",
        details={"by_child": by_child, "corrected": transcript.corrected},
    )
    return transcript


def transcript_json(transcript: Transcript | None) -> dict[str, Any] | None:
    if transcript is None:
        return None
    confirmed = transcript.status is TranscriptStatus.CONFIRMED
    return {
        "status": str(transcript.status),
        "text": (transcript.confirmed_text if confirmed else transcript.machine_text) or "",
        "doubtful": transcript.doubtful_segments > 0,
    }


def contribution_json(contribution: Contribution) -> dict[str, Any]:
    return {
        "id": contribution.id,
        "kind": str(contribution.kind),
        "status": "received",
        "text": contribution.text,
        "created_at": contribution.created_at.isoformat(),
        "transcript": transcript_json(contribution.transcript),
    }


# The transcription job's side of a transcript.


@dataclass(frozen=True)
class TranscriptionClaim:
    transcript_id: int
    media_id: str
    content_type: str
    language: str | None
    #: Which attempt this claim is: only that attempt may renew the lease.
    attempt: int = 0


def _lease_expired(transcript: Transcript, now: datetime) -> bool:
    """Whether a running transcript's worker is taken to be dead.

    A job renews its lease while it runs; a row from before leases existed (no lease)
    falls back to its start time and ``STALLED_AFTER_SECONDS``.
    """
    if transcript.lease_expires_at is not None:
        return transcript.lease_expires_at <= now
    started = transcript.started_at or transcript.queued_at
    return now.timestamp() - started.timestamp() >= STALLED_AFTER_SECONDS


def claim_transcription(transcript_id: int) -> TranscriptionClaim | None:
    """Mark a transcript as running under a fresh lease, unless it is finished, has failed
    too often, or another worker holds a live lease on it."""
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None or transcript.status in (
        TranscriptStatus.DRAFT,
        TranscriptStatus.CONFIRMED,
    ):
        return None
    now = utcnow()
    if transcript.status is TranscriptStatus.RUNNING and not _lease_expired(transcript, now):
        return None  # another worker has it
    if transcript.attempts >= MAX_TRANSCRIPTION_ATTEMPTS:
        transcript.status = TranscriptStatus.FAILED
        transcript.lease_expires_at = None
        return None
    contribution = transcript.contribution
    transcript.status = TranscriptStatus.RUNNING
    transcript.attempts += 1
    transcript.started_at = now
    transcript.lease_expires_at = now + _lease()
    return TranscriptionClaim(
        transcript_id=transcript.id,
        media_id=contribution.media_id or "",
        content_type=contribution.media_content_type or "",
        language=transcript.language if transcript.language_was_given else None,
        attempt=transcript.attempts,
    )


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["TRANSCRIPTION_LEASE_SECONDS"])


def renew_transcription_lease(claim: TranscriptionClaim) -> bool:
    """The job's heartbeat: extend its lease; False if the job is no longer this claim's."""
    renewed = db.session.execute(
        update(Transcript)
        .where(
            Transcript.id == claim.transcript_id,
            Transcript.status == TranscriptStatus.RUNNING,
            Transcript.attempts == claim.attempt,
        )
        .values(lease_expires_at=utcnow() + _lease())
    )
    return bool(getattr(renewed, "rowcount", 0))


def save_transcription(transcript_id: int, result: Any) -> None:
    """Store the machine's draft: ``result`` is a transcription.engine.Transcription."""
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:
        return
    segments = [
        {
            "start": round(s.start, 2),
            "end": round(s.end, 2),
            "text": s.text,
            "doubts": list(s.doubts),
        }
        for s in result.segments
    ]
    transcript.machine_text = result.text
    transcript.segments_json = json.dumps(segments, ensure_ascii=False)
    transcript.doubtful_segments = sum(1 for s in segments if s["doubts"])
    transcript.model_name = result.model_name
    transcript.language = result.language
    transcript.language_probability = result.language_probability
    transcript.language_was_given = result.language_was_given
    transcript.audio_seconds = result.duration
    transcript.speech_seconds = result.speech_duration
    transcript.seconds_taken = result.seconds_taken
    transcript.finished_at = utcnow()
    transcript.lease_expires_at = None
    transcript.error = None
    transcript.status = TranscriptStatus.DRAFT


def record_transcription_error(transcript_id: int, error: str) -> None:
    """Note the error; the job is retried, and gives up after a few attempts."""
    transcript = db.session.get(Transcript, transcript_id)
    if transcript is None:
        return
    transcript.error = error[:2000]
    transcript.lease_expires_at = None
    transcript.status = (
        TranscriptStatus.FAILED
        if transcript.attempts >= MAX_TRANSCRIPTION_ATTEMPTS
        else TranscriptStatus.QUEUED
    )


def stalled_transcriptions(now: datetime) -> list[int]:
    """Transcripts whose worker must have died: running with an expired lease, or queued
    for longer than ``STALLED_AFTER_SECONDS`` (the queue lost the job)."""
    candidates = db.session.scalars(
        select(Transcript).where(
            Transcript.status.in_([TranscriptStatus.QUEUED, TranscriptStatus.RUNNING]),
            Transcript.attempts < MAX_TRANSCRIPTION_ATTEMPTS,
        )
    )
    return [
        t.id
        for t in candidates
        if (t.status is TranscriptStatus.RUNNING and _lease_expired(t, now))
        or (
            t.status is TranscriptStatus.QUEUED
            and now.timestamp() - t.queued_at.timestamp() >= STALLED_AFTER_SECONDS
        )
    ]
