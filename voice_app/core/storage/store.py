"""Media files (recordings, drawings) kept encrypted at rest.

Each file is sealed with AES-256-GCM under the newest media key. The file on disk is::

    version 2 (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext + 16-byte tag

The key id (the first bytes of the key's SHA-256) says which key opens it, so several keys
can be in use at once while an operator rotates them (``core.media_keys``: new media
under the newest, ``flask media rekey`` moves old files forward). Files written before
key ids (version 1: no key id) are opened by trying each key, the legacy key derived from
the secret key among them. The media id and the header are bound as associated data, so
a file copied or renamed to another id, or a header edited, fails to decrypt instead of
quietly showing one child's drawing in another child's record.

The sealed bytes are kept by a blob backend (``blobs``): a folder on this host,
``<root>/<id[:2]>/<id>`` (the default), or an S3-compatible bucket chosen by
``VOICE_APP_MEDIA_URL=s3://bucket/prefix``, so several app hosts share one store. Either
way the store encrypts before anything leaves the process: the bucket never sees plain media.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

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

FORMAT_VERSION = 2
LEGACY_VERSION = 1
KEY_ID_BYTES = 8
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
HKDF_INFO = b"voice_app media v1"

_LEGACY_HEADER_BYTES = 1 + NONCE_BYTES
_HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES
#: How many bytes sealing adds: a sealed file is this much larger than its contents.
SEAL_OVERHEAD = _HEADER_BYTES + TAG_BYTES
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
        media_id = uuid.uuid4().hex
        self._write(media_id, data)
        return media_id

    def rekey(self, media_id: str) -> bool:
        """Seal the file again under the newest key; False if it already was."""
        if self.under_newest_key(media_id):
            return False
        self._write(media_id, self._open(media_id, self._read(media_id)))
        return True

    def under_newest_key(self, media_id: str) -> bool:
        """Whether the file is already sealed with the newest key (read from its header)."""
        try:
            header = self.blobs.read_head(self.key_for(media_id), 1 + KEY_ID_BYTES)
        except BlobMissing:
            raise MediaNotFound(media_id) from None
        return header == bytes([FORMAT_VERSION]) + self.key_id

    def media_ids(self) -> list[str]:
        """Every file in the store, by id."""
        return sorted(
            listed.name for listed in self.blobs.listing() if _MEDIA_ID.fullmatch(listed.name)
        )

    def _write(self, media_id: str, data: bytes) -> None:
        self.blobs.write(self.key_for(media_id), self._seal(media_id, data))

    def _read(self, media_id: str) -> bytes:
        try:
            return self.blobs.read(self.key_for(media_id))
        except BlobMissing:
            raise MediaNotFound(media_id) from None

    def get(self, media_id: str) -> bytes:
        """The decrypted contents; ``MediaNotFound`` if absent, ``MediaCorrupt`` if tampered."""
        return self._open(media_id, self._read(media_id))

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

    def _seal(self, media_id: str, data: bytes) -> bytes:
        header = bytes([FORMAT_VERSION]) + self.key_id + secrets.token_bytes(NONCE_BYTES)
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
        elif sealed[:1] == bytes([FORMAT_VERSION]) and len(sealed) >= _HEADER_BYTES + TAG_BYTES:
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


def seal_overhead(path: Path) -> int:
    """How many bytes sealing added to the file at ``path`` (its format says)."""
    with path.open("rb") as handle:
        legacy = handle.read(1) == bytes([LEGACY_VERSION])
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
