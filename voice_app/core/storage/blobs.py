"""Where sealed media bytes live: a folder on this host, or an S3-compatible bucket.

The media store (``store.MediaStore``) encrypts; a blob backend only keeps opaque sealed
bytes under a name. Names are ``<id[:2]>/<id>``: the two-character fan-out keeps folders
small on disk and spreads keys over a bucket's partitions.

Both backends make a write appear whole or not at all: the folder writes a temporary file
and renames it; S3 makes an object visible only when its upload completes.

Both stream: ``write_stream`` takes the sealed bytes piece by piece (a folder writes them
to its temporary file as they come; S3 sends a file larger than one part as a multipart
upload, one part in memory at a time), and ``read_range`` hands back any byte range as an
iterator of pieces, so neither a recording being stored nor one being played is ever
held whole in memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any, Protocol

#: Pieces handed back by ``read_range``: small enough to keep many plays cheap.
READ_PIECE_BYTES = 64 * 1024
#: An S3 multipart upload's part size (S3 wants at least 5 MiB for every part but the last).
S3_PART_BYTES = 8 * 1024 * 1024


class BlobMissing(Exception):
    """Nothing is stored under this name."""


@dataclass(frozen=True)
class Listed:
    """One stored object as a listing sees it, for the orphan sweep."""

    #: ``<fan-out>/<name>``: the name the sweep logs and removes.
    key: str
    #: The last part of the key: a media id, or a leftover temporary file's name.
    name: str
    #: Seconds since the epoch when it was last written.
    modified: float
    #: Its size in bytes.
    size: int = 0


class Blobs(Protocol):
    """What the media store needs from wherever the sealed bytes are kept."""

    def write(self, key: str, data: bytes) -> None: ...
    def write_stream(self, key: str, pieces: Iterable[bytes]) -> None: ...
    def read(self, key: str) -> bytes: ...
    def read_range(self, key: str, start: int, stop: int | None = None) -> Iterator[bytes]: ...
    def size(self, key: str) -> int: ...
    def read_head(self, key: str, size: int) -> bytes: ...
    def head_and_size(self, key: str, size: int) -> tuple[bytes, int]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def listing(self) -> Iterator[Listed]: ...
    def describe(self) -> str: ...
    def check(self) -> bool: ...
    def list_under(self, prefix: str) -> Iterator[Listed]: ...
    def delete_under(self, prefix: str) -> None: ...


class FolderBlobs:
    """Sealed files in a folder on this host: the embedded default of ``make run``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def write(self, key: str, data: bytes) -> None:
        self.write_stream(key, (data,))

    def write_stream(self, key: str, pieces: Iterable[bytes]) -> None:
        """Write the pieces to a temporary file beside the target, make it durable, then
        rename it into place: a reader sees the old file or the whole new one."""
        path = self.path(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file readable by its owner only.
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        _fsync_directory(path.parent)

    def read(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(key) from None

    def read_head(self, key: str, size: int) -> bytes:
        try:
            with self.path(key).open("rb") as handle:
                return handle.read(size)
        except FileNotFoundError:
            raise BlobMissing(key) from None

    def head_and_size(self, key: str, size: int) -> tuple[bytes, int]:
        """The first ``size`` bytes and the size of the whole file, in one opening."""
        try:
            with self.path(key).open("rb") as handle:
                return handle.read(size), os.fstat(handle.fileno()).st_size
        except FileNotFoundError:
            raise BlobMissing(key) from None

    def read_range(self, key: str, start: int, stop: int | None = None) -> Iterator[bytes]:
        """Bytes ``start`` up to ``stop`` (the end when None), piece by piece. The file is
        opened at once, so a missing one raises here rather than half-way through."""
        try:
            handle = self.path(key).open("rb")
        except FileNotFoundError:
            raise BlobMissing(key) from None
        handle.seek(start)
        return _pieces_of(handle, None if stop is None else stop - start)

    def size(self, key: str) -> int:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(key) from None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def listing(self) -> Iterator[Listed]:
        try:
            folders = list(os.scandir(self.root))
        except FileNotFoundError:
            return
        for folder in folders:
            if not (folder.is_dir(follow_symlinks=False) and len(folder.name) == 2):
                continue
            for entry in os.scandir(folder.path):
                if not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    modified = entry.stat(follow_symlinks=False).st_mtime
                except FileNotFoundError:
                    continue  # removed while listing: nothing to sweep
                yield Listed(f"{folder.name}/{entry.name}", entry.name, modified)

    def list_under(self, prefix: str) -> Iterator[Listed]:
        """Every file whose key starts with ``prefix/`` (any depth; ``""``: every file),
        temporary ones too."""
        base = self.path(prefix)
        if not base.is_dir():
            return
        for path in base.rglob("*"):
            try:
                stat = path.lstat()
            except FileNotFoundError:
                continue
            if S_ISREG(stat.st_mode):
                key = path.relative_to(self.root).as_posix()
                yield Listed(key, path.name, stat.st_mtime, stat.st_size)

    def delete_under(self, prefix: str) -> None:
        if not prefix.strip("/"):
            raise ValueError("refusing to delete the whole store")
        shutil.rmtree(self.path(prefix), ignore_errors=True)

    def describe(self) -> str:
        return str(self.root)

    def check(self) -> bool:
        """Whether files can be written here now (for ``/healthz``)."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.root, os.W_OK | os.X_OK)


class S3Blobs:
    """Sealed objects in an S3-compatible bucket (AWS, MinIO, Ceph, ``rclone serve s3``).

    Every app host and worker reads and writes the same bucket, so a drawing stored through
    one host is served by any other. The bucket only ever sees sealed bytes.
    """

    def __init__(
        self, client: Any, bucket: str, prefix: str = "", part_bytes: int = S3_PART_BYTES
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        #: Files larger than this go up as a multipart upload, one part in memory at a time.
        self.part_bytes = part_bytes

    def _object(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data)

    def write_stream(self, key: str, pieces: Iterable[bytes]) -> None:
        """One ``PutObject`` for a file that fits in a part; a multipart upload otherwise.

        Each part is gathered in a temporary file (in memory up to 1 MiB), which the HTTP
        client reads as it sends, so a part never sits whole in memory either. The object
        appears only when it is complete; a multipart upload that fails is aborted, so the
        bucket keeps no half-written parts.
        """
        target = {"Bucket": self.bucket, "Key": self._object(key)}
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        part = _spool()
        try:
            for piece in pieces:
                view = memoryview(piece)
                while len(view):
                    room = self.part_bytes - part.tell()
                    part.write(view[:room])
                    view = view[room:]
                    if part.tell() < self.part_bytes:
                        continue
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(**target)["UploadId"]
                    self._send_part(target, upload_id, parts, part)
                    part = _spool()
            if upload_id is None:
                part.seek(0)
                self.client.put_object(**target, Body=part)
                return
            if part.tell() or not parts:
                self._send_part(target, upload_id, parts, part)
            self.client.complete_multipart_upload(
                **target, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            if upload_id is not None:
                self.client.abort_multipart_upload(**target, UploadId=upload_id)
            raise
        finally:
            part.close()

    def _send_part(
        self, target: dict[str, str], upload_id: str, parts: list[dict[str, Any]], body: Any
    ) -> None:
        number = len(parts) + 1
        body.seek(0)
        answer = self.client.upload_part(**target, UploadId=upload_id, PartNumber=number, Body=body)
        body.close()
        parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def read(self, key: str) -> bytes:
        return self._get(key)

    def read_head(self, key: str, size: int) -> bytes:
        return self._get(key, Range=f"bytes=0-{max(size - 1, 0)}")[:size]

    def head_and_size(self, key: str, size: int) -> tuple[bytes, int]:
        """The first ``size`` bytes and the object's size, in one ranged ``GetObject`` (its
        ``Content-Range`` says the whole size): one round trip before a play starts."""
        answer = self._open(key, Range=f"bytes=0-{max(size - 1, 0)}")
        head = bytes(answer["Body"].read())[:size]
        whole = str(answer.get("ContentRange") or "").rpartition("/")[2]
        return head, int(whole) if whole.isdigit() else int(answer["ContentLength"])

    def read_range(self, key: str, start: int, stop: int | None = None) -> Iterator[bytes]:
        """Bytes ``start`` up to ``stop`` (the end when None) as one ranged ``GetObject``,
        read piece by piece. The request is made at once, so a missing object raises here."""
        if stop is not None and stop <= start:
            self.size(key)  # still say whether it exists
            return iter(())
        wanted = f"bytes={start}-{'' if stop is None else stop - 1}"
        body = self._open(key, Range=wanted)["Body"]
        return _pieces_of(body, None if stop is None else stop - start)

    def size(self, key: str) -> int:
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                raise BlobMissing(key) from None
            raise
        return int(answer["ContentLength"])

    def _open(self, key: str, **extra: Any) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._object(key), **extra)
        except self.client.exceptions.NoSuchKey:
            raise BlobMissing(key) from None

    def _get(self, key: str, **extra: Any) -> bytes:
        return bytes(self._open(key, **extra)["Body"].read())

    def delete(self, key: str) -> None:
        # S3 deletes are idempotent: removing a missing key succeeds.
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def listing(self) -> Iterator[Listed]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(start) :]
                folder, _, name = key.partition("/")
                if len(folder) == 2 and name and "/" not in name:
                    yield Listed(key, name, item["LastModified"].timestamp())

    def list_under(self, prefix: str) -> Iterator[Listed]:
        under = prefix.strip("/")
        everything = f"{self.prefix}/" if self.prefix else ""
        start = f"{self._object(under)}/" if under else everything
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        cut = len(everything)
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][cut:]
                yield Listed(
                    key, key.rsplit("/", 1)[-1], item["LastModified"].timestamp(), item["Size"]
                )

    def delete_under(self, prefix: str) -> None:
        if not prefix.strip("/"):
            raise ValueError("refusing to delete the whole store")
        keys = [listed.key for listed in self.list_under(prefix)]
        for first in range(0, len(keys), 1000):  # the API takes at most 1,000 at a time
            batch = [{"Key": self._object(key)} for key in keys[first : first + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})

    def check(self) -> bool:
        """Whether the bucket answers with these credentials (for ``/healthz``)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception:  # unreachable, refused, no such bucket: this host cannot serve media
            return False
        return True

    def describe(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        endpoint = getattr(self.client.meta, "endpoint_url", "")
        return f"{where} at {endpoint}" if endpoint else where


def s3_blobs_from_url(url: str, endpoint: str | None = None) -> S3Blobs:
    """``s3://bucket/prefix``: credentials and region come from the standard AWS
    environment (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``), the
    endpoint from ``endpoint`` (``VOICE_APP_S3_ENDPOINT``) or ``AWS_ENDPOINT_URL``.
    """
    import boto3  # only deployments on object storage pay for importing it
    from botocore.config import Config

    if not url.startswith("s3://"):
        raise ValueError(f"not an s3:// URL: {url!r}")
    bucket, _, prefix = url[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {url!r}")
    # Keys read now: boto3's default session keeps the first credentials it found. Without
    # them in the environment, its usual chain (profiles, instance roles) still applies.
    client = boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None,
        config=Config(
            # Checksums only where the API demands them: S3-compatible servers differ in
            # which response checksums they send for ranged reads.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 5, "mode": "standard"},
            # A bucket that does not answer fails fast, so /healthz can take the host out.
            connect_timeout=3,
        ),
    )
    return S3Blobs(client, bucket, prefix)


def _spool() -> Any:
    """Where one part of an upload gathers: memory for a small file, disk past 1 MiB."""
    return tempfile.SpooledTemporaryFile(max_size=1024 * 1024)


def _pieces_of(handle: Any, length: int | None) -> Iterator[bytes]:
    """Read ``length`` bytes (all that is left when None) from an open file or S3 body in
    pieces, and close it when done or abandoned."""
    try:
        left = length
        while left is None or left > 0:
            piece = handle.read(READ_PIECE_BYTES if left is None else min(READ_PIECE_BYTES, left))
            if not piece:
                return
            if left is not None:
                left -= len(piece)
            yield piece
    finally:
        handle.close()


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
