"""The media store: files are encrypted on disk, bound to their id, and written atomically."""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import shutil
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask

from voice_app.core.storage import (
    FORMAT_VERSION,
    FRAME_BYTES,
    ONE_PIECE_VERSION,
    MediaCorrupt,
    MediaNotFound,
    MediaStore,
    blobs,
    key_id,
    media_key,
    media_store,
    seal_overhead,
)

MARKER = b"Amelia-Jones-said-she-is-scared-at-home"
HEADER = 1 + 8 + 8 + 4  # version, key id, nonce prefix, frame size
TAG = 16


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media", secrets.token_bytes(32))


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_round_trip_returns_what_was_put(store: MediaStore) -> None:
    data = MARKER * 1000 + bytes(range(256))

    media_id = store.put(data)

    assert len(media_id) == 32 and int(media_id, 16) >= 0 and media_id == media_id.lower()
    assert store.path_for(media_id) == store.root / media_id[:2] / media_id
    assert store.exists(media_id)
    assert store.get(media_id) == data


def test_empty_file_round_trips(store: MediaStore) -> None:
    assert store.get(store.put(b"")) == b""


def test_file_on_disk_is_not_the_plaintext(store: MediaStore) -> None:
    media_id = store.put(MARKER * 50)

    on_disk = store.path_for(media_id).read_bytes()

    assert MARKER not in on_disk
    assert MARKER[:12] not in on_disk
    assert on_disk[0] == FORMAT_VERSION
    assert len(on_disk) == HEADER + len(MARKER) * 50 + TAG


def test_same_content_twice_gives_different_ids_and_ciphertexts(store: MediaStore) -> None:
    first, second = store.put(MARKER), store.put(MARKER)

    assert first != second
    first_bytes = store.path_for(first).read_bytes()
    second_bytes = store.path_for(second).read_bytes()
    assert first_bytes[1:HEADER] != second_bytes[1:HEADER], "nonces must not repeat"
    assert first_bytes[HEADER:] != second_bytes[HEADER:]


@pytest.mark.parametrize(
    "offset",
    [0, 1, HEADER - 1, HEADER, HEADER + 20, -TAG, -1],
    ids=["version", "nonce-start", "nonce-end", "body-start", "body", "tag-start", "tag-end"],
)
def test_changing_any_byte_makes_get_refuse(store: MediaStore, offset: int) -> None:
    media_id = store.put(MARKER * 3)
    path = store.path_for(media_id)
    tampered = bytearray(path.read_bytes())
    tampered[offset] ^= 0x01
    path.write_bytes(bytes(tampered))

    with pytest.raises(MediaCorrupt):
        store.get(media_id)


@pytest.mark.parametrize("keep", [0, HEADER, HEADER + TAG - 1])
def test_truncated_file_is_corrupt(store: MediaStore, keep: int) -> None:
    media_id = store.put(MARKER)
    path = store.path_for(media_id)
    path.write_bytes(path.read_bytes()[:keep])

    with pytest.raises(MediaCorrupt):
        store.get(media_id)


def test_file_copied_to_another_id_does_not_decrypt(store: MediaStore) -> None:
    original = store.put(MARKER)
    other = store.put(b"another child's drawing")
    shutil.copyfile(store.path_for(original), store.path_for(other))

    with pytest.raises(MediaCorrupt):
        store.get(other)
    assert store.get(original) == MARKER


def test_another_key_cannot_read_the_file(store: MediaStore) -> None:
    media_id = store.put(MARKER)
    intruder = MediaStore(store.root, secrets.token_bytes(32))

    with pytest.raises(MediaCorrupt):
        intruder.get(media_id)


def test_missing_file_is_not_found_and_delete_is_quiet(store: MediaStore) -> None:
    media_id = store.put(MARKER)
    store.delete(media_id)

    assert not store.exists(media_id)
    assert not store.path_for(media_id).exists()
    with pytest.raises(MediaNotFound):
        store.get(media_id)
    store.delete(media_id)  # already gone: no error
    store.delete("0" * 32)  # never existed: no error


