"""Media files (recordings, drawings) kept encrypted at rest, streamed in and out.

New files are sealed with AES-256-GCM under the newest media key, in frames, so that a
recording is stored and played piece by piece, never held whole in memory (version 3)::

    version 3 (1) | key id (8) | nonce prefix (8) | frame size (4, big-endian)
    frame 0 | frame 1 | ... | last frame          each: ciphertext + 16-byte tag

Every frame but the last holds exactly ``frame size`` bytes of the file (the last holds the
rest, possibly none: an empty file is one empty frame). Frame ``i`` is sealed with the
nonce ``nonce prefix | i`` (4 bytes, big-endian) and authenticates the header, the media
id and a last-frame flag as associated data, under a key of the file's own (HKDF of the
media key, the nonce prefix and the media id). So a frame moved to another place (its
index is in its nonce), a file cut short at a frame boundary (its new last frame was not
sealed as the last), a frame added at the end (the old last one was), a frame from another
file or another id, or any edited byte all fail to open (``MediaCorrupt``). Because every
frame has the same size, the frames that hold any byte range are found by arithmetic, so
an HTTP range request (seeking in a recording) reads and decrypts only those frames.
Sealing a file again (``rekey``) draws a new nonce prefix, and with it a new file key.

Files sealed before frames are read whole, as they always were:

- version 2: ``version | key id (8) | nonce (12) | ciphertext + tag`` (one piece);
- version 1: the same without a key id, opened by trying each key, the legacy key derived
  from the secret key among them.

``flask media rekey`` seals old files again under the newest key (``core.media_keys``),
in frames. The key id (the first bytes of the key's SHA-256) says which key opens a file,
so several keys can be in use at once while an operator rotates them. The media id and the
header are bound as associated data, so a file copied or renamed to another id, or a
header edited, fails to decrypt instead of quietly showing one child's drawing in another
child's record.

The sealed bytes are kept by a blob backend (``blobs``): a folder on this host,
``<root>/<id[:2]>/<id>`` (the default), or an S3-compatible bucket chosen by
``VOICE_APP_MEDIA_URL=s3://bucket/prefix``, so several app hosts share one store. Either
way the store encrypts before anything leaves the process: the bucket never sees plain media.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from voice_app.core.storage.blobs import (
    BlobMissing,
    Blobs,
    FolderBlobs,
    S3Blobs,
    s3_blobs_from_url,
)

#: The format new media files are written in: framed, for streaming.
FORMAT_VERSION = 3
#: One piece, with a key id: media written before frames, and upload chunks (``seal``).
ONE_PIECE_VERSION = 2
#: One piece, no key id: media written before media keys.
LEGACY_VERSION = 1
KEY_ID_BYTES = 8
NONCE_BYTES = 12
NONCE_PREFIX_BYTES = 8
TAG_BYTES = 16
KEY_BYTES = 32
HKDF_INFO = b"voice_app media v1"
#: Bytes of the file in each frame. 64 KiB: the tag adds 0.02 %, and a play or a seek
#: holds one frame at a time.
FRAME_BYTES = 64 * 1024
#: A header claiming larger frames is refused before anything is read for it.
MAX_FRAME_BYTES = 16 * 1024 * 1024

_LEGACY_HEADER_BYTES = 1 + NONCE_BYTES
_HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES
_FRAMED_HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_PREFIX_BYTES + 4
#: How many bytes sealing adds to an upload chunk (``seal``) or a media file of at most one
#: frame: a sealed file is this much larger than its contents.
SEAL_OVERHEAD = _HEADER_BYTES + TAG_BYTES
assert _FRAMED_HEADER_BYTES + TAG_BYTES == SEAL_OVERHEAD
_LAST, _NOT_LAST = b"\x01", b"\x00"
# fullmatch, not match with "$": "$" would also accept a trailing newline.
_MEDIA_ID = re.compile(r"[0-9a-f]{32}")


class MediaError(Exception):
    """Base class for a media file that cannot be handed back."""


class MediaNotFound(MediaError):
    """No file is stored under this id (never stored, or deleted)."""


class MediaCorrupt(MediaError):
    """The stored file exists but does not authenticate: damaged, tampered with or misplaced."""


class MediaStore:
    """Encrypted files addressed by random hex ids, kept by a blob backend."""

    def __init__(self, where: Path | str | Blobs, key: bytes, older: Sequence[bytes] = ()) -> None:
        """``where``: a folder, or a blob backend. ``key`` seals new files; ``older`` keys
        still open the files sealed with them."""
        for each in (key, *older):
            if len(each) != KEY_BYTES:
                raise ValueError(f"the media key must be {KEY_BYTES} bytes, not {len(each)}")
        self.blobs: Blobs = FolderBlobs(Path(where)) if isinstance(where, (str, Path)) else where
        self.key_id = key_id(key)
        self._keys = {key_id(each): AESGCM(each) for each in (*older, key)}
        self._aead = self._keys[self.key_id]
        self._raw_keys = {key_id(each): each for each in (*older, key)}

    @property
    def root(self) -> Path:
        """The folder of a folder-backed store (tests and the CLI read files there)."""
        if not isinstance(self.blobs, FolderBlobs):
            raise TypeError(f"media are not in a folder here but in {self.blobs.describe()}")
        return self.blobs.root

    def path_for(self, media_id: str) -> Path:
        """Where ``media_id`` lives in a folder-backed store (``key_for`` checks the id)."""
        return self.root / self.key_for(media_id)

    @staticmethod
    def key_for(media_id: str) -> str:
        """The blob name of ``media_id``; refuses anything that is not 32 lowercase hex digits.

        The id reaches here from URLs and database rows, so it is checked every time: a
        value such as ``../../etc/passwd`` must never become a path or an object key.
        """
        if not isinstance(media_id, str) or not _MEDIA_ID.fullmatch(media_id):
            raise ValueError(f"not a media id: {media_id!r}")
        return f"{media_id[:2]}/{media_id}"

    def put(self, data: bytes) -> str:
        """Encrypt and store ``data`` under a new id, which is returned.

        The file appears whole or not at all (the blob backend guarantees it).
        """
        return self.put_stream((data,))

    def put_stream(self, source: Iterable[bytes] | BinaryIO) -> str:
        """Encrypt and store what ``source`` gives (pieces of any size, or an open binary
        file read to its end) under a new id, frame by frame: only a frame at a time (and,
        for S3, one multipart part) is in memory. The file appears whole or not at all."""
        media_id = uuid.uuid4().hex
        self.blobs.write_stream(self.key_for(media_id), self._seal_frames(media_id, source))
        return media_id

    def rekey(self, media_id: str) -> bool:
        """Seal the file again under the newest key, in frames; False if it already was."""
        if self.under_newest_key(media_id):
            return False
        reading = self.open(media_id).stream()
        self.blobs.write_stream(self.key_for(media_id), self._seal_frames(media_id, reading))
        return True

    def under_newest_key(self, media_id: str) -> bool:
        """Whether the file is already sealed with the newest key (read from its header)."""
        try:
            header = self.blobs.read_head(self.key_for(media_id), 1 + KEY_ID_BYTES)
        except BlobMissing:
            raise MediaNotFound(media_id) from None
        return header[1:] == self.key_id and header[0] in (FORMAT_VERSION, ONE_PIECE_VERSION)

    def media_ids(self) -> list[str]:
        """Every file in the store, by id."""
        return sorted(
            listed.name for listed in self.blobs.listing() if _MEDIA_ID.fullmatch(listed.name)
        )

    def get(self, media_id: str) -> bytes:
        """The decrypted contents; ``MediaNotFound`` if absent, ``MediaCorrupt`` if tampered.

        The whole file in memory: for what is used whole anyway (a drawing checked by
        Pillow, a recording Whisper decodes). Serving uses ``open`` and streams."""
        return b"".join(self.open(media_id).stream())

    def open(self, media_id: str) -> MediaReader:
        """A reader for the file: its size, and any byte range of it as a stream.

        Raises ``MediaNotFound`` or ``MediaCorrupt`` here, for a missing file or a header
        that does not parse; a damaged frame raises when the stream reaches it.
        """
        key = self.key_for(media_id)
        try:
            head, sealed_size = self.blobs.head_and_size(key, _FRAMED_HEADER_BYTES)
        except BlobMissing:
            raise MediaNotFound(media_id) from None
        if head[:1] != bytes([FORMAT_VERSION]):
            # Sealed before frames: one piece, opened whole, as before.
            try:
                sealed = self.blobs.read(key)
            except BlobMissing:
                raise MediaNotFound(media_id) from None
            return _WholeReader(self._open(media_id, sealed))
        frame_bytes = int.from_bytes(head[-4:], "big")
        master = self._raw_keys.get(head[1 : 1 + KEY_ID_BYTES])
        body = sealed_size - _FRAMED_HEADER_BYTES
        if master is None or len(head) != _FRAMED_HEADER_BYTES or body < TAG_BYTES:
            raise MediaCorrupt(media_id)
        aead = _file_aead(master, head, media_id)
        if not 0 < frame_bytes <= MAX_FRAME_BYTES:
            raise MediaCorrupt(media_id)
        frames, rest = divmod(body, frame_bytes + TAG_BYTES)
        if rest:
            if rest < TAG_BYTES:
                raise MediaCorrupt(media_id)  # cut inside a frame's tag
            frames += 1
        size = body - frames * TAG_BYTES
        return _FramedReader(self, media_id, key, aead, head, frame_bytes, frames, size)

    def delete(self, media_id: str) -> None:
        """Remove the file; deleting one that is already gone is not an error."""
        self.blobs.delete(self.key_for(media_id))

    def exists(self, media_id: str) -> bool:
        """Whether a file is stored under ``media_id`` (it is not decrypted)."""
        return self.blobs.exists(self.key_for(media_id))

    def seal(self, label: str, data: bytes) -> bytes:
        """Encrypt ``data`` bound to ``label`` (ASCII), for files kept outside the store.

        Used for the chunks of an upload still arriving: they are as private as the media
        they become, and a chunk moved to another label fails to open.
        """
        return self._seal(label, data)

    def unseal(self, label: str, sealed: bytes) -> bytes:
        """The contents ``seal`` was given; ``MediaCorrupt`` if damaged or moved."""
        return self._open(label, sealed)

    def _seal_frames(self, media_id: str, source: Iterable[bytes] | BinaryIO) -> Iterator[bytes]:
        """The sealed file, header first, then one sealed frame at a time."""
        header = (
            bytes([FORMAT_VERSION])
            + self.key_id
            + secrets.token_bytes(NONCE_PREFIX_BYTES)
            + FRAME_BYTES.to_bytes(4, "big")
        )
        yield header
        prefix = header[1 + KEY_ID_BYTES : 1 + KEY_ID_BYTES + NONCE_PREFIX_BYTES]
        associated = header + media_id.encode("ascii")
        aead = _file_aead(self._raw_keys[self.key_id], header, media_id)
        index = 0
        pending: bytes | None = None
        # One frame is held back until the next arrives: only then is it known not to be
        # the last.
        for frame in _frames_of(source, FRAME_BYTES):
            if pending is not None:
                yield aead.encrypt(_nonce(prefix, index), pending, associated + _NOT_LAST)
                index += 1
            pending = frame
        yield aead.encrypt(_nonce(prefix, index), pending or b"", associated + _LAST)

    def _seal(self, media_id: str, data: bytes) -> bytes:
        header = bytes([ONE_PIECE_VERSION]) + self.key_id + secrets.token_bytes(NONCE_BYTES)
        nonce = header[-NONCE_BYTES:]
        return header + self._aead.encrypt(nonce, data, _associated_data(header, media_id))

    def _open(self, media_id: str, sealed: bytes) -> bytes:
        if (
            sealed[:1] == bytes([LEGACY_VERSION])
            and len(sealed) >= _LEGACY_HEADER_BYTES + TAG_BYTES
        ):
            # Sealed before key ids: whichever key this store holds opens it.
            header, body = sealed[:_LEGACY_HEADER_BYTES], sealed[_LEGACY_HEADER_BYTES:]
            candidates = list(self._keys.values())
        elif sealed[:1] == bytes([ONE_PIECE_VERSION]) and len(sealed) >= _HEADER_BYTES + TAG_BYTES:
            header, body = sealed[:_HEADER_BYTES], sealed[_HEADER_BYTES:]
            aead = self._keys.get(header[1 : 1 + KEY_ID_BYTES])
            candidates = [aead] if aead is not None else []
        else:
            raise MediaCorrupt(media_id)
        for aead in candidates:
            try:
                return aead.decrypt(header[-NONCE_BYTES:], body, _associated_data(header, media_id))
            except InvalidTag:
                continue
        raise MediaCorrupt(media_id)


class MediaReader:
    """An opened media file: its size, and its bytes as a stream of pieces."""

    #: The size of the file itself (not of its sealed form).
    size: int

    def stream(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Bytes ``start`` up to ``stop`` (the end when None) of the file, in pieces."""
        raise NotImplementedError


