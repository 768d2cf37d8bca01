"""Media files (recordings, drawings) kept encrypted at rest.

Each file is sealed with AES-256-GCM under one app-wide key. The file on disk is::

    version (1 byte) | nonce (12 bytes) | ciphertext + 16-byte tag

The media id and the version byte are bound as associated data, so a file copied or
renamed to another id, or a header edited to claim another version, fails to decrypt
instead of quietly showing one child's drawing in another child's record.

Files live at ``<root>/<id[:2]>/<id>``: the two-character fan-out keeps folders small
when there are hundreds of thousands of contributions.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
HKDF_INFO = b"voice_app media v1"

_HEADER_BYTES = 1 + NONCE_BYTES
# fullmatch, not match with "$": "$" would also accept a trailing newline.
_MEDIA_ID = re.compile(r"[0-9a-f]{32}")


class MediaError(Exception):
    """Base class for a media file that cannot be handed back."""


class MediaNotFound(MediaError):
    """No file is stored under this id (never stored, or deleted)."""


class MediaCorrupt(MediaError):
    """The stored file exists but does not authenticate: damaged, tampered with or misplaced."""


class MediaStore:
    """Encrypted files under ``root``, addressed by random hex ids."""

    def __init__(self, root: Path, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the media key must be {KEY_BYTES} bytes, not {len(key)}")
        self.root = Path(root)
        self._aead = AESGCM(key)

    def path_for(self, media_id: str) -> Path:
        """Where ``media_id`` lives; refuses anything that is not 32 lowercase hex digits.

        The id reaches here from URLs and database rows, so it is checked every time: a
        value such as ``../../etc/passwd`` must never become a path.
        """
        if not isinstance(media_id, str) or not _MEDIA_ID.fullmatch(media_id):
            raise ValueError(f"not a media id: {media_id!r}")
        return self.root / media_id[:2] / media_id

    def put(self, data: bytes) -> str:
        """Encrypt and store ``data`` under a new id, which is returned.

        The file appears whole or not at all: it is written to a temporary file in the
        same folder, flushed to disk, then renamed over its final name.
        """
        media_id = uuid.uuid4().hex
        path = self.path_for(media_id)
        sealed = self._seal(media_id, data)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file readable by its owner only.
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        _fsync_directory(path.parent)
        return media_id

    def get(self, media_id: str) -> bytes:
        """The decrypted contents; ``MediaNotFound`` if absent, ``MediaCorrupt`` if tampered."""
        path = self.path_for(media_id)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            raise MediaNotFound(media_id) from None
        return self._open(media_id, sealed)

    def delete(self, media_id: str) -> None:
        """Remove the file; deleting one that is already gone is not an error."""
        self.path_for(media_id).unlink(missing_ok=True)

    def exists(self, media_id: str) -> bool:
        """Whether a file is stored under ``media_id`` (it is not decrypted)."""
        return self.path_for(media_id).is_file()

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
        header = bytes([FORMAT_VERSION]) + secrets.token_bytes(NONCE_BYTES)
        nonce = header[1:]
        return header + self._aead.encrypt(nonce, data, _associated_data(header, media_id))

    def _open(self, media_id: str, sealed: bytes) -> bytes:
        if len(sealed) < _HEADER_BYTES + TAG_BYTES or sealed[0] != FORMAT_VERSION:
            raise MediaCorrupt(media_id)
        header, body = sealed[:_HEADER_BYTES], sealed[_HEADER_BYTES:]
        try:
            return self._aead.decrypt(header[1:], body, _associated_data(header, media_id))
        except InvalidTag:
            raise MediaCorrupt(media_id) from None


def _associated_data(header: bytes, media_id: str) -> bytes:
    return header[:1] + media_id.encode("ascii")


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable, so a power cut cannot lose a stored file."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # platforms that cannot open folders (Windows) make renames durable themselves
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def media_key(secret_key: str | bytes, media_key_hex: str | None = None) -> bytes:
    """The 32-byte media key: ``MEDIA_KEY`` (hex) when given, else derived from the secret key.

    Deriving with HKDF keeps the media key distinct from the session-signing use of
    ``SECRET_KEY``. Deployments should set ``MEDIA_KEY`` so the secret key can be rotated
    without making every stored file unreadable.
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

    It is rebuilt if ``MEDIA_ROOT`` changes, so a test that points it elsewhere gets a
    store that writes there.
    """
    config = current_app.config
    root = Path(config["MEDIA_ROOT"])
    store = current_app.extensions.get("media_store")
    if not isinstance(store, MediaStore) or store.root != root:
        store = MediaStore(root, media_key(config["SECRET_KEY"], config.get("MEDIA_KEY")))
        current_app.extensions["media_store"] = store
    return store