@pytest.mark.parametrize(
    "bad_id",
    [
        "../etc/passwd",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "ab/../../" + "0" * 23,
        "A" * 32,
        "0123456789ABCDEF0123456789abcdef",
        "0" * 31,
        "0" * 33,
        "0" * 32 + "\n",
        "0" * 32 + "/x",
        "g" * 32,
        "",
        "..",
    ],
)
def test_ids_that_are_not_32_lowercase_hex_are_refused(store: MediaStore, bad_id: str) -> None:
    victim = store.root.parent / "passwd"
    victim.write_bytes(b"root:x:0:0")

    for call in (store.path_for, store.get, store.delete, store.exists):
        with pytest.raises(ValueError, match="not a media id"):
            call(bad_id)

    assert victim.read_bytes() == b"root:x:0:0"


def test_non_string_id_is_refused(store: MediaStore) -> None:
    with pytest.raises(ValueError):
        store.path_for(None)  # type: ignore[arg-type]


def test_put_leaves_only_the_final_files(store: MediaStore) -> None:
    ids = {store.put(MARKER + bytes([n])) for n in range(20)}

    assert {path.name for path in stored_files(store.root)} == ids
    assert all(path.parent.name == path.name[:2] for path in stored_files(store.root))


def test_files_are_readable_by_their_owner_only(store: MediaStore) -> None:
    path = store.path_for(store.put(MARKER))

    assert path.stat().st_mode & 0o077 == 0
    assert path.parent.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_put_leaves_nothing_behind(
    store: MediaStore, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    earlier = store.put(b"earlier")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(blobs.os, failing, fail)
    with pytest.raises(OSError, match="disk full"):
        store.put(MARKER)
    monkeypatch.undo()

    assert [path.name for path in stored_files(store.root)] == [earlier]
    assert store.get(earlier) == b"earlier"


def test_key_must_be_32_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        MediaStore(tmp_path, b"short")


def test_media_key_is_derived_from_the_secret_unless_given() -> None:
    derived = media_key("one secret")

    assert len(derived) == 32
    assert derived == media_key(b"one secret")
    assert derived != media_key("another secret")
    assert derived != b"one secret".ljust(32, b"\0")
    given = secrets.token_hex(32)
    assert media_key("one secret", given) == bytes.fromhex(given)
    with pytest.raises(ValueError, match="MEDIA_KEY"):
        media_key("one secret", "abcd")
    with pytest.raises(ValueError, match="SECRET_KEY"):
        media_key("")


def test_app_store_writes_under_media_root_with_the_derived_key(
    app: Flask, media_in_a_folder: None
) -> None:
    store = media_store()
    media_id = store.put(MARKER)

    assert media_store() is store
    path = Path(app.config["MEDIA_ROOT"]) / media_id[:2] / media_id
    assert path.is_file() and MARKER not in path.read_bytes()
    by_hand = MediaStore(Path(app.config["MEDIA_ROOT"]), media_key(app.config["SECRET_KEY"]))
    assert by_hand.get(media_id) == MARKER


def test_app_store_uses_media_key_when_set(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, media_in_a_folder: None
) -> None:
    key_hex = secrets.token_hex(32)
    monkeypatch.setitem(app.config, "MEDIA_KEY", key_hex)
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "keyed"))
    monkeypatch.delitem(app.extensions, "media_store", raising=False)

    media_id = media_store().put(MARKER)

    assert MediaStore(tmp_path / "keyed", bytes.fromhex(key_hex)).get(media_id) == MARKER
    derived = MediaStore(tmp_path / "keyed", media_key(app.config["SECRET_KEY"]))
    with pytest.raises(MediaCorrupt):
        derived.get(media_id)


def test_store_follows_a_changed_media_root(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, media_in_a_folder: None
) -> None:
    first = media_store()
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "elsewhere"))

    second = media_store()

    assert second is not first
    assert second.root == tmp_path / "elsewhere"
    media_id = second.put(MARKER)
    assert (tmp_path / "elsewhere" / media_id[:2] / media_id).is_file()
    assert os.listdir(tmp_path / "elsewhere") == [media_id[:2]]


# --- frames: streaming in and out ------------------------------------------------------

FRAME = FRAME_BYTES
SEALED_FRAME = FRAME + TAG


