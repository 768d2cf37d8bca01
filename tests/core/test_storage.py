"""The media store: files are encrypted on disk, bound to their id, and written atomically."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest
from flask import Flask

from voice_app.core.storage import (
    FORMAT_VERSION,
    MediaCorrupt,
    MediaNotFound,
    MediaStore,
    blobs,
    media_key,
    media_store,
)

MARKER = b"Amelia-Jones-said-she-is-scared-at-home"
HEADER = 1 + 8 + 12  # version, key id, nonce
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


def test_app_store_writes_under_media_root_with_the_derived_key(app: Flask) -> None:
    store = media_store()
    media_id = store.put(MARKER)

    assert media_store() is store
    path = Path(app.config["MEDIA_ROOT"]) / media_id[:2] / media_id
    assert path.is_file() and MARKER not in path.read_bytes()
    by_hand = MediaStore(Path(app.config["MEDIA_ROOT"]), media_key(app.config["SECRET_KEY"]))
    assert by_hand.get(media_id) == MARKER


def test_app_store_uses_media_key_when_set(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
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
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = media_store()
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "elsewhere"))

    second = media_store()

    assert second is not first
    assert second.root == tmp_path / "elsewhere"
    media_id = second.put(MARKER)
    assert (tmp_path / "elsewhere" / media_id[:2] / media_id).is_file()
    assert os.listdir(tmp_path / "elsewhere") == [media_id[:2]]