class _WholeReader(MediaReader):
    """A file sealed in one piece (before frames): already opened whole."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def stream(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        stop = self.size if stop is None else min(stop, self.size)
        view = memoryview(self.data)
        for first in range(start, stop, FRAME_BYTES):
            yield bytes(view[first : min(first + FRAME_BYTES, stop)])


class _FramedReader(MediaReader):
    """A framed file: reads and opens only the frames a range touches."""

    def __init__(
        self,
        store: MediaStore,
        media_id: str,
        key: str,
        aead: AESGCM,
        header: bytes,
        frame_bytes: int,
        frames: int,
        size: int,
    ) -> None:
        self.store, self.media_id, self.key, self.aead = store, media_id, key, aead
        self.header, self.frame_bytes, self.frames, self.size = header, frame_bytes, frames, size

    def stream(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Opens the first frame of the range before returning, so that a file damaged at
        the start fails here (before an HTTP response has begun), not in the middle."""
        stop = self.size if stop is None else min(stop, self.size)
        if start >= stop:
            first_frame = last_frame = min(start // self.frame_bytes, self.frames - 1)
        else:
            first_frame, last_frame = start // self.frame_bytes, (stop - 1) // self.frame_bytes
        opened = self._open_frames(first_frame, last_frame)
        head = next(opened)
        base = first_frame * self.frame_bytes

        def pieces() -> Iterator[bytes]:
            position = base
            for plain in itertools.chain((head,), opened):
                low, high = max(start - position, 0), min(stop - position, len(plain))
                if low < high:
                    yield plain[low:high]
                position += len(plain)

        return pieces()

    def _open_frames(self, first: int, last: int) -> Iterator[bytes]:
        sealed_frame = self.frame_bytes + TAG_BYTES
        begin = _FRAMED_HEADER_BYTES + first * sealed_frame
        end = _FRAMED_HEADER_BYTES + (last + 1) * sealed_frame
        try:
            raw = self.store.blobs.read_range(self.key, begin, end)
        except BlobMissing:
            raise MediaNotFound(self.media_id) from None
        prefix = self.header[1 + KEY_ID_BYTES : 1 + KEY_ID_BYTES + NONCE_PREFIX_BYTES]
        associated = self.header + self.media_id.encode("ascii")
        index = first
        for sealed in _frames_of(raw, sealed_frame):
            flag = _LAST if index == self.frames - 1 else _NOT_LAST
            try:
                yield self.aead.decrypt(_nonce(prefix, index), sealed, associated + flag)
            except InvalidTag:
                raise MediaCorrupt(self.media_id) from None
            index += 1
        if index != last + 1:
            raise MediaCorrupt(self.media_id)  # shorter than its size said: cut while read


def _file_aead(master: bytes, header: bytes, media_id: str) -> AESGCM:
    """The key of one framed file: derived from the media key, the file's random nonce
    prefix and its (random, never reused) id. Frame nonces then repeat across files only
    if both id and prefix do, rather than whenever two files drew the same 8-byte prefix."""
    prefix = header[1 + KEY_ID_BYTES : 1 + KEY_ID_BYTES + NONCE_PREFIX_BYTES]
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=prefix,
        info=b"voice_app media frames v3 " + media_id.encode("ascii"),
    ).derive(master)
    return AESGCM(derived)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(NONCE_BYTES - NONCE_PREFIX_BYTES, "big")