def pseudo_random(size: int, seed: int = 1) -> Iterator[bytes]:
    """``size`` bytes that do not compress, made 256 KiB at a time: never held whole."""
    rng = random.Random(seed)
    left = size
    while left:
        piece = rng.randbytes(min(left, 256 * 1024))
        left -= len(piece)
        yield piece


def frames_of(path: Path) -> tuple[bytes, list[bytes]]:
    sealed = path.read_bytes()
    body = sealed[HEADER:]
    return sealed[:HEADER], [body[i : i + SEALED_FRAME] for i in range(0, len(body), SEALED_FRAME)]


def test_a_big_file_goes_in_and_out_with_memory_bounded_by_a_frame(store: MediaStore) -> None:
    size = 24 * 1024 * 1024 + 12_345  # 385 frames, the last one short
    expected = hashlib.sha256()
    for piece in pseudo_random(size):
        expected.update(piece)

    tracemalloc.start()
    try:
        media_id = store.put_stream(pseudo_random(size))
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        reader = store.open(media_id)
        read_back, length = hashlib.sha256(), 0
        for piece in reader.stream():
            read_back.update(piece)
            length += len(piece)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert reader.size == length == size
    assert read_back.hexdigest() == expected.hexdigest()
    print(
        f"24 MiB file: peak {stored_peak / 2**20:.2f} MiB storing, {read_peak / 2**20:.2f} reading"
    )
    # The generator makes 256 KiB pieces (1 MiB at its peak); a frame or two is all the
    # store adds, whatever the size of the file.
    assert stored_peak < 1.5 * 1024 * 1024 and read_peak < 512 * 1024
    header, frames = frames_of(store.path_for(media_id))
    assert header[0] == FORMAT_VERSION and len(frames) == size // FRAME + 1
    assert len(frames[-1]) == size % FRAME + TAG


def test_an_open_file_is_read_to_its_end(store: MediaStore, tmp_path: Path) -> None:
    source = tmp_path / "recording.webm"
    source.write_bytes(b"".join(pseudo_random(3 * FRAME + 7)))
    with source.open("rb") as handle:
        media_id = store.put_stream(handle)
    assert store.get(media_id) == source.read_bytes()


