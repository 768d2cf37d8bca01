"""Media on an S3-compatible bucket: sealed before upload, served only through the app,
swept and re-keyed like the folder store, shared by every host that points at the bucket."""

from __future__ import annotations

import hashlib
import random
import secrets
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.child_space.test_child_space import drawing_png, upload
from tests.s3_server import S3Server, start_s3_server
from voice_app.core.media_sweep import sweep_orphan_media
from voice_app.core.storage import (
    FRAME_BYTES,
    SEAL_OVERHEAD,
    MediaCorrupt,
    MediaNotFound,
    MediaStore,
    S3Blobs,
    media_store,
)
from voice_app.core.storage.blobs import s3_blobs_from_url

MARKER = b"Amelia-Jones-told-me-about-the-shed"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    yield from start_s3_server(tmp_path_factory.mktemp("s3"))


@pytest.fixture
def s3_env(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3.secret_key)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    return s3


def _bucket_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def _store(s3: S3Server, bucket: str, key: bytes | None = None) -> tuple[MediaStore, Path]:
    on_disk = s3.bucket(bucket)
    blobs = s3_blobs_from_url(f"s3://{bucket}/media", s3.endpoint)
    return MediaStore(blobs, key or secrets.token_bytes(32)), on_disk


def test_what_reaches_the_bucket_is_sealed_and_comes_back_whole(s3_env):
    store, on_disk = _store(s3_env, "round-trip")
    data = MARKER * 2000 + bytes(range(256))

    media_id = store.put(data)

    assert store.exists(media_id) and store.get(media_id) == data
    objects = _bucket_files(on_disk)
    assert [path.relative_to(on_disk).as_posix() for path in objects] == [
        f"media/{media_id[:2]}/{media_id}"
    ]
    raw = objects[0].read_bytes()
    assert MARKER not in raw and MARKER[:12] not in raw
    assert store.media_ids() == [media_id]


def test_missing_tampered_and_hostile_ids_are_refused(s3_env):
    store, on_disk = _store(s3_env, "tamper")
    media_id = store.put(MARKER)
    with pytest.raises(MediaNotFound):
        store.get("0" * 32)
    (path,) = _bucket_files(on_disk)
    sealed = bytearray(path.read_bytes())
    sealed[-1] ^= 1
    path.write_bytes(bytes(sealed))
    with pytest.raises(MediaCorrupt):
        store.get(media_id)
    for hostile in ("../../etc/passwd", "A" * 32, f"{media_id}/x"):
        with pytest.raises(ValueError):
            store.get(hostile)
    store.delete(media_id)
    store.delete(media_id)  # deleting twice is not an error
    assert not store.exists(media_id) and _bucket_files(on_disk) == []


def test_another_host_with_the_keys_reads_what_one_host_stored(s3_env):
    key = secrets.token_bytes(32)
    first, _ = _store(s3_env, "shared", key)
    second, _ = _store(s3_env, "shared", key)
    stranger, _ = _store(s3_env, "shared")  # the bucket alone is not enough
    media_id = first.put(MARKER)
    assert second.get(media_id) == MARKER
    with pytest.raises(MediaCorrupt):
        stranger.get(media_id)


def test_rekey_moves_bucket_objects_to_the_newest_key(s3_env):
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    old, _ = _store(s3_env, "rekey", old_key)
    media_id = old.put(MARKER)
    blobs = old.blobs
    rotated = MediaStore(blobs, new_key, older=[old_key])
    assert not rotated.under_newest_key(media_id)
    assert rotated.rekey(media_id) and rotated.under_newest_key(media_id)
    assert MediaStore(blobs, new_key).get(media_id) == MARKER