def _frames_of(source: Iterable[bytes] | BinaryIO, size: int) -> Iterator[bytes]:
    """Pieces of exactly ``size`` bytes (the last may be shorter) from pieces of any size,
    or from an open binary file."""
    if hasattr(source, "read"):
        reader: Any = source
        while frame := reader.read(size):
            yield frame
        return
    buffer = bytearray()
    for piece in source:
        view = memoryview(piece)
        if buffer:
            taken = view[: size - len(buffer)]
            buffer += taken
            view = view[len(taken) :]
            if len(buffer) < size:
                continue
            yield bytes(buffer)
            buffer.clear()
        # Whole frames straight from the piece, without copying it into the buffer first.
        while len(view) >= size:
            yield bytes(view[:size])
            view = view[size:]
        buffer += view
    if buffer:
        yield bytes(buffer)


def seal_overhead(path: Path) -> int:
    """How many bytes sealing added to the file at ``path`` (its format says)."""
    with path.open("rb") as handle:
        head = handle.read(_FRAMED_HEADER_BYTES)
    if head[:1] == bytes([FORMAT_VERSION]):
        frame_bytes = int.from_bytes(head[-4:], "big")
        body = path.stat().st_size - _FRAMED_HEADER_BYTES
        frames = max(1, -(-body // (frame_bytes + TAG_BYTES)))
        return _FRAMED_HEADER_BYTES + frames * TAG_BYTES
    legacy = head[:1] == bytes([LEGACY_VERSION])
    return (_LEGACY_HEADER_BYTES if legacy else _HEADER_BYTES) + TAG_BYTES


def key_id(key: bytes) -> bytes:
    """Which key sealed a file, without saying anything about the key."""
    return hashlib.sha256(b"voice_app media key id" + key).digest()[:KEY_ID_BYTES]


def _associated_data(header: bytes, media_id: str) -> bytes:
    # Everything before the nonce: the version byte and, from version 2, the key id.
    return header[:-NONCE_BYTES] + media_id.encode("ascii")


def media_key(secret_key: str | bytes, media_key_hex: str | None = None) -> bytes:
    """A 32-byte media key: ``media_key_hex`` when given, else the legacy key derived from
    the secret key (what every file written before separate media keys was sealed with).

    Deriving with HKDF keeps it distinct from the session-signing use of ``SECRET_KEY``.
    Deployments set their own keys (``VOICE_APP_MEDIA_KEY`` or ``instance/media_keys``)
    so the secret key can be rotated without making any stored file unreadable.
    """
    if media_key_hex:
        key = bytes.fromhex(media_key_hex)
        if len(key) != KEY_BYTES:
            raise ValueError(f"MEDIA_KEY must be {KEY_BYTES} bytes ({2 * KEY_BYTES} hex digits)")
        return key
    secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    if not secret:
        raise ValueError("SECRET_KEY is empty; it cannot protect media")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=HKDF_INFO).derive(
        secret
    )


def media_store() -> MediaStore:
    """The store for the current app, built once and kept in ``app.extensions``.

    New files are sealed with the newest key of ``MEDIA_KEYS`` (``core.media_keys``); the
    older ones and the legacy key derived from ``SECRET_KEY`` still open what they sealed.
    Files go to the bucket of ``MEDIA_URL`` (``s3://bucket/prefix``) when it is set, else
    to the folder ``MEDIA_ROOT``. It is rebuilt if either or the keys change, so a test
    that points it elsewhere gets a store that writes there.
    """
    config = current_app.config
    url = config.get("MEDIA_URL") or ""
    endpoint = config.get("S3_ENDPOINT") or None
    root = Path(config["MEDIA_ROOT"])
    configured = [media_key("", hex_key) for hex_key in configured_media_keys(config)]
    legacy = media_key(config["SECRET_KEY"])
    newest = configured[-1] if configured else legacy
    fingerprint = (url, endpoint, root, tuple(configured), legacy)
    store = current_app.extensions.get("media_store")
    if not isinstance(store, MediaStore) or current_app.extensions.get("media_keys") != fingerprint:
        where: Path | Blobs = s3_blobs_from_url(url, endpoint) if url else root
        store = MediaStore(where, newest, older=[legacy, *configured[:-1]])
        current_app.extensions["media_store"] = store
        current_app.extensions["media_keys"] = fingerprint
    return store


def upload_blobs() -> Blobs:
    """Where chunks of uploads still arriving are kept: beside the media, so that a tablet
    whose chunks land on different app hosts still finishes its item. A bucket keeps them
    under ``<prefix>/uploads/``; the folder store under ``UPLOAD_ROOT``. They are sealed by
    ``MediaStore.seal`` before they get here."""
    blobs = media_store().blobs
    if isinstance(blobs, S3Blobs):
        return S3Blobs(blobs.client, blobs.bucket, f"{blobs.prefix}/uploads".strip("/"))
    return FolderBlobs(Path(current_app.config["UPLOAD_ROOT"]))


def configured_media_keys(config: Mapping[str, Any]) -> list[str]:
    """The operator's media keys, oldest first, as hex: ``MEDIA_KEYS`` then ``MEDIA_KEY``."""
    keys = list(config.get("MEDIA_KEYS") or [])
    if config.get("MEDIA_KEY"):
        keys.append(str(config["MEDIA_KEY"]))
    return keys
