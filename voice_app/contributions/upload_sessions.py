"""Resumable uploads: a recording or drawing sent in chunks, joined only once it is whole.

A weak link drops connections; a chunk lost at 90 % is sent again, not the whole file.
Each chunk is kept sealed with the media key as ``<child id>/<client id>/<offset>`` in the
upload store (``core.storage.upload_blobs``: ``UPLOAD_ROOT`` on this host, or the media
bucket that every host shares) until the tablet finishes the item. Then the chunks are
joined into a temporary file (in memory up to 1 MiB, then on disk, unnamed so nothing is
left after a crash), checked against the size and SHA-256 the tablet declared when it
began, and handed to ``add_contribution`` as any upload is: its checks run from that file,
and the contribution is stored once (keyed on the client id). Nothing of a half-sent item
reaches the media store or the database; ``remove_abandoned`` clears uploads nobody
finished.

Nothing here touches the database, so a chunk arriving slowly holds no lock.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import IO

from flask import current_app

from voice_app.core.storage import SEAL_OVERHEAD, BlobMissing, MediaCorrupt, media_store
from voice_app.core.storage import upload_blobs as _blobs

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK_NAME = re.compile(r"[0-9]{12}")
META = "upload.json"


class UploadIncomplete(Exception):
    """The upload does not hold what was asked of it; ``offset`` is how much it has."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class UploadDamaged(Exception):
    """All the bytes arrived but they are not the file the tablet declared; start again."""


class UploadTooLarge(Exception):
    """The declared file, or a chunk, is larger than allowed."""


@dataclass(frozen=True)
class UploadSession:
    """One item's upload in progress: what the tablet declared, and where its chunks are."""

    child_id: int
    client_id: str
    size: int
    sha256: str

    @property
    def prefix(self) -> str:
        return _prefix(self.child_id, self.client_id)

    def label(self, offset: int) -> str:
        return f"upload:{self.child_id}:{self.client_id}:{offset:012d}"


def _prefix(child_id: int, client_id: str) -> str:
    # The client id comes from the tablet: it must be a UUID before it becomes a key.
    return f"{int(child_id)}/{uuid.UUID(client_id)}"


def begin(child_id: int, client_id: str, size: int, sha256: str, max_bytes: int) -> UploadSession:
    """Start an upload, or find the one already started for this item (to resume it).

    A different file declared under the same client id replaces what was there.
    """
    if not 0 < size <= max_bytes:
        raise UploadTooLarge(size)
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 digest")
    session = UploadSession(child_id, str(uuid.UUID(client_id)), size, sha256)
    existing = find(child_id, client_id)
    if existing == session:
        return existing
    if existing is not None:
        discard(existing)
    meta = {"size": size, "sha256": sha256}
    _blobs().write(f"{session.prefix}/{META}", json.dumps(meta).encode())
    return session


def find(child_id: int, client_id: str) -> UploadSession | None:
    """The upload in progress for this item, if there is one."""
    try:
        meta = json.loads(_blobs().read(f"{_prefix(child_id, client_id)}/{META}"))
    except (ValueError, BlobMissing):
        return None
    return UploadSession(child_id, str(uuid.UUID(client_id)), int(meta["size"]), meta["sha256"])


def received(session: UploadSession) -> int:
    """How many bytes from the start have arrived without a gap."""
    offset = 0
    for start, size in _chunks(session):
        if start != offset:
            break
        offset += size - SEAL_OVERHEAD
    return min(offset, session.size)


def add_chunk(session: UploadSession, offset: int, data: bytes) -> int:
    """Keep ``data`` as the bytes at ``offset``; returns how many bytes have now arrived.

    Only the next chunk is taken (``UploadIncomplete`` says where that is): a chunk sent
    twice, after a connection dropped before its answer, is answered, not stored twice.
    """
    have = received(session)
    if offset != have or not data:
        raise UploadIncomplete(have)
    if offset + len(data) > session.size:
        raise UploadTooLarge(offset + len(data))
    sealed = media_store().seal(session.label(offset), data)
    _blobs().write(f"{session.prefix}/{offset:012d}", sealed)
    return offset + len(data)


#: How much of a joined upload is kept in memory before its temporary file goes to disk.
SPOOL_BYTES = 1024 * 1024


def assemble(session: UploadSession) -> IO[bytes]:
    """The whole file, checked against its declared size and SHA-256, as a temporary file
    positioned at its start (the caller closes it; closing removes it).

    Each chunk is opened, hashed and appended in turn, so only one chunk is in memory at a
    time: the recording's checks then read that file, and the store seals it from there
    frame by frame.
    """
    if received(session) != session.size:
        raise UploadIncomplete(received(session))
    # Handed to the caller open: it is the result, so no context manager closes it here.
    whole: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        _join(session, whole)
    except BaseException:
        whole.close()
        raise
    whole.seek(0)
    return whole


def _join(session: UploadSession, whole: IO[bytes]) -> None:
    """Append each chunk to ``whole`` in turn, hashing it; ``UploadDamaged`` if the
    result is not the file the tablet declared (the chunks are then discarded)."""
    digest = hashlib.sha256()
    offset = 0
    store, blobs = media_store(), _blobs()
    for start, _size in _chunks(session):
        if start != offset or offset >= session.size:
            break
        try:
            part = store.unseal(session.label(start), blobs.read(f"{session.prefix}/{start:012d}"))
        except (MediaCorrupt, BlobMissing):
            discard(session)
            raise UploadDamaged(session.client_id) from None
        if offset + len(part) > session.size:
            break
        whole.write(part)
        digest.update(part)
        offset += len(part)
    if offset != session.size or digest.hexdigest() != session.sha256:
        discard(session)
        raise UploadDamaged(session.client_id)


def discard(session: UploadSession) -> None:
    """Remove the upload's chunks (the item was stored, or is being sent again)."""
    _blobs().delete_under(session.prefix)


def discard_child(child_id: int) -> int:
    """Remove every upload of a child still arriving (a purge); returns how many there were."""
    blobs = _blobs()
    items = {listed.key.split("/")[1] for listed in blobs.list_under(str(int(child_id)))}
    if items:
        blobs.delete_under(str(int(child_id)))
    return len(items)


def remove_abandoned(now: float | None = None) -> list[str]:
    """Remove uploads with no new chunk for ``UPLOAD_ABANDONED_AFTER``; returns their keys."""
    cutoff = (now or time.time()) - current_app.config["UPLOAD_ABANDONED_AFTER"].total_seconds()
    blobs = _blobs()
    newest: dict[str, float] = {}
    for listed in blobs.list_under(""):
        child, _, rest = listed.key.partition("/")
        item, _, name = rest.partition("/")
        if child.isdigit() and item and name:
            key = f"{child}/{item}"
            newest[key] = max(newest.get(key, 0.0), listed.modified)
    removed = sorted(key for key, modified in newest.items() if modified < cutoff)
    for key in removed:
        blobs.delete_under(key)
    return removed


def _chunks(session: UploadSession) -> list[tuple[int, int]]:
    """(offset, stored size) of each chunk that has arrived, in order."""
    found = [
        (int(listed.name), listed.size)
        for listed in _blobs().list_under(session.prefix)
        if _CHUNK_NAME.fullmatch(listed.name)
    ]
    return sorted(found)