def test_the_app_stores_serves_and_sweeps_through_the_bucket(app, family, s3_env, monkeypatch):
    on_disk = s3_env.bucket("app-media")
    monkeypatch.setitem(app.config, "MEDIA_URL", "s3://app-media/voice")
    monkeypatch.setitem(app.config, "S3_ENDPOINT", s3_env.endpoint)
    _child, _sam, tablet, _made = family
    orphan = media_store().put(b"written, then the worker was killed before the commit")

    response = upload(tablet, {"kind": "drawing", "text": "my house"}, drawing_png(), "d.png")

    assert response.status_code == 201
    assert isinstance(media_store().blobs, S3Blobs)
    assert len(_bucket_files(on_disk)) == 3  # the drawing, its thumbnail, the orphan
    original = tablet.get(f"/me/media/{response.get_json()['id']}/original")
    assert original.status_code == 200 and original.mimetype == "image/png"
    assert original.data.startswith(b"\x89PNG")
    assert not any(path.read_bytes().startswith(b"\x89PNG") for path in _bucket_files(on_disk))
    assert not Path(app.config["MEDIA_ROOT"]).exists() or not any(
        Path(app.config["MEDIA_ROOT"]).rglob("*")
    ), "nothing is written to this host's disk"

    grace = app.config["MEDIA_SWEEP_GRACE"].total_seconds()
    assert sweep_orphan_media() == []  # everything is younger than the grace period
    removed = sweep_orphan_media(now=time.time() + grace + 60)

    assert removed == [f"{orphan[:2]}/{orphan}"]
    assert len(_bucket_files(on_disk)) == 2
    assert tablet.get(f"/me/media/{response.get_json()['id']}/original").status_code == 200


def test_chunks_of_a_resumable_upload_wait_in_the_bucket_not_on_this_host(
    app, family, s3_env, monkeypatch
):
    """Chunks sent to one host and finished on another meet in the shared bucket."""
    import uuid

    from tests.uploads.test_chunked import begin, finish, noisy_png, put_chunk

    on_disk = s3_env.bucket("chunks")
    monkeypatch.setitem(app.config, "MEDIA_URL", "s3://chunks/voice")
    monkeypatch.setitem(app.config, "S3_ENDPOINT", s3_env.endpoint)
    _child, _sam, tablet, _made = family
    data, client_id = noisy_png(), str(uuid.uuid4())
    started = begin(tablet, client_id, data).get_json()
    size, url = started["chunk_bytes"], started["upload_url"]
    for offset in range(0, 2 * size, size):
        assert put_chunk(tablet, url, offset, data[offset : offset + size]).status_code == 200

    waiting = sorted(p.relative_to(on_disk).as_posix() for p in _bucket_files(on_disk))
    assert waiting and all(key.startswith("voice/uploads/") for key in waiting)
    assert not any(data[100:164] in p.read_bytes() for p in _bucket_files(on_disk)), "sealed"
    assert not Path(app.config["UPLOAD_ROOT"]).exists() or not any(
        Path(app.config["UPLOAD_ROOT"]).rglob("*")
    )
    # The page comes back (on any host): it goes on from where the bucket says.
    assert begin(tablet, client_id, data).get_json()["offset"] == 2 * size
    for offset in range(2 * size, len(data), size):
        assert put_chunk(tablet, url, offset, data[offset : offset + size]).status_code == 200
    finished = finish(tablet, client_id)

    assert finished.status_code == 201, finished.get_data(as_text=True)
    left = [p.relative_to(on_disk).as_posix() for p in _bucket_files(on_disk)]
    assert not any(key.startswith("voice/uploads/") for key in left), "chunks removed"
    assert len(left) == 2  # the drawing and its thumbnail


def test_a_bucket_url_without_a_bucket_is_refused():
    with pytest.raises(ValueError):
        s3_blobs_from_url("s3:///prefix")
    with pytest.raises(ValueError):
        s3_blobs_from_url("/srv/media")


def test_the_store_says_where_it_keeps_media(s3_env):
    store, _ = _store(s3_env, "described")
    assert store.blobs.describe().startswith("s3://described/media at http://127.0.0.1:")
    with pytest.raises(TypeError):
        _ = store.root