@pytest.mark.parametrize("size", [0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME])
def test_every_size_round_trips_with_one_tag_per_frame(store: MediaStore, size: int) -> None:
    data = b"".join(pseudo_random(size, seed=size))
    media_id = store.put(data)

    assert store.open(media_id).size == size and store.get(media_id) == data
    frames = max(1, -(-size // FRAME))
    assert store.path_for(media_id).stat().st_size == HEADER + size + frames * TAG
    assert seal_overhead(store.path_for(media_id)) == HEADER + frames * TAG


@pytest.mark.parametrize(
    ("start", "stop"),
    [(0, 10), (FRAME - 3, FRAME + 3), (FRAME, 2 * FRAME), (5, None), (2 * FRAME + 1, None)],
)
def test_a_range_reads_only_the_frames_it_touches(
    store: MediaStore, start: int, stop: int | None
) -> None:
    data = b"".join(pseudo_random(3 * FRAME + 100))
    media_id = store.put(data)
    asked: list[tuple[int, int | None]] = []
    read_range = store.blobs.read_range

    def counting(key: str, begin: int, end: int | None = None) -> Iterator[bytes]:
        asked.append((begin, end))
        return read_range(key, begin, end)

    store.blobs.read_range = counting  # type: ignore[method-assign]

    assert b"".join(store.open(media_id).stream(start, stop)) == data[start:stop]
    end = len(data) if stop is None else stop
    first, last = start // FRAME, (end - 1) // FRAME
    assert asked == [(HEADER + first * SEALED_FRAME, HEADER + (last + 1) * SEALED_FRAME)]


def test_frames_swapped_cut_or_added_are_refused(store: MediaStore) -> None:
    data = b"".join(pseudo_random(3 * FRAME + 10))
    media_id = store.put(data)
    path = store.path_for(media_id)
    header, frames = frames_of(path)
    cases = {
        "swapped": [frames[1], frames[0], *frames[2:]],
        "last frame dropped": frames[:-1],
        "cut inside the last frame": [*frames[:-1], frames[-1][:-1]],
        "a frame added at the end": [*frames, frames[1]],
        "a frame repeated": [frames[0], frames[0], *frames[2:]],
    }
    for name, changed in cases.items():
        path.write_bytes(header + b"".join(changed))
        with pytest.raises(MediaCorrupt):
            store.get(media_id)
            pytest.fail(name)


def test_a_frame_from_another_file_is_refused(store: MediaStore) -> None:
    first = store.put(b"".join(pseudo_random(2 * FRAME, seed=1)))
    second = store.put(b"".join(pseudo_random(2 * FRAME, seed=2)))
    header, frames = frames_of(store.path_for(second))
    _, others = frames_of(store.path_for(first))
    store.path_for(second).write_bytes(header + others[0] + frames[1])

    with pytest.raises(MediaCorrupt):
        store.get(second)


def test_a_damaged_middle_frame_stops_the_stream_where_it_is(store: MediaStore) -> None:
    data = b"".join(pseudo_random(3 * FRAME))
    media_id = store.put(data)
    path = store.path_for(media_id)
    sealed = bytearray(path.read_bytes())
    sealed[HEADER + SEALED_FRAME + 100] ^= 0x01
    path.write_bytes(bytes(sealed))

    assert b"".join(store.open(media_id).stream(0, FRAME)) == data[:FRAME]
    assert b"".join(store.open(media_id).stream(2 * FRAME)) == data[2 * FRAME :]
    received = []
    with pytest.raises(MediaCorrupt):
        for piece in store.open(media_id).stream():
            received.append(piece)
    assert b"".join(received) == data[:FRAME], "nothing of the damaged frame is handed out"
    with pytest.raises(MediaCorrupt):
        store.open(media_id).stream(FRAME + 5)  # a range starting there fails at once


def test_a_header_claiming_huge_frames_is_refused(store: MediaStore) -> None:
    media_id = store.put(MARKER)
    path = store.path_for(media_id)
    sealed = bytearray(path.read_bytes())
    sealed[HEADER - 4 : HEADER] = (2**31).to_bytes(4, "big")
    path.write_bytes(bytes(sealed))

    with pytest.raises(MediaCorrupt):
        store.open(media_id)


def _one_piece(key: bytes, media_id: str, data: bytes) -> bytes:
    """A file as the store wrote it before frames (version 2)."""
    header = bytes([ONE_PIECE_VERSION]) + key_id(key) + os.urandom(12)
    return header + AESGCM(key).encrypt(header[-12:], data, header[:-12] + media_id.encode())


def test_files_sealed_in_one_piece_are_still_read_whole_and_in_ranges(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    store = MediaStore(tmp_path / "media", key)
    data = b"".join(pseudo_random(2 * FRAME + 50))
    media_id = "cd" * 16
    store.path_for(media_id).parent.mkdir(parents=True)
    store.path_for(media_id).write_bytes(_one_piece(key, media_id, data))

    reader = store.open(media_id)
    assert reader.size == len(data) and store.get(media_id) == data
    assert b"".join(reader.stream(FRAME - 5, FRAME + 5)) == data[FRAME - 5 : FRAME + 5]
    assert store.under_newest_key(media_id) and not store.rekey(media_id)

    sealed = bytearray(store.path_for(media_id).read_bytes())
    sealed[40] ^= 1
    store.path_for(media_id).write_bytes(bytes(sealed))
    with pytest.raises(MediaCorrupt):
        store.get(media_id)


def test_rekey_writes_old_files_in_frames(tmp_path: Path) -> None:
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    data = b"".join(pseudo_random(FRAME + 9))
    media_id = "ef" * 16
    path = tmp_path / "media" / media_id[:2] / media_id
    path.parent.mkdir(parents=True)
    path.write_bytes(_one_piece(old_key, media_id, data))
    store = MediaStore(tmp_path / "media", new_key, older=[old_key])

    assert store.rekey(media_id)
    assert path.read_bytes()[0] == FORMAT_VERSION and store.under_newest_key(media_id)
    assert MediaStore(tmp_path / "media", new_key).get(media_id) == data