def test_healthz_takes_the_host_out_when_the_bucket_does_not_answer(
    app, client, s3_env, monkeypatch
):
    from voice_app.core.queue import write_heartbeat

    write_heartbeat()
    s3_env.bucket("healthy")
    monkeypatch.setitem(app.config, "S3_ENDPOINT", s3_env.endpoint)
    monkeypatch.setitem(app.config, "MEDIA_URL", "s3://healthy/media")
    body = client.get("/healthz").get_json()
    assert body["ready"] is True and body["media"] == "ok"

    monkeypatch.setitem(app.config, "MEDIA_URL", "s3://no-such-bucket/media")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["media"]

    monkeypatch.setitem(app.config, "S3_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setitem(app.config, "MEDIA_URL", "s3://healthy/media")
    assert client.get("/healthz").get_json()["failing"] == ["media"]


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- streaming in and out of the bucket --------------------------------------------------

PART = 5 * 1024 * 1024  # the smallest part S3 allows


def _pseudo_random(size: int, seed: int = 3) -> Iterator[bytes]:
    rng = random.Random(seed)
    left = size
    while left:
        piece = rng.randbytes(min(left, 256 * 1024))
        left -= len(piece)
        yield piece


def _streaming_store(s3: S3Server, bucket: str) -> tuple[MediaStore, Path]:
    on_disk = s3.bucket(bucket)
    blobs = s3_blobs_from_url(f"s3://{bucket}/media", s3.endpoint)
    blobs.part_bytes = PART
    return MediaStore(blobs, secrets.token_bytes(32)), on_disk


def test_a_big_recording_goes_up_in_parts_and_comes_back_as_a_stream(s3_env):
    store, on_disk = _streaming_store(s3_env, "big")
    size = 16 * 1024 * 1024 + 777
    expected = hashlib.sha256()
    for piece in _pseudo_random(size):
        expected.update(piece)
    sent_parts: list[int] = []
    upload_part = store.blobs.client.upload_part

    def counting(**kwargs):
        body = kwargs["Body"]
        body.seek(0, 2)
        sent_parts.append(body.tell())
        body.seek(0)
        return upload_part(**kwargs)

    store.blobs.client.upload_part = counting

    tracemalloc.start()
    try:
        media_id = store.put_stream(_pseudo_random(size))
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        read_back, length = hashlib.sha256(), 0
        for piece in store.open(media_id).stream():
            read_back.update(piece)
            length += len(piece)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    print(
        f"16 MiB on S3: peak {stored_peak / 2**20:.1f} MiB storing, {read_peak / 2**20:.1f} reading"
    )
    assert length == size and read_back.hexdigest() == expected.hexdigest()
    assert sent_parts[:3] == [PART, PART, PART] and len(sent_parts) == 4  # a multipart upload
    # Parts gather on disk and the HTTP client reads them as it sends.
    assert stored_peak < 4 * 1024 * 1024 and read_peak < 1024 * 1024
    (path,) = _bucket_files(on_disk)
    assert path.stat().st_size == size + SEAL_OVERHEAD + (size // FRAME_BYTES) * 16


def test_a_failed_multipart_upload_leaves_no_object_and_no_parts(s3_env):
    store, on_disk = _streaming_store(s3_env, "failing")
    client = store.blobs.client
    aborted: list[str] = []
    abort = client.abort_multipart_upload

    def recorded(**kwargs):
        aborted.append(kwargs["UploadId"])
        return abort(**kwargs)

    client.abort_multipart_upload = recorded

    def dies_half_way() -> Iterator[bytes]:
        yield from _pseudo_random(PART + 300_000)
        raise OSError("the tablet went away")

    with pytest.raises(OSError, match="went away"):
        store.put_stream(dies_half_way())

    assert _bucket_files(on_disk) == []
    assert len(aborted) == 1, "the part already sent is thrown away by the server"


def test_ranges_and_tampering_on_the_bucket(s3_env):
    store, on_disk = _streaming_store(s3_env, "ranges")
    data = b"".join(_pseudo_random(3 * FRAME_BYTES + 10))
    media_id = store.put(data)

    reader = store.open(media_id)
    assert reader.size == len(data)
    middle = slice(FRAME_BYTES - 4, 2 * FRAME_BYTES + 4)
    assert b"".join(reader.stream(middle.start, middle.stop)) == data[middle]
    assert b"".join(reader.stream(len(data) - 3)) == data[-3:]

    (path,) = _bucket_files(on_disk)
    sealed = path.read_bytes()
    header, body = sealed[: SEAL_OVERHEAD - 16], sealed[SEAL_OVERHEAD - 16 :]
    frame = FRAME_BYTES + 16
    swapped = body[frame : 2 * frame] + body[:frame] + body[2 * frame :]
    path.write_bytes(header + swapped)
    with pytest.raises(MediaCorrupt):
        store.get(media_id)
    path.write_bytes(header + body[: 3 * frame])  # the last frame cut off
    with pytest.raises(MediaCorrupt):
        store.get(media_id)
    with pytest.raises(MediaNotFound):
        store.open("0" * 32)
